"""Starting and stopping the real server in a subprocess, as an organiser would."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from . import forkserver

ROOT = Path(__file__).resolve().parents[2]
PIN = "246810"
# How long a launched server may take to answer: ~2-4 s on a quiet 2-core machine, but CI once took over 20 s at
# the busiest point of the suite (three workers, a 3,000-phone test beside). A readiness wait, not a timing check.
START_SECONDS = 90
NEXT_TEST = pytest.StashKey()  # the test this process runs after a test (tests/conftest.py stores it)


def free_port():
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_is_free(port):
    """True if nothing accepts connections on 127.0.0.1:port (a stale server would steal ours)."""
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


class ServerProcess:
    """`python wsgi.py` on a free port, with its database in `folder`; can be stopped, killed and restarted."""

    def __init__(self, folder, port=None, env=None):
        self.folder = Path(folder)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database = self.folder / "queue.db"
        self.log_path = self.folder / f"server-{self.port}.log"
        self.extra_env = env or {}
        self.wrapper = []  # a command the server runs under (e.g. `ip netns exec NAME`)
        self.process = None

    def env(self):
        """The environment the server runs with: its own port, database and secrets."""
        env = dict(os.environ)
        env.update({
            "HOST": "127.0.0.1", "PORT": str(self.port), "PUBLIC_URL": self.url,
            "DATABASE_URL": f"sqlite:///{self.database}", "DEMO_PIN": PIN,
            "SECRET_KEY": "test-secret-key-not-for-production", "PYTHONUNBUFFERED": "1",
            "INSTANCE_PATH": str(self.folder / "instance"),
            "ORGANISER_PASSWORD": "organiser-password-for-tests",
            # Tests send hundreds of joins from one address; tests/live/test_protections.py turns limits on.
            "RATE_LIMITS": "off",
        })
        env.update(self.extra_env)
        return env

    def start(self, timeout=START_SECONDS):
        """Start the server and wait until it answers HTTP."""
        self.launch()
        self.wait_until_up(timeout)

    def launch(self):
        """Start `python wsgi.py` without waiting for it (wait_until_up waits); forked from an imported copy where
        it can be (tests/support/forkserver.py)."""
        assert port_is_free(self.port), f"port {self.port} is taken: a stale server would share our connections"
        env = self.env()
        if forkserver.enabled(env, self.wrapper):
            self.process = forkserver.ForkServer.launch(env, self.log_path)
            return
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen([*self.wrapper, sys.executable, "wsgi.py"], cwd=ROOT, env=env,
                                            stdout=log, stderr=subprocess.STDOUT)

    def wait_until_up(self, timeout=START_SECONDS):
        """Wait until the launched server answers HTTP; fail with its log if it exits or stays silent."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log()}")
            try:
                if requests.get(self.url + "/", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError(f"server did not answer within {timeout}s:\n{self.log()}")

    def stop(self):
        """Stop the server politely, then firmly."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self):
        """SIGKILL, as a pulled plug would."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def log(self):
        """What the server printed."""
        return self.log_path.read_text() if self.log_path.exists() else ""


def next_test_needs_the_same(request):
    """True if the test this process runs next asks for the same fixture (same definition) as `request`."""
    following = request.node.stash.get(NEXT_TEST, None)
    if following is None:
        return False
    # pytest's own record of which definition a test gets: an override in another conftest is another one.
    definitions = getattr(getattr(following, "_fixtureinfo", None), "name2fixturedefs", {}).get(request.fixturename)
    return bool(definitions) and definitions[-1] is getattr(request, "_fixturedef", None)


class Spares:
    """Servers launched one test ahead: while a test runs, the next test's fresh server starts up beside it.

    Each test still gets its own `python wsgi.py` process and its own database, exactly as if it had started
    it; only the 2 s of start-up (mostly imports) overlap with the test before instead of adding to the run.
    """

    def __init__(self, make_folder):
        self.make_folder = make_folder
        self.waiting = {}

    def take(self, env, launch_next):
        """A started server with `env` (the one launched ahead, or a new one); launch the next if asked."""
        key = tuple(sorted(env.items()))
        process = self.waiting.pop(key, None)
        if process is None:
            process = self._launch(env)
        try:
            process.wait_until_up()
        except RuntimeError:
            process.stop()
            raise
        if launch_next:  # after ours is up, so the two start-ups do not share the CPU
            self.waiting[key] = self._launch(env)
        return process

    def _launch(self, env):
        """A fresh server in a fresh folder, starting."""
        process = ServerProcess(self.make_folder(), env=env)
        process.launch()
        return process

    def stop_all(self):
        """Stop the servers launched for tests that never came."""
        for process in self.waiting.values():
            process.stop()
        self.waiting.clear()
