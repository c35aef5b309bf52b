"""Real clients of the running server: runners and staff over HTTP and Socket.IO."""

import queue
import re
import time
import uuid

import requests
import socketio

from tests.support.server import PIN

NO_SYMPTOMS = {"unwell": False, "injury": False, "medical_condition": False}


class RemoteSite:
    """A real server at `url`: browsers are `requests` sessions, sockets are python-socketio clients."""

    http = requests  # calls with no cookies kept between them

    def __init__(self, url, database=None):
        self.url = url
        self.database = database

    def session(self):
        """A new browser with its own cookies."""
        return requests.Session()

    def listen(self, auth, session=None):
        """A Socket.IO client with this `auth`, carrying `session`'s cookies if given."""
        return Listener(self.url, auth, cookies=session.cookies.get_dict() if session else None)


def site_of(target):
    """The site to talk to: a server's URL, or a site object (tests/support/inprocess.py) as it is."""
    return RemoteSite(target) if isinstance(target, str) else target


def join(target, bib, first_name="Runner", service="pre", screening=None, event="demo"):
    """POST a join through the API of `target` (a server's URL or a site); returns the response."""
    site = site_of(target)
    body = {"bib": str(bib), "first_name": first_name, "service": service, "screening": screening or NO_SYMPTOMS}
    return site.session().post(f"{site.url}/api/v1/events/{event}/tickets", json=body, timeout=10)


class Listener:
    """A Socket.IO client that records every event it receives, in order."""

    def __init__(self, base_url, auth, cookies=None):
        self.events = queue.Queue()
        self.seen = []
        self.client = socketio.Client(reconnection=True, reconnection_delay=0.2, reconnection_delay_max=1)
        self.client.on("*", self._record)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())} if cookies else {}
        self.base_url, self.auth, self.headers = base_url, auth, headers
        self.client.connect(base_url, auth=auth, headers=headers, transports=["websocket"], wait_timeout=10)

    def _record(self, name, payload):
        self.events.put((name, payload))

    def next(self, name, predicate=lambda payload: True, timeout=10):
        """Wait for the next event called `name` whose payload satisfies `predicate`; skip others."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {name!r} event matching within {timeout}s; saw {self.seen[-10:]}")
            try:
                got, payload = self.events.get(timeout=remaining)
            except queue.Empty:
                continue
            self.seen.append((got, payload))
            if got == name and predicate(payload):
                return payload

    def heard(self):
        """Everything received so far, in order (what `next` skipped, what it returned, and the rest)."""
        while not self.events.empty():
            self.seen.append(self.events.get())
        return self.seen

    def snapshot(self):
        """Ask for a snapshot over the socket, as a client does after a gap."""
        return self.client.call("snapshot", self.auth, timeout=10)

    def close(self):
        """Disconnect."""
        self.client.disconnect()


def changes_since(delta, version, number):
    """The changes of ticket `number` in a board delta's steps newer than `version` (what a client that had
    `version` applies, as static/js/live.js does: a gathered delta may also hold steps the client has seen)."""
    return [change for step in delta["steps"] if step["version"] > version
            for change in step["changes"] if change["number"] == number]


class Staff:
    """A signed-in therapist: an HTTP session with its CSRF token."""

    def __init__(self, target, event="demo", pin=PIN):
        self.site = site_of(target)
        self.base_url, self.event = self.site.url, event
        self.http = self.site.session()
        answer = self.http.post(f"{self.base_url}/api/v1/events/{event}/login", json={"pin": pin}, timeout=10)
        assert answer.status_code == 200, answer.text
        self.csrf = answer.json()["csrf_token"]

    def act(self, table, action, key=None, **body):
        """POST a table action; each call gets a fresh Idempotency-Key unless one is given."""
        headers = {"X-CSRFToken": self.csrf, "Idempotency-Key": key or uuid.uuid4().hex}
        url = f"{self.base_url}/api/v1/events/{self.event}/tables/{table}/{action}"
        return self.http.post(url, json=body, headers=headers, timeout=10)

    def listen(self):
        """A staff Socket.IO connection sharing this session's cookie."""
        return self.site.listen({"event": self.event, "role": "staff"}, session=self.http)


ORGANISER_PASSWORD = "organiser-password-for-tests"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


class Organiser:
    """A browser-like session signed in with the organiser password, using forms and the JSON API."""

    def __init__(self, target, event="demo", password=ORGANISER_PASSWORD):
        self.site = site_of(target)
        self.base_url, self.event = self.site.url, event
        self.http = self.site.session()
        answer = self.form("/admin/sign-in", {"password": password}, page="/admin/sign-in")
        assert answer.status_code == 200 and "/admin/sign-in" not in answer.url, answer.text[:300]
        self.csrf = CSRF_FIELD.search(self.http.get(f"{self.base_url}/e/{event}/dashboard", timeout=10).text).group(1)

    def form(self, path, fields, page=None, files=None):
        """Submit a form the way a browser does: fetch its page for the CSRF token, then POST."""
        token = CSRF_FIELD.search(self.http.get(self.base_url + (page or path), timeout=10).text).group(1)
        return self.http.post(self.base_url + path, data=dict(fields, csrf_token=token), files=files, timeout=30)

    def api(self, method, path, body=None):
        """Call the organiser API of the event."""
        return self.http.request(method, f"{self.base_url}/api/v1/events/{self.event}{path}", json=body,
                                 headers={"X-CSRFToken": self.csrf}, timeout=10)
