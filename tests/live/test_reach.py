"""Push and texts against a real server, with local stand-ins started by the test: a push service that records
(and can decrypt, holding the subscription's keys) what it is sent, and a Twilio API that records messages."""

import base64
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs

import http_ece
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.support.clients import Listener
from tests.support.clients import Staff
from tests.support.clients import join
from tests.support.server import ServerProcess
from tests.support.server import free_port

SID = "AC0123456789abcdef0123456789abcdef"


class StandIn:
    """A local HTTP server recording every POST (path, headers, body); `hang` makes it never answer."""

    def __init__(self, answer_status=201, answer_body=b"{}"):
        self.received = []
        self.hang = False
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                stand_in.received.append((self.path, dict(self.headers), body))
                if stand_in.hang:
                    time.sleep(30)
                    return
                payload = answer_body(self.path, body) if callable(answer_body) else answer_body
                self.send_response(answer_status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count, timeout=15):
        """The first `count` requests, once they have arrived."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.received) >= count, f"only {len(self.received)} of {count} requests arrived"
        return self.received[:count]

    def close(self):
        """Stop serving."""
        self.server.shutdown()


def twilio_answer(path, body):
    """What Twilio's Messages endpoint answers: the message it queued."""
    form = parse_qs(body.decode())
    return json.dumps({"sid": "SM" + "0" * 32, "account_sid": SID, "to": form["To"][0], "from": form["From"][0],
                       "body": form["Body"][0], "status": "queued", "uri": path}).encode()


