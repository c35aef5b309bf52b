"""The app in the test's own process, behind the same small client API as a real server.

`InProcessSite` gives Flask's test client (as a `requests`-like session: one browser's cookies) and
Flask-SocketIO's test client (as a Listener sharing that session), so tests/support/clients.py's
`join`, `Staff` and `Organiser` drive either tier, and a contract test reads the same in both.
"""

import io
import time

import socketio

from queue_app.extensions import socketio as app_socketio

BASE_URL = "http://localhost"
# The in-process tiers hash the staff PIN and organiser password cheaply: scrypt, the app's method, costs each
# hash and each sign-in a quarter of a second, a minute over the contract tier. Servers the tests start keep
# scrypt (tests/live/test_protections.py times sign-in bursts with it); tests/integration/test_services.py checks
# the app's own method is scrypt.
QUICK_HASH = "pbkdf2:sha256:1000"


class Answer:
    """A Flask test response with the parts of `requests.Response` the tests read."""

    def __init__(self, response, url):
        self.status_code = response.status_code
        self.headers = response.headers
        self.content = response.get_data()
        self.url = url
        self._response = response

    @property
    def text(self):
        """The body as text."""
        return self.content.decode("utf-8", errors="replace")

    def json(self):
        """The JSON body; ValueError if there is none, as requests raises."""
        body = self._response.get_json(silent=True)
        if body is None:
            raise ValueError(f"not JSON: {self.text[:200]!r}")
        return body


class Cookies:
    """A session's cookies, read the way the tests read `requests` cookies."""

    def __init__(self, client):
        self.client = client

    def get(self, name, default=None):
        """One cookie's value."""
        cookie = self.client.get_cookie(name)
        return cookie.value if cookie is not None else default

    def get_dict(self):
        """Every cookie as {name: value}."""
        return {cookie.key: cookie.value for cookie in self.client._cookies.values()}


class Verbs:
    """get, post and delete, as `requests` has them, on top of `request`."""

    def get(self, url, **options):
        """GET `url`."""
        return self.request("GET", url, **options)

    def post(self, url, **options):
        """POST `url`."""
        return self.request("POST", url, **options)

    def delete(self, url, **options):
        """DELETE `url`."""
        return self.request("DELETE", url, **options)


class Session(Verbs):
    """One browser: a Flask test client keeping its cookies, answering like a `requests.Session`."""

    def __init__(self, app):
        self.client = app.test_client()
        self.cookies = Cookies(self.client)

    def request(self, method, url, json=None, data=None, headers=None, files=None, timeout=None,
                allow_redirects=True):
        """Send one request to the app; `timeout` is accepted and unused (nothing crosses a network)."""
        path = url[len(BASE_URL):] if url.startswith(BASE_URL) else url
        if files:
            data = dict(data or {})
            for field, (filename, content, *_type) in files.items():
                data[field] = (io.BytesIO(content.encode() if isinstance(content, str) else content), filename)
        response = self.client.open(path, method=method.upper(), json=json, data=data, headers=headers,
                                    follow_redirects=allow_redirects)
        final = BASE_URL + response.request.path + (f"?{response.request.query_string.decode()}"
                                                    if response.request.query_string else "")
        return Answer(response, final)


class Stateless(Verbs):
    """Calls with no cookies kept between them, like `requests.get`."""

    def __init__(self, app):
        self.app = app

    def request(self, method, url, **options):
        """One request from a fresh browser."""
        return Session(self.app).request(method, url, **options)


class SocketCalls:
    """Flask-SocketIO's test client, with `call` (emit and wait for the acknowledgement) as python-socketio has."""

    def __init__(self, client):
        self.test_client = client

    def call(self, event, data=None, timeout=None):
        """Emit `event` and answer what the handler acknowledged."""
        return self.test_client.emit(event, data, callback=True)

    def __getattr__(self, name):
        return getattr(self.test_client, name)


class Listener:
    """A Socket.IO test client recording every event it receives, in order; refused like a real client."""

    def __init__(self, app, auth, session=None):
        self.auth = auth
        self.seen = []
        self.pending = []
        self.client = SocketCalls(app_socketio.test_client(
            app, auth=auth, flask_test_client=session.client if session else None))
        if not self.client.is_connected():
            raise socketio.exceptions.ConnectionError("the server refused the connection")

    def _drain(self):
        """Move what arrived since the last look into `pending`."""
        for packet in self.client.get_received():
            self.pending.append((packet["name"], packet["args"][0] if packet["args"] else None))

    def next(self, name, predicate=lambda payload: True, timeout=3):
        """The next event called `name` whose payload satisfies `predicate`; earlier ones are skipped.

        Tickets and tablets hear a change by the time its request answered; the board's deltas go out a quarter
        of a second at a time (live/board_outbox.py), so this waits up to `timeout` seconds for one.
        """
        deadline = time.monotonic() + (timeout or 3)
        while True:
            self._drain()
            while self.pending:
                got, payload = self.pending.pop(0)
                self.seen.append((got, payload))
                if got == name and predicate(payload):
                    return payload
            if time.monotonic() > deadline:
                raise AssertionError(f"no {name!r} event matching; saw {self.seen[-10:]}")
            time.sleep(0.02)

    def heard(self):
        """Everything received so far, in order (what `next` skipped, what it returned, and the rest)."""
        self._drain()
        self.seen.extend(self.pending)
        self.pending = []
        return self.seen

    def snapshot(self):
        """Ask for a snapshot over the socket, as a client does after a gap."""
        return self.client.call("snapshot", self.auth)

    def close(self):
        """Disconnect (what arrived before stays readable in `seen`)."""
        self.heard()
        if self.client.is_connected():
            self.client.disconnect()


class InProcessSite:
    """The app under test in this process: its address, its SQLite file, browsers and sockets."""

    url = BASE_URL

    def __init__(self, app, database):
        self.app = app
        self.database = database
        self.http = Stateless(app)

    def session(self):
        """A new browser with its own cookies."""
        return Session(self.app)

    def listen(self, auth, session=None):
        """A Socket.IO client with this `auth`, carrying `session`'s cookies if given."""
        return Listener(self.app, auth, session)
