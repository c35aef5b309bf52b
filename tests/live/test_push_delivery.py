"""Where a push really goes, on a real server with local stand-in push services: a redirect from an allowed
host is not followed, a host name on the list that resolves to loopback is not connected to, and a
subscription that cannot be used is retired without stopping anyone else's push."""

import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer

import pytest

from tests.live import test_reach
from tests.live.test_reach import Subscriber
from tests.live.test_reach import subscribe
from tests.support.clients import Staff
from tests.support.clients import join
from tests.support.server import ServerProcess


class Redirector:
    """A push service that answers every POST with 307 to `location`, counting what it got."""

    def __init__(self, location):
        self.received = []
        redirector = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                redirector.received.append(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                self.send_response(307)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        """Stop serving."""
        self.server.shutdown()


push_service = test_reach.push_service  # the stand-in push service, as a fixture here too


@pytest.fixture
def pushing_server(tmp_path):
    """A real server that may push to the stand-ins on 127.0.0.1 over plain HTTP, and to names under localhost."""
    process = ServerProcess(tmp_path, env={"PUSH_SERVICES": "127.0.0.1,localhost", "PUSH_ALLOW_HTTP": "on"})
    process.start()
    yield process
    process.stop()


def alerts_left(server):
    """The endpoints of the push subscriptions still stored."""
    with sqlite3.connect(server.database) as db:
        return [row[0] for row in db.execute("SELECT address FROM runner_alerts WHERE kind = 'push'")]


def wait_until(condition, timeout=15):
    """Wait until `condition()` holds."""
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert condition()


def test_a_redirect_from_an_allowed_push_service_is_not_followed(pushing_server, push_service):
    redirector = Redirector(f"{push_service.url}/internal/admin?action=drop")
    try:
        token = join(pushing_server.url, 1).json()["token"]
        assert subscribe(pushing_server, token, Subscriber(f"{redirector.url}/push/a")).status_code == 201
        Staff(pushing_server.url).act(1, "call-next")  # "your turn": posted to the redirector
        wait_until(lambda: redirector.received and not alerts_left(pushing_server))  # refused, then retired
        time.sleep(1)
        assert push_service.received == []
    finally:
        redirector.close()


def test_a_listed_host_name_that_resolves_to_loopback_is_never_connected_to(pushing_server, push_service):
    port = push_service.url.rsplit(":", 1)[1]
    token = join(pushing_server.url, 2).json()["token"]
    endpoint = f"http://localhost:{port}/push/b"  # a name on the list: the door takes it, the connection does not
    assert subscribe(pushing_server, token, Subscriber(endpoint)).status_code == 201
    Staff(pushing_server.url).act(1, "call-next")
    wait_until(lambda: not alerts_left(pushing_server))
    assert push_service.received == []
    assert "not a public address" in pushing_server.log()


def test_a_poisoned_subscription_is_retired_and_the_next_runner_still_gets_their_push(pushing_server, push_service):
    tokens = [join(pushing_server.url, bib).json()["token"] for bib in (3, 4, 5)]
    poisoned = Subscriber(f"http://user:pw@127.0.0.1:{push_service.url.rsplit(':', 1)[1]}/push/poisoned")
    with sqlite3.connect(pushing_server.database) as db:  # the door refuses it now: put it straight in
        ticket_id, event_id = db.execute("SELECT id, event_id FROM tickets WHERE token = ?", (tokens[1],)).fetchone()
        db.execute("INSERT INTO runner_alerts (event_id, ticket_id, kind, address, p256dh, auth, close_at, close_sent,"
                   " turn_sent, created_at) VALUES (?, ?, 'push', ?, ?, ?, 5, 0, 0, '2026-05-03 07:00:00')",
                   (event_id, ticket_id, poisoned.json["endpoint"], poisoned.json["keys"]["p256dh"],
                    poisoned.json["keys"]["auth"]))
    good = Subscriber(f"{push_service.url}/push/good")
    assert subscribe(pushing_server, tokens[2], good, close_at=5).status_code == 201
    staff = Staff(pushing_server.url)
    for table in (1, 2, 3):  # three free tables: a short wait, so "getting close" is due (rules/alerts.py)
        staff.act(table, "resume")
    staff.act(1, "call-next")  # both waiting runners are close now: one batch
    (path, _headers, body), = push_service.wait_for(1)
    assert path == "/push/good" and good.read(body)["tag"] == "close"
    wait_until(lambda: alerts_left(pushing_server) == [f"{push_service.url}/push/good"])
    assert "retired a runner's push alert" in pushing_server.log()
