"""What a real server's listener lets in (issue 12, breaks 3 and 11): Socket.IO over WebSocket only, and no
connection held by a client that never finishes its request or sits idle."""

import http.client
import selectors
import socket
import threading
import time

import pytest
import requests
import socketio

from tests.support.clients import Listener
from tests.support.clients import join
from tests.support.server import ServerProcess

HEADER_SECONDS = 2
IDLE_SECONDS = 3
SLACK_SECONDS = 3  # a loaded machine's scheduling, on top of a deadline


@pytest.fixture
def strict(tmp_path):
    """A server with short deadlines: 2 s for a request's head, 3 s for an idle kept-alive connection."""
    process = ServerProcess(tmp_path, env={"HEADER_TIMEOUT_SECONDS": str(HEADER_SECONDS),
                                           "IDLE_TIMEOUT_SECONDS": str(IDLE_SECONDS)})
    process.start()
    yield process
    process.stop()


def test_long_polling_is_refused_and_a_websocket_is_served(server):
    """Proves: Engine.IO's long-polling transport is refused with a clear 400 (phones use WebSockets only, and
    each polling client costs the server a request per ping), by a plain request and by a Socket.IO client,
    while a WebSocket client connects and gets its snapshot."""
    answer = requests.get(f"{server.url}/socket.io/?EIO=4&transport=polling", timeout=10)
    assert answer.status_code == 400, answer.text[:200]
    assert "transport" in answer.text.lower()
    poller = socketio.Client(reconnection=False)
    try:
        poller.connect(server.url, auth={"event": "demo"}, transports=["polling"], wait_timeout=10)
        refused = False
    except socketio.exceptions.ConnectionError:
        refused = True
    finally:
        poller.disconnect()
    assert refused
    phone = Listener(server.url, {"event": "demo"})
    assert phone.next("snapshot")["board"]["services"]["pre"]["waiting"] == 0
    phone.close()


def slowloris(port, count, every, within):
    """`count` connections that send a request line and then one header byte every `every` seconds, never ending
    the head; the seconds after which the server closed each one (None: still open after `within` seconds)."""
    opened = time.monotonic()
    links = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(count)]
    closed = {}
    with selectors.DefaultSelector() as watch:
        for link in links:
            link.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            link.setblocking(False)
            watch.register(link, selectors.EVENT_READ)
        while len(closed) < count and time.monotonic() - opened < within:
            for key, _ in watch.select(timeout=every):
                _note_closed(key.fileobj, watch, closed, opened)
            for link in links:
                if link not in closed:
                    try:
                        link.send(b"a")
                    except OSError:
                        _note_closed(link, watch, closed, opened)
    for link in links:
        link.close()
    return [closed.get(link) for link in links]


def _note_closed(link, watch, closed, opened):
    """Note when the server closed `link` (it reads as the end of the stream, or a reset)."""
    try:
        if link.recv(4096):
            return  # an answer, not a close: the next read tells
    except BlockingIOError:
        return
    except OSError:
        pass
    closed[link] = time.monotonic() - opened
    watch.unregister(link)


def test_slow_request_heads_are_closed_at_the_header_deadline_and_others_are_served(strict):
    """Proves: 200 connections trickling a header byte every half second (so no single read ever waits long)
    are all closed by the server once HEADER_TIMEOUT_SECONDS have passed, while a normal request is answered."""
    answers = []
    asker = threading.Timer(1.0, lambda: answers.append(requests.get(strict.url + "/", timeout=10).status_code))
    asker.start()
    closed_after = slowloris(strict.port, 200, every=0.5, within=HEADER_SECONDS + 10)
    asker.join()
    assert answers == [200]
    still_open = sum(seconds is None for seconds in closed_after)
    assert still_open == 0, f"{still_open} of 200 slow heads still open after {HEADER_SECONDS + 10} s"
    assert HEADER_SECONDS - 0.5 <= min(closed_after) and max(closed_after) <= HEADER_SECONDS + SLACK_SECONDS


def test_an_idle_kept_alive_connection_is_closed_after_the_idle_timeout(strict):
    """Proves: a kept-alive connection serves a second request after a pause shorter than IDLE_TIMEOUT_SECONDS
    and is closed once it has been idle for longer."""
    connection = http.client.HTTPConnection("127.0.0.1", strict.port, timeout=30)
    connection.request("GET", "/")
    first = connection.getresponse()
    first.read()
    assert first.status == 200
    link = connection.sock
    time.sleep(IDLE_SECONDS - 1.5)
    connection.request("GET", "/")
    second = connection.getresponse()
    second.read()
    assert second.status == 200 and connection.sock is link  # the same connection, kept alive
    idle_since = time.monotonic()
    link.settimeout(IDLE_SECONDS + SLACK_SECONDS)
    try:
        assert link.recv(1) == b""
    except ConnectionResetError:
        pass
    assert IDLE_SECONDS - 0.5 <= time.monotonic() - idle_since <= IDLE_SECONDS + SLACK_SECONDS
    connection.close()


def test_a_websocket_outlives_both_deadlines_and_still_hears_changes(strict):
    """Proves: a phone's WebSocket that only answers pings stays connected well past the header and idle
    deadlines (and past a ping, every 10 s), without a reconnect, and still hears the next change."""
    heard, dropped = [], []
    phone = socketio.Client(reconnection=False)
    phone.on("board", heard.append)
    phone.on("disconnect", lambda *reason: dropped.append(reason))
    phone.connect(strict.url, auth={"event": "demo"}, transports=["websocket"], wait_timeout=10)
    sid = phone.sid
    time.sleep(12)
    assert dropped == [] and phone.connected and phone.sid == sid
    assert join(strict.url, 1).status_code == 201
    deadline = time.monotonic() + 10
    while not heard and time.monotonic() < deadline:
        time.sleep(0.1)
    assert heard and heard[-1]["changes"][0]["number"] == "P-001"
    phone.disconnect()
