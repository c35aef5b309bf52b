"""How `python wsgi.py` serves: eventlet's or gevent's server, with room for thousands of phones, deadlines for
clients that never finish a request, and a garbage collector that does not stop them all every few seconds.

A request's line and headers must arrive within `header_seconds` of the connection opening (or, on a kept-alive
connection, of the request's first byte), and a kept-alive connection may wait `idle_seconds` at most for its
next request: a slowloris that trickles a byte every few seconds is closed, however often it sends. Once the
app has the request, no deadline applies: a WebSocket lives for hours.
"""

import gc

# eventlet's defaults (1,024 connections, a backlog of 50) turn phones away on race day.
MAX_CONNECTIONS = 20_000
LISTEN_BACKLOG = 2_048
# Python collects its young objects every 700 new objects: objects that live a few seconds (a broadcast queued for
# thousands of sockets, each phone's ping task) reach the old generation, and with 3,000 idle phones a full
# collection, walking every phone's objects, stopped the server for 300-400 ms every 5 s. Every 50,000, most of
# those die young and full collections are rare (measured with tests/faults/test_idle_phones.py).
YOUNG_GENERATION_THRESHOLD = 50_000


def tune_garbage_collector():
    """Collect young objects rarely enough that short-lived ones die before they reach the old generation."""
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, middle, old)


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


def eventlet_protocol(header_seconds, idle_seconds):
    """eventlet's HTTP protocol with a deadline on each request's head and a limit on idle keep-alive."""
    import eventlet
    import eventlet.wsgi

    class Protocol(eventlet.wsgi.HttpProtocol):
        served = 0

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


def gevent_handler(base, header_seconds, idle_seconds):
    """gevent's request handler `base` with the same deadlines."""
    import gevent

    class Handler(base):
        served = 0

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


def serve_eventlet(app, host, port, header_seconds, idle_seconds):
    """eventlet's WSGI server on its own listener."""
    import eventlet
    import eventlet.wsgi

    # reuse_port=False: a stale server on the same port must make this one fail, not share its connections.
    listener = eventlet.listen((host, port), backlog=LISTEN_BACKLOG, reuse_port=False)
    eventlet.wsgi.server(listener, app, max_size=MAX_CONNECTIONS, log_output=False,
                         protocol=eventlet_protocol(header_seconds, idle_seconds))


def serve_gevent(app, host, port, header_seconds, idle_seconds):
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
    # The pool caps connections like eventlet's max_size; gevent's listener does not set SO_REUSEPORT.
    server = pywsgi.WSGIServer((host, port), app, backlog=LISTEN_BACKLOG, spawn=Pool(MAX_CONNECTIONS), log=None,
                               handler_class=gevent_handler(base, header_seconds, idle_seconds))
    server.serve_forever()
