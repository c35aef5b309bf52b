"""A request body must arrive in time, on a real server under eventlet and gevent: a body trickled a byte at a
time, or never sent after its head, is given up and its connection closed, while others are served."""

import selectors
import socket
import time

import pytest
import requests

from tests.support.server import ServerProcess

BODY_SECONDS = 2
WITHIN = 25  # far past the deadline (2 s plus 60,000 bytes' share, 1.2 s): still open then is never closed
HEAD = (b"POST /api/v1/tickets/no-such-token/step-back HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 60000\r\n\r\n")


@pytest.fixture(params=["eventlet", "gevent"])
def strict(tmp_path, request):
    """A server whose request bodies get 2 s (and a second per 50 kB), under each async mode."""
    process = ServerProcess(tmp_path, env={"BODY_TIMEOUT_SECONDS": str(BODY_SECONDS), "ASYNC_MODE": request.param})
    process.start()
    yield process
    process.stop()


def slow_bodies(port, count, trickle):
    """`count` connections that send a head declaring 60,000 bytes of body, then a byte every half second if
    `trickle` (else nothing); how many the server has not closed after WITHIN seconds, and what it answered."""
    links = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(count)]
    open_links, answers = set(links), []
    started = time.monotonic()
    with selectors.DefaultSelector() as watch:
        for link in links:
            link.sendall(HEAD + b"{")
            link.setblocking(False)
            watch.register(link, selectors.EVENT_READ)
        while open_links and time.monotonic() - started < WITHIN:
            for key, _ in watch.select(timeout=0.5):
                _read_or_close(key.fileobj, watch, open_links, answers)
            for link in list(open_links) if trickle else []:
                try:
                    link.send(b" ")
                except OSError:
                    open_links.discard(link)
                    watch.unregister(link)
    for link in links:
        link.close()
    return len(open_links), answers


def _read_or_close(link, watch, open_links, answers):
    """Keep what the server said; note the link closed when it reads as the end (or a reset)."""
    try:
        data = link.recv(4096)
        if data:
            if data.startswith(b"HTTP/"):
                answers.append(data.split(b"\r\n", 1)[0])
            return
    except BlockingIOError:
        return
    except OSError:
        pass
    open_links.discard(link)
    watch.unregister(link)


@pytest.mark.parametrize("trickle", [True, False], ids=["a byte at a time", "nothing after the head"])
def test_a_request_body_that_does_not_arrive_in_time_is_given_up_and_closed(strict, trickle):
    still_open, answers = slow_bodies(strict.port, 50, trickle)
    assert still_open == 0, f"{still_open} of 50 slow bodies still open after {WITHIN} s"
    assert all(line.split(b" ")[1] in (b"400", b"408") for line in answers), answers[:3]
    assert requests.get(strict.url + "/", timeout=10).status_code == 200
    assert strict.process.poll() is None


def test_a_body_that_arrives_in_time_is_served_whole(strict):
    body = b'{"places": 1}' + b" " * 59_987
    answer = requests.post(f"{strict.url}/api/v1/tickets/no-such-token/step-back", data=body, timeout=10,
                           headers={"Content-Type": "application/json"})
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"
