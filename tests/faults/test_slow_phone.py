"""A phone on a bad link: its socket stops taking what the server writes while board deltas keep coming.

Board deltas are written straight to each phone's socket when nothing is queued for it (queue_app/live/frames.py);
a phone whose kernel buffers are full must get the rest of a half-written frame, and everything after it, whole and
in order, and must not hold up the phones around it. The phone here is a raw WebSocket with a tiny receive
buffer that stops reading, so the server's writes to it really stay unsent.
"""

import base64
import json
import os
import socket
import struct
import subprocess

import pytest

from tests.support.clients import Listener
from tests.support.clients import join
from tests.support.faults import version
from tests.support.netns import ServerInNetwork
from tests.support.netns import private_network

JOINS = 150  # ~190 KB of board deltas: three times what the server's socket may hold unsent
UNSENT_AT_MOST = 65_536


@pytest.fixture
def eager_server(tmp_path):
    """A server in a network of its own whose sockets hold at most 64 KB unsent (the machine's grow to 4 MB, which
    150 deltas never fill), sending a board delta for every change at once (no quarter-second gathering)."""
    with private_network(f"4096 16384 {UNSENT_AT_MOST}") as network:
        server = ServerInNetwork(tmp_path, network, env={"BOARD_DELTA_SECONDS": "0"})
        server.start()
        yield server
        server.stop()


class StalledPhone:
    """A Socket.IO phone spoken to by hand over a WebSocket whose receive buffer is a few KB, read only on demand."""

    def __init__(self, host, port, auth):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connecting: the window stays small
        self.sock.connect((host, port))
        self.sock.settimeout(10)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {host}:{port}\r\n"
                           f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        self.buffer = b""
        head = self._read_until(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101"), head
        assert self.message().startswith("0")  # engine.io's open packet
        self.send("40" + json.dumps(auth))

    def _read_until(self, end):
        while end not in self.buffer:
            self._fill()
        head, self.buffer = self.buffer.split(end, 1)
        return head

    def _fill(self):
        chunk = self.sock.recv(65536)
        assert chunk, "the server closed the phone's connection"
        self.buffer += chunk

    def _take(self, count):
        while len(self.buffer) < count:
            self._fill()
        taken, self.buffer = self.buffer[:count], self.buffer[count:]
        return taken

    def message(self):
        """The next whole text frame from the server (unmasked, as a server's must be)."""
        first, second = self._take(2)
        assert first == 0x81 and not second & 0x80, (first, second)  # FIN + text, not masked: a frame boundary
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", self._take(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", self._take(8))
        return self._take(length).decode("utf-8")

    def send(self, text):
        """A masked text frame to the server, as a client's must be."""
        data, mask = text.encode(), os.urandom(4)
        assert len(data) < 126
        self.sock.sendall(bytes([0x81, 0x80 | len(data)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def event(self):
        """The next Socket.IO event as (name, payload), answering engine.io's pings on the way."""
        while True:
            text = self.message()
            if text == "2":
                self.send("3")
            elif text.startswith("42"):
                name, payload = json.loads(text[2:])
                return name, payload

    def close(self):
        self.sock.close()


def unsent_bytes(server, phone_port):
    """What the server's side of the phone's connection holds unsent (its send queue), as `ss` reports it."""
    query = ["ss", "-tnH", "state", "established", f"( sport = :{server.port} and dport = :{phone_port} )"]
    out = subprocess.run(["ip", "netns", "exec", server.namespace, *query], capture_output=True, text=True,
                         check=True).stdout.split()
    return int(out[1]) if out else 0


def test_a_phone_that_stops_reading_gets_every_delta_whole_and_in_order_and_holds_up_no_other_phone(eager_server):
    """Proves: while one phone's link takes nothing (the server's writes to it stay unsent, so frames are left
    half-written), the TV beside it hears every one of 150 changes as they happen; and once the phone reads again,
    its stream parses frame by frame and its board deltas cover every version from its snapshot on, once each,
    in order, ending at the server's version."""
    stalled = StalledPhone(eager_server.address, eager_server.port, {"event": "demo"})
    name, snapshot = stalled.event()
    assert name == "snapshot"
    tv = Listener(eager_server.url, {"event": "demo"})
    tv.next("snapshot")

    for bib in range(1, JOINS + 1):
        assert join(eager_server.url, bib).status_code == 201
    final = version(eager_server.url)
    assert final == snapshot["board"]["version"] + JOINS
    tv.next("board", lambda delta: delta["version"] == final, timeout=20)
    # The phone's link really is full: the server holds what the phone has not taken.
    assert unsent_bytes(eager_server, stalled.sock.getsockname()[1]) > 0

    seen = snapshot["board"]["version"]
    while seen < final:
        name, delta = stalled.event()
        if name != "board":
            continue
        assert delta["since"] == seen + 1, (seen, delta["since"])
        assert [step["version"] for step in delta["steps"]] == list(range(delta["since"], delta["version"] + 1))
        seen = delta["version"]
    assert seen == final
    stalled.close()
    tv.close()
