"""How `python wsgi.py` serves: eventlet's or gevent's server, with room for thousands of phones, deadlines for
clients that never finish a request, and a garbage collector that does not stop them all every few seconds.

A request's line and headers must arrive within `header_seconds` of the connection opening (or, on a kept-alive
connection, of the request's first byte), and a kept-alive connection may wait `idle_seconds` at most for its
next request: a slowloris that trickles a byte every few seconds is closed, however often it sends. A body it
declares (Content-Length or chunked) must be in within `body_seconds` of the head, plus a second per
BODY_BYTES_PER_SECOND it declares; past that the reading gives up and the connection is closed. A request with
no body (a WebSocket's upgrade among them) has no deadline once its head is in: a WebSocket lives for hours.

How many connections, and from whom: queue_app/connection_limits.py.
"""

import gc
import time
from dataclasses import dataclass

from werkzeug.exceptions import RequestTimeout

from .connection_limits import Admission
from .connection_limits import SheddingListener
from .connection_limits import client_host
from .live.frames import serve_frames_on_eventlet

# eventlet's default backlog of 50 turns phones away on race day.
LISTEN_BACKLOG = 2_048
# A start list over a slow tent Wi-Fi: 10 MB at 50 kB/s is 200 s more than `body_seconds`.
BODY_BYTES_PER_SECOND = 50_000
# Python collects its young objects every 700 new objects: objects that live a few seconds (a broadcast queued for
# thousands of sockets, each phone's ping task) reach the old generation, and with 3,000 idle phones a full
# collection, walking every phone's objects, stopped the server for 300-400 ms every 5 s. Every 50,000, most of
# those die young and full collections are rare (measured with tests/faults/test_idle_phones.py).
YOUNG_GENERATION_THRESHOLD = 50_000


def tune_garbage_collector():
    """Collect young objects rarely enough that short-lived ones die before they reach the old generation, and
    leave what start-up made (modules, the app, SQLAlchemy's mappings, the catalogs) out of every collection."""
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, middle, old)
    # Called once the app is built, before the first connection: a full collection then walks only what serving
    # made, not the ~160,000 objects of start-up, so its pause at the race-day peak is shorter.
    gc.collect()
    gc.freeze()


@dataclass(frozen=True)
class Limits:
    """What the listener allows: the deadlines (seconds) and how many connections, in all and per address."""

    header_seconds: float
    idle_seconds: float
    body_seconds: float
    capacity: int
    per_address: int | None


class BodyTimeout(TimeoutError, RequestTimeout):
    """A request body that did not arrive in time: an OSError to the servers' readers, a 408 to Flask."""

    def __init__(self):
        TimeoutError.__init__(self, "The request's body did not arrive in time.")
        RequestTimeout.__init__(self)


class BodyDeadline:
    """A request's reader that gives up once its body's time is over (eventlet's and gevent's Input read through
    it), and tells the connection to close."""

    def __init__(self, rfile, seconds, start_timer, timeout_class, on_expiry):
        self._rfile, self._start_timer, self._timeout_class = rfile, start_timer, timeout_class
        self._deadline = time.monotonic() + seconds
        self._on_expiry = on_expiry

    def read(self, *args):
        """As the file's read, within the deadline."""
        return self._within(self._rfile.read, *args)

    def readline(self, *args):
        """As the file's readline, within the deadline."""
        return self._within(self._rfile.readline, *args)

    def readinto(self, buffer):
        """As the file's readinto, within the deadline."""
        return self._within(self._rfile.readinto, buffer)

    def _within(self, call, *args):
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            self._expire()
        timer = self._start_timer(remaining)
        try:
            return call(*args)
        except self._timeout_class as expired:
            if expired is not timer:
                raise
            self._expire()
        finally:
            timer.cancel()

    def _expire(self):
        self._on_expiry()
        raise BodyTimeout()

    def __getattr__(self, name):
        return getattr(self._rfile, name)


def body_seconds(headers, seconds):
    """The time a request's body has after its head: None without a body, else `seconds` plus its size's share."""
    length = headers.get("Content-Length")
    chunked = "chunked" in (headers.get("Transfer-Encoding") or "").lower()
    if not chunked and (not length or not length.strip().isdigit() or int(length) == 0):
        return None
    return seconds + (int(length) / BODY_BYTES_PER_SECOND if length and length.strip().isdigit() else 0)


def _next_request_arrives(rfile, seconds, start_timer, timeout_class):
    """True once the next request's first byte is readable; False if none comes within `seconds` or the client
    left."""
    timer = start_timer(seconds)
    try:
        return bool(rfile.peek(1))
    except timeout_class as expired:
        if expired is not timer:
            raise
        return False
    except (OSError, ValueError):  # reset by the client, or closed already
        return False
    finally:
        timer.cancel()