class Subscriber:
    """A browser's push subscription: its own P-256 key pair and auth secret, so it can read what it is sent."""

    def __init__(self, endpoint):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        public = self.key.public_key().public_bytes(serialization.Encoding.X962,
                                                    serialization.PublicFormat.UncompressedPoint)
        self.json = {"endpoint": endpoint, "keys": {"p256dh": b64(public), "auth": b64(self.auth)}}

    def read(self, body):
        """Decrypt one pushed message (RFC 8291, aes128gcm) and parse its JSON."""
        return json.loads(http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"))


def b64(raw):
    """base64url without padding, as browsers write subscription keys."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.fixture
def push_service():
    """A stand-in push service on 127.0.0.1."""
    service = StandIn()
    yield service
    service.close()


@pytest.fixture
def twilio():
    """A stand-in for Twilio's REST API."""
    service = StandIn(answer_body=twilio_answer)
    yield service
    service.close()


@pytest.fixture
def reaching_server(tmp_path, push_service, twilio):
    """A real server that may push to 127.0.0.1 over plain HTTP and texts through the Twilio stand-in."""
    process = ServerProcess(tmp_path, env={
        "PUSH_SERVICES": "127.0.0.1", "PUSH_ALLOW_HTTP": "on", "TWILIO_ACCOUNT_SID": SID,
        "TWILIO_AUTH_TOKEN": "stand-in-secret", "TWILIO_FROM": "+15005550006", "TWILIO_API_BASE": twilio.url})
    process.start()
    yield process
    process.stop()


def subscribe(server, token, subscriber, close_at=3):
    """POST the subscription as the ticket page does."""
    return requests.post(f"{server.url}/api/v1/tickets/{token}/push",
                         json={"subscription": subscriber.json, "close_at": close_at}, timeout=10)


def test_your_turn_and_getting_close_arrive_encrypted_at_the_push_service_once_each(reaching_server, push_service):
    tokens = [join(reaching_server.url, bib).json()["token"] for bib in (1, 2, 3)]
    subscriber = Subscriber(f"{push_service.url}/push/runner-3")
    assert subscribe(reaching_server, tokens[2], subscriber, close_at=1).status_code == 201
    staff = Staff(reaching_server.url)
    for table in (1, 2, 3):  # therapists at three tables: the wait shown is short, so "close" means close
        staff.act(table, "resume")
    staff.act(1, "call-next")  # runner 3 now has one runner ahead: getting close
    (path, headers, body), = push_service.wait_for(1)
    headers = {k.lower(): v for k, v in headers.items()}
    assert path == "/push/runner-3" and headers["content-encoding"] == "aes128gcm", headers
    assert headers["authorization"].startswith("vapid t=") and "k=" in headers["authorization"]
    close = subscriber.read(body)
    assert (close["tag"], close["title"]) == ("close", "Almost your turn at the massage tent: 1 runner ahead of you.")
    staff.act(2, "call-next")
    staff.act(3, "call-next")  # runner 3's turn, at table 3
    turn = subscriber.read(push_service.wait_for(2)[1][2])
    assert turn["tag"] == "turn" and "Go to table 3" in turn["title"] and turn["url"] == f"/t/{tokens[2]}"
    staff.act(3, "call-again")
    time.sleep(1)
    assert len(push_service.received) == 2  # each kind once


def test_getting_close_waits_while_the_wait_shown_is_long(reaching_server, push_service):
    tokens = [join(reaching_server.url, bib).json()["token"] for bib in (11, 12, 13)]
    subscriber = Subscriber(f"{push_service.url}/push/runner-13")
    assert subscribe(reaching_server, tokens[2], subscriber, close_at=1).status_code == 201
    staff = Staff(reaching_server.url)
    staff.act(1, "resume")  # one table: two places ahead is about 15-25 minutes, not "almost your turn"
    staff.act(1, "call-next")
    staff.act(1, "start")
    staff.act(1, "finish")
    staff.act(1, "call-next")  # now next, but a massage away: still 7-13 minutes
    time.sleep(1)
    assert push_service.received == []
    staff.act(2, "resume")  # a second table, free: called any moment
    (_path, _headers, body), = push_service.wait_for(1)
    assert subscriber.read(body)["title"] == "You are next at the massage tent. Head there now."


def test_a_push_service_that_hangs_or_fails_never_holds_up_a_call(reaching_server, push_service):
    first = join(reaching_server.url, 4).json()
    assert subscribe(reaching_server, first["token"], Subscriber(f"{push_service.url}/push/slow")).status_code == 201
    push_service.hang = True  # the service takes the "getting close" request and never answers
    phone = Listener(reaching_server.url, {"ticket": first["token"]})
    phone.next("snapshot")
    called = Staff(reaching_server.url).act(1, "call-next")
    assert called.status_code == 200 and called.json()["ticket"]["number"] == first["number"]
    assert phone.next("ticket", lambda t: t["status"] == "called")["table"] == 1
    assert Staff(reaching_server.url).act(1, "start").status_code == 200
    phone.close()


def test_texts_go_through_twilios_api_once_per_kind_and_the_number_stays_private(reaching_server, twilio):
    tokens = [join(reaching_server.url, bib).json()["token"] for bib in (5, 6)]
    texted = requests.post(f"{reaching_server.url}/api/v1/tickets/{tokens[1]}/text",
                           json={"phone": "+44 7700 900 481", "close_at": 0}, timeout=10)
    assert texted.status_code == 201
    staff = Staff(reaching_server.url)
    for table in (1, 2):
        staff.act(table, "resume")
    staff.act(1, "call-next")  # the runner is next now
    twilio.wait_for(1)  # (called at once instead, they would get only "your turn": "close" is for the waiting)
    staff.act(2, "call-next")  # and called
    sent = twilio.wait_for(2)
    for path, headers, _body in sent:
        assert path == f"/2010-04-01/Accounts/{SID}/Messages.json" and headers["Authorization"].startswith("Basic ")
    forms = [parse_qs(body.decode()) for _path, _headers, body in sent]
    assert [f["To"][0] for f in forms] == ["+447700900481"] * 2
    assert forms[0]["Body"][0] == "You are next at the massage tent. Head there now."
    assert "Go to table 2" in forms[1]["Body"][0]
    staff.act(2, "call-again")
    time.sleep(1)
    assert len(twilio.received) == 2
    views = [requests.get(f"{reaching_server.url}{path}", timeout=10).text
             for path in (f"/api/v1/tickets/{tokens[1]}", "/api/v1/events/demo/board", f"/t/{tokens[1]}")]
    views.append(staff.http.get(f"{reaching_server.url}/api/v1/events/demo/staff", timeout=10).text)
    assert not any("900481" in view or "900 481" in view for view in views)


def test_texts_speak_the_runners_language_whatever_the_phone_that_asked(reaching_server, twilio):
    body = {"bib": "77", "first_name": "Yui", "service": "pre",
            "screening": {"unwell": False, "injury": False, "medical_condition": False}}
    token = requests.post(f"{reaching_server.url}/api/v1/events/demo/tickets", json=body,
                          headers={"Accept-Language": "ja-JP,ja;q=0.9"}, timeout=10).json()["token"]
    assert requests.post(f"{reaching_server.url}/api/v1/tickets/{token}/text", timeout=10,
                         json={"phone": "+81 90 1234 5678", "close_at": 0}).status_code == 201
    Staff(reaching_server.url).act(1, "call-next")
    (_path, _headers, sent), = twilio.wait_for(1)
    words = "P-001：あなたの番です。今すぐマッサージテントの1番テーブルへお越しください。"
    assert parse_qs(sent.decode())["Body"][0] == words


def test_a_flood_of_subscriptions_is_rate_limited(tmp_path, push_service):
    server = ServerProcess(tmp_path, env={"RATE_LIMITS": "on", "ALERT_RATE_LIMIT": "3/minute",
                                          "PUSH_SERVICES": "127.0.0.1", "PUSH_ALLOW_HTTP": "on"})
    server.start()
    try:
        token = join(server.url, 7).json()["token"]
        codes = [subscribe(server, token, Subscriber(f"{push_service.url}/push/{n}")).status_code for n in range(5)]
        assert codes[:3] == [201, 201, 201] and codes[3:] == [429, 429]
    finally:
        server.stop()


def test_a_text_provider_that_is_down_never_breaks_a_call(tmp_path):
    nowhere = f"http://127.0.0.1:{free_port()}"  # nothing listens: every text fails to connect
    server = ServerProcess(tmp_path, env={"TWILIO_ACCOUNT_SID": SID, "TWILIO_AUTH_TOKEN": "stand-in-secret",
                                          "TWILIO_FROM": "+15005550006", "TWILIO_API_BASE": nowhere})
    server.start()
    try:
        first = join(server.url, 8).json()
        texted = requests.post(f"{server.url}/api/v1/tickets/{first['token']}/text", json={"phone": "+447700900483"},
                               timeout=10)
        assert texted.status_code == 201
        phone = Listener(server.url, {"ticket": first["token"]})
        phone.next("snapshot")
        called = Staff(server.url).act(1, "call-next")
        assert called.status_code == 200 and called.json()["ticket"]["number"] == first["number"]
        assert phone.next("ticket", lambda t: t["status"] == "called")["table"] == 1
        assert Staff(server.url).act(1, "start").status_code == 200
        assert "reaching runners failed" not in server.log()  # a refused text is a logged warning, not a crash
        phone.close()
    finally:
        server.stop()
