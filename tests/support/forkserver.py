"""Fresh servers forked from a process that has already imported the app: `python wsgi.py`, minus 1.5 s of imports.

A test run starts about two hundred servers. Each `python wsgi.py` spends ~2.4 s of CPU before it answers, and
three fifths of that is importing Flask, SQLAlchemy, Alembic, eventlet, Socket.IO and our modules; on a two-core
machine with three test workers and their browsers, that CPU is what the other tests wait for. Here one process
per test worker monkey-patches and imports once, exactly as `wsgi.py` does before it builds the app, and then
forks for each server. The child takes that server's environment, folder and log, and runs `wsgi.py` as
`__main__`: it builds its own app, database, secrets and listener, just as a launched `python wsgi.py` would.
Nothing is built before the fork but the imports and monkey_patch's idle event-loop hub, which each child
replaces with its own.

The fork happens twice so that the server becomes the test worker's own child (the worker is a child subreaper),
which can then signal it and read its exit status like a `subprocess.Popen`. Only eventlet servers without a
wrapper command come from here (gevent patches differently); `TEST_SERVER_FORKS=off` launches every server with
`python wsgi.py` instead.

Run as `python -m tests.support.forkserver`: it reads one JSON request per line ({"env", "log"}) on stdin and
answers {"pid"} on stdout; it exits at end of input.
"""

import ast
import ctypes
import json
import os
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PR_SET_CHILD_SUBREAPER = 36


def enabled(env, wrapper):
    """True if a server with this environment and wrapper command can be forked from here."""
    return (os.environ.get("TEST_SERVER_FORKS", "on") != "off" and not wrapper
            and env.get("ASYNC_MODE", "eventlet") == "eventlet")


class Forked:
    """A forked server, answering like the `subprocess.Popen` of `python wsgi.py` it stands for."""

    def __init__(self, pid):
        self.pid = pid
        self.returncode = None

    def poll(self):
        """The exit status if it has ended (negative: the signal that ended it), else None."""
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout=None):
        """Wait for it to end; subprocess.TimeoutExpired after `timeout` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("wsgi.py", timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, sig):
        """Send `sig` unless it has already ended."""
        if self.poll() is None:
            os.kill(self.pid, sig)

    def terminate(self):
        """SIGTERM."""
        self.send_signal(signal.SIGTERM)

    def kill(self):
        """SIGKILL."""
        self.send_signal(signal.SIGKILL)


class ForkServer:
    """This test worker's fork server, started on first use and ended with the worker."""

    _running = None

    @classmethod
    def launch(cls, env, log_path):
        """A fresh server for `env`, its output appended to `log_path`."""
        if cls._running is None or cls._running.poll() is not None:
            # Servers forked below are orphaned on purpose; the kernel then hands them to us, not to init.
            if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")
            cls._running = subprocess.Popen([sys.executable, "-m", "tests.support.forkserver"], cwd=ROOT,
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        cls._running.stdin.write(json.dumps({"env": env, "log": str(log_path)}) + "\n")
        cls._running.stdin.flush()
        answer = cls._running.stdout.readline()
        if not answer:
            raise RuntimeError("the fork server ended (see the test output for its error)")
        return Forked(json.loads(answer)["pid"])


def serve_requests():
    """Import what wsgi.py imports, then fork a server per request until stdin closes."""
    import warnings

    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    warnings.filterwarnings("ignore", message=r"Using fork\(\) is a bad idea")
    import eventlet

    eventlet.monkey_patch()
    from eventlet import hubs
    from eventlet import patcher

    _import_what_wsgi_imports()

    real_os = patcher.original("os")  # the green os would start a hub here
    for line in sys.stdin:
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        read_end, write_end = real_os.pipe()
        middle = real_os.fork()
        if middle == 0:
            real_os.close(read_end)
            server = real_os.fork()
            if server == 0:
                real_os.close(write_end)
                _become_server(real_os, hubs, request)
            real_os.write(write_end, str(server).encode())
            real_os._exit(0)
        real_os.close(write_end)
        pid = int(real_os.read(read_end, 32))
        real_os.close(read_end)
        real_os.waitpid(middle, 0)
        sys.stdout.write(json.dumps({"pid": pid}) + "\n")
        sys.stdout.flush()


def _import_what_wsgi_imports():
    """Run wsgi.py's own top-level imports of our modules (read from it, so the two never drift apart)."""
    source = (ROOT / "wsgi.py").read_text()
    imports = [node for node in ast.parse(source).body
               if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "queue_app"]
    exec(compile(ast.Module(body=imports, type_ignores=[]), "wsgi.py", "exec"), {})


def _become_server(real_os, hubs, request):
    """In the forked child: a hub of its own, the server's environment, folder and log; then wsgi.py as __main__."""
    code = 1
    try:
        # monkey_patch() made an (idle) hub before the fork: its epoll is shared with the fork server and every
        # sibling, so this server gets a new one, as a launched process would.
        hubs.get_hub().poll.close()
        del hubs._threadlocal.hub
        log = real_os.open(request["log"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        null = real_os.open(os.devnull, os.O_RDONLY)
        real_os.dup2(null, 0)
        real_os.dup2(log, 1)
        real_os.dup2(log, 2)
        real_os.closerange(3, 4096)
        hubs.get_hub()
        sys.stdout.reconfigure(line_buffering=True, write_through=True)
        sys.stderr.reconfigure(line_buffering=True, write_through=True)
        os.environ.clear()
        os.environ.update(request["env"])
        time.tzset()
        os.chdir(ROOT)
        sys.argv = ["wsgi.py"]
        import runpy

        runpy.run_path(str(ROOT / "wsgi.py"), run_name="__main__")
        code = 0
    except SystemExit as exit:
        if exit.code is None or isinstance(exit.code, int):
            code = exit.code or 0
        else:
            print(exit.code, file=sys.stderr)
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        real_os._exit(code)


if __name__ == "__main__":
    serve_requests()