def eventlet_protocol(limits, admission):
    """eventlet's HTTP protocol with deadlines on each request's head and body, a limit on idle keep-alive, and
    `admission`'s cap on connections per address."""
    import eventlet
    import eventlet.wsgi

    header_seconds, idle_seconds = limits.header_seconds, limits.idle_seconds

    class Protocol(eventlet.wsgi.HttpProtocol):
        served = 0

        def handle(self):
            host = client_host(self.client_address)
            if not admission.enter(host):
                self.close_connection = 1
                return
            try:
                super().handle()
            finally:
                admission.leave(host)

        def get_environ(self):
            environ = super().get_environ()
            seconds = body_seconds(self.headers, limits.body_seconds)
            if seconds is not None:
                body = environ["eventlet.input"]
                body.rfile = BodyDeadline(body.rfile, seconds, eventlet.Timeout, eventlet.Timeout, self._give_up)
            return environ

        def _give_up(self):
            self.close_connection = 1

        def handle_one_request(self):
            if self.served and not _next_request_arrives(self.rfile, idle_seconds, eventlet.Timeout,
                                                         eventlet.Timeout):
                self.close_connection = 1
                return
            self.served += 1
            self.head_deadline = eventlet.Timeout(header_seconds)
            try:
                super().handle_one_request()
            except eventlet.Timeout as expired:
                if expired is not self.head_deadline:
                    raise
                self.close_connection = 1
            finally:
                self.head_deadline.cancel()

        def parse_request(self):
            try:
                return super().parse_request()
            finally:
                self.head_deadline.cancel()  # the head is in: from here on the time is the app's

    return Protocol


def gevent_handler(base, limits, admission):
    """gevent's request handler `base` with the same deadlines and cap per address."""
    import gevent

    header_seconds, idle_seconds = limits.header_seconds, limits.idle_seconds

    class Handler(base):
        served = 0

        def handle(self):
            host = client_host(self.client_address)
            if not admission.enter(host):
                self.close_connection = True
                return None
            try:
                return super().handle()
            finally:
                admission.leave(host)

        def get_environ(self):
            environ = super().get_environ()
            seconds = body_seconds(self.headers, limits.body_seconds)
            if seconds is not None and environ.get("wsgi.input") is self.wsgi_input:
                self.wsgi_input.rfile = BodyDeadline(self.wsgi_input.rfile, seconds, gevent.Timeout.start_new,
                                                     gevent.Timeout, self._give_up)
            return environ

        def _give_up(self):
            self.close_connection = True

        def handle_one_request(self):
            if self.served and not _next_request_arrives(self.rfile, idle_seconds, gevent.Timeout.start_new,
                                                         gevent.Timeout):
                return None
            self.served += 1
            self.head_deadline = gevent.Timeout.start_new(header_seconds)
            try:
                return super().handle_one_request()
            except gevent.Timeout as expired:
                if expired is not self.head_deadline:
                    raise
                return None
            finally:
                self.head_deadline.cancel()

        def read_request(self, raw_requestline):
            try:
                return super().read_request(raw_requestline)
            finally:
                self.head_deadline.cancel()

    return Handler


def serve_eventlet(app, host, port, limits):
    """eventlet's WSGI server on its own listener, which sheds connections rather than exit when the process has
    no file descriptor left (eventlet's server loop exits on any error of `accept` but a few)."""
    import eventlet
    import eventlet.wsgi

    serve_frames_on_eventlet()
    # reuse_port=False: a stale server on the same port must make this one fail, not share its connections.
    listener = eventlet.listen((host, port), backlog=LISTEN_BACKLOG, reuse_port=False)
    # The pool's cap stops the accepting while full: the kernel keeps the next phones in the backlog.
    eventlet.wsgi.server(SheddingListener(listener, sleep=eventlet.sleep), app, max_size=limits.capacity,
                         log_output=False, protocol=eventlet_protocol(limits, Admission(limits.per_address)))


def serve_gevent(app, host, port, limits):
    """gevent's WSGI server; WebSockets through gevent-websocket if installed, else simple-websocket."""
    from gevent import pywsgi
    from gevent.pool import Pool

    base = pywsgi.WSGIHandler
    try:
        from geventwebsocket.handler import WebSocketHandler

        # engine.io picks gevent-websocket whenever it is importable, and then needs its handler.
        base = WebSocketHandler
    except ImportError:
        pass
    # The pool caps connections like eventlet's max_size; gevent's listener does not set SO_REUSEPORT, and
    # backs off by itself when `accept` finds no descriptor left.
    handler = gevent_handler(base, limits, Admission(limits.per_address))
    server = pywsgi.WSGIServer((host, port), app, backlog=LISTEN_BACKLOG, spawn=Pool(limits.capacity), log=None,
                               handler_class=handler)
    server.serve_forever()
