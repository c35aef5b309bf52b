"""Too many connections for the open-files limit, on real servers started with a low `ulimit -n`: the server
raises its soft limit to the hard one, holds no more connections than fit, caps any one address, and when
`accept` finds no descriptor left it turns that connection away instead of exiting."""

import resource
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import requests

from tests.support.server import ROOT
from tests.support.server import ServerProcess

ATTACKER = "127.0.0.2"  # Linux answers for all of 127/8: another client address on this machine


class LimitedServer(ServerProcess):
    """`python wsgi.py` started with the open-files limit (soft, hard) of its choosing."""

    def __init__(self, folder, soft, hard, env=None):
        super().__init__(folder, env=env)
        self.files = soft, hard

    def launch(self):
        """Start the server under the limit."""
        log = open(self.log_path, "a")
        self.process = subprocess.Popen([sys.executable, "wsgi.py"], cwd=ROOT, env=self.env(), stdout=log,
                                        stderr=subprocess.STDOUT, preexec_fn=self._limit)

    def _limit(self):
        resource.setrlimit(resource.RLIMIT_NOFILE, self.files)

    def soft_limit(self):
        """The server's soft open-files limit now, as the kernel reports it."""
        line = next(line for line in Path(f"/proc/{self.process.pid}/limits").read_text().splitlines()
                    if line.startswith("Max open files"))
        return int(line.split()[3])


@pytest.fixture(params=["eventlet", "gevent"])
def mode(request):
    """Each async mode the server runs under."""
    return request.param


def idle_connections(port, count, source=ATTACKER):
    """`count` TCP connections from `source` that send nothing."""
    links = []
    for _ in range(count):
        link = socket.socket()
        link.bind((source, 0))
        link.settimeout(10)
        link.connect(("127.0.0.1", port))
        links.append(link)
    return links


@pytest.mark.skipif(not Path("/proc/self/limits").exists(), reason="reads the server's limits from /proc")
def test_more_idle_connections_than_files_neither_kill_the_server_nor_lock_others_out(tmp_path, mode):
    server = LimitedServer(tmp_path, 1_100, 1_100, env={"ASYNC_MODE": mode, "HEADER_TIMEOUT_SECONDS": "120"})
    server.start()
    try:
        assert server.soft_limit() == 1_100  # it could not raise it: the hard limit is the same
        links = idle_connections(server.port, 1_150)
        assert requests.get(server.url + "/", timeout=10).status_code == 200  # another address is served
        assert server.process.poll() is None
        for link in links:
            link.close()
        time.sleep(1)
        assert requests.get(server.url + "/api/v1/events/demo/board", timeout=10).status_code == 200
        assert server.process.poll() is None
        assert "the most one address may" in server.log()
    finally:
        server.stop()


@pytest.mark.skipif(not Path("/proc/self/limits").exists(), reason="reads the server's limits from /proc")
def test_the_server_raises_its_soft_open_files_limit_to_the_hard_one(tmp_path):
    server = LimitedServer(tmp_path, 256, 4_096)
    server.start()
    try:
        assert server.soft_limit() == 4_096
        assert "open-files limit 4096" in server.log()
    finally:
        server.stop()


SHEDDING_CHILD = textwrap.dedent("""
    import os, resource, socket, sys, time
    from queue_app.connection_limits import SheddingListener

    resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
    listener = socket.create_server(("127.0.0.1", 0), backlog=16)
    listener.settimeout(10)
    held = []

    def back_off(seconds):
        os.close(held.pop())  # meanwhile another connection of the process closes
        time.sleep(seconds)

    shedding = SheddingListener(listener, sleep=back_off)
    try:
        while True:
            held.append(os.open(os.devnull, os.O_RDONLY))  # every descriptor but the listener's spare
    except OSError:
        pass
    print(listener.getsockname()[1], flush=True)
    sys.stdin.readline()  # the first phone is waiting in the backlog
    connection, _ = shedding.accept()  # it is turned away; the next one is served
    connection.sendall(b"served")
    print("shed", shedding.shed, flush=True)
""")


def test_a_listener_out_of_descriptors_turns_the_waiting_connection_away_and_keeps_accepting():
    child = subprocess.Popen([sys.executable, "-c", SHEDDING_CHILD], cwd=ROOT, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        port = int(child.stdout.readline())
        first = socket.create_connection(("127.0.0.1", port), timeout=10)
        child.stdin.write("go\n")
        child.stdin.flush()
        try:
            assert first.recv(16) == b""  # closed without a word
        except ConnectionResetError:
            pass
        second = socket.create_connection(("127.0.0.1", port), timeout=10)
        assert second.recv(16) == b"served"
        out, err = child.communicate(timeout=20)
        assert child.returncode == 0 and out.strip() == "shed 1", (out, err)
        assert "no file descriptor left" in err
    finally:
        if child.poll() is None:
            child.kill()
