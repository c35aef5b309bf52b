"""The floor: a bare Flask-SocketIO server that only broadcasts one small message to one room on POST /fire.

Started like wsgi.py (same async mode, same listener limits), so our figures can be read against it.
"""

import os
import warnings

ASYNC_MODE = os.environ.get("ASYNC_MODE", "eventlet")
if ASYNC_MODE == "eventlet":
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    import eventlet

    eventlet.monkey_patch()
else:
    from gevent import monkey

    monkey.patch_all()

from flask import Flask  # noqa: E402
from flask import request  # noqa: E402
from flask_socketio import SocketIO  # noqa: E402
from flask_socketio import join_room  # noqa: E402

app = Flask(__name__)
socketio = SocketIO(app, async_mode=ASYNC_MODE, ping_interval=10, ping_timeout=10, cors_allowed_origins="*")
state = {"version": 0}
# The same shape and size as one of our board deltas (a call to a table).
CHANGE = {"number": "P-001", "service": "pre", "seq": 1, "status": "called", "table": 1, "from": "waiting"}


@app.get("/")
def index():
    """Answers so the bench knows the server is up."""
    return "floor"


@app.post("/fire")
def fire():
    """Broadcast one small message to the one room every phone is in."""
    state["version"] += 1
    socketio.emit("board", {"version": state["version"], "changes": [CHANGE]}, to="board")
    return {"version": state["version"]}


# A snapshot of the size of ours for a phone (board and ticket, about 1.5 KB), sent on every connect.
SNAPSHOT = {"board": {"version": 0, "services": {code: {"name": f"{code} massage", "status": "open", "minutes": 10,
                                                        "waiting": 1000, "tables": 6, "per_place": 1.7,
                                                        "next": ["P-001", "P-002", "P-003", "P-004", "P-005"]}
                                                 for code in ("pre", "post")},
                      "serving": [dict(CHANGE, number=f"P-{n:03d}", table=n) for n in range(1, 7)]},
            "ticket": {"number": "P-500", "service": "pre", "status": "waiting", "place": 500, "version": 0}}


@socketio.on("connect")
def connect(auth=None):
    """Every phone joins the one room and gets a snapshot, as ours does."""
    join_room("board")
    socketio.emit("snapshot", dict(SNAPSHOT, board=dict(SNAPSHOT["board"], version=state["version"])),
                  to=request.sid)


def without_websocket_compression(wsgi_app):
    """As wsgi.py does unless WEBSOCKET_DEFLATE=on: no permessage-deflate, so the floor compares like with like."""

    def serve_uncompressed(environ, start_response):
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return wsgi_app(environ, start_response)

    return serve_uncompressed


if os.environ.get("WEBSOCKET_DEFLATE", "off") != "on":
    app.wsgi_app = without_websocket_compression(app.wsgi_app)


def main():
    """Serve on HOST:PORT with the same limits as wsgi.py."""
    host, port = os.environ.get("HOST", "127.0.0.1"), int(os.environ["PORT"])
    if ASYNC_MODE == "eventlet":
        import eventlet.wsgi

        listener = eventlet.listen((host, port), backlog=2048, reuse_port=False)
        eventlet.wsgi.server(listener, app, max_size=20_000, log_output=False)
    else:
        from gevent import pywsgi
        from gevent.pool import Pool

        pywsgi.WSGIServer((host, port), app, backlog=2048, spawn=Pool(20_000), log=None).serve_forever()


if __name__ == "__main__":
    main()
