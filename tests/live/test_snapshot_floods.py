"""One socket asking for snapshots as fast as it can gets a few a second, not one per request (issue 12, break 8),
against a real eventlet server."""

import threading
import time

import requests
import socketio

from tests.support.clients import Staff
from tests.support.clients import join


def flood(server_url, auth, requests_count, cookies=None):
    """Send `requests_count` snapshot requests at once on one socket; the answers, and how long they took."""
    client = socketio.Client(reconnection=False)
    answers, lock, all_in = [], threading.Lock(), threading.Event()

    def answered(answer):
        with lock:
            answers.append(answer)
            if len(answers) == requests_count:
                all_in.set()

    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())} if cookies else None
    client.connect(server_url, auth=auth, transports=["websocket"], headers=headers, wait_timeout=10)
    try:
        begun = time.monotonic()
        for _ in range(requests_count):
            client.emit("snapshot", auth, callback=answered)
        assert all_in.wait(60), f"only {len(answers)} of {requests_count} answered"
        return answers, time.monotonic() - begun
    finally:
        client.disconnect()


def test_a_board_socket_flooding_snapshot_requests_gets_a_few_a_second(server):
    for bib in range(1, 21):
        join(server.url, bib)
    answers, took = flood(server.url, {"event": "demo"}, 300)
    read = [a for a in answers if "board" in a]
    refused = [a for a in answers if a.get("code") == "rate_limited"]
    assert len(read) + len(refused) == 300
    # A burst of 5, then 2 a second; requests that arrive while the same one is read share its answer.
    assert len(read) <= 5 + 2 * took + 5, f"{len(read)} snapshots read in {took:.1f} s"
    assert refused and "Wait" in refused[0]["error"]
    assert requests.get(f"{server.url}/api/v1/events/demo/board", timeout=5).status_code == 200


def test_a_staff_socket_flooding_snapshot_requests_gets_a_few_a_second(server):
    staff = Staff(server.url)
    answers, took = flood(server.url, {"event": "demo", "role": "staff"}, 200, cookies=staff.http.cookies.get_dict())
    read = [a for a in answers if "staff" in a]
    assert read, "the signed-in tablet got no snapshot at all"
    assert len(read) <= 5 + 2 * took + 5, f"{len(read)} staff snapshots read in {took:.1f} s"
