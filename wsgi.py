"""Start the server: `python wsgi.py`. Monkey-patches first, builds the app, serves many connections."""

import os
import warnings

ASYNC_MODE = os.environ.get("ASYNC_MODE", "eventlet")
# Only the server patches: `flask --app wsgi <command>` imports this module after Flask, and needs no event loop.
SERVING = __name__ == "__main__"
if SERVING and ASYNC_MODE == "eventlet":
    # Deliberate: the design card asks for eventlet; the gevent mode is there for when it retires.
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    import eventlet

    eventlet.monkey_patch()
elif SERVING and ASYNC_MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()


def make_postgres_cooperative(mode):
    """Let psycopg2 wait for PostgreSQL through the event loop, so one slow query does not freeze the process."""
    try:
        if mode == "eventlet":
            from psycogreen.eventlet import patch_psycopg
        elif mode == "gevent":
            from psycogreen.gevent import patch_psycopg
        else:
            return
        patch_psycopg()
    except ImportError:
        # Without psycopg2 there is no PostgreSQL to wait on: SQLite needs nothing here.
        pass


def pin_resp2(url):
    """The message-queue URL with `protocol=2` added: python-socketio's Redis manager cannot read RESP3 replies."""
    if not url or not url.startswith(("redis://", "rediss://")) or "protocol=" in url:
        return url
    return url + ("&" if "?" in url else "?") + "protocol=2"


if SERVING:
    make_postgres_cooperative(ASYNC_MODE)
if os.environ.get("SOCKETIO_MESSAGE_QUEUE"):
    os.environ["SOCKETIO_MESSAGE_QUEUE"] = pin_resp2(os.environ["SOCKETIO_MESSAGE_QUEUE"])

from queue_app import connection_limits  # noqa: E402
from queue_app import create_app  # noqa: E402
from queue_app import serving  # noqa: E402
from queue_app.actions import setup  # noqa: E402
from queue_app.actions import sweep  # noqa: E402
from queue_app.clock import now  # noqa: E402
from queue_app.extensions import db  # noqa: E402
from queue_app.extensions import socketio  # noqa: E402
from queue_app.rules.errors import ValidationError  # noqa: E402

app = create_app()


def without_websocket_compression(wsgi_app):
    """Wrap the app so no WebSocket negotiates permessage-deflate (set WEBSOCKET_DEFLATE=on to keep it)."""

    def serve_uncompressed(environ, start_response):
        # A broadcast is compressed once per phone: a quarter of its CPU, to save ~200 bytes (bench/README.md).
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return wsgi_app(environ, start_response)

    return serve_uncompressed


if os.environ.get("WEBSOCKET_DEFLATE", "off") != "on":
    app.wsgi_app = without_websocket_compression(app.wsgi_app)


def announce(config, demo_pin, organiser_password):
    """Print where to find everything, and the demo PIN and organiser password if they were just set."""
    base = config["PUBLIC_URL"]
    print("Massage tent queue is running.", flush=True)
    print(f"  Runners join at:  {base}/e/demo/join", flush=True)
    print(f"  QR code:          {base}/e/demo/qr.svg  (and qr.png)", flush=True)
    print(f"  Therapists:       {base}/e/demo/staff", flush=True)
    print(f"  Async mode:       {ASYNC_MODE}", flush=True)
    if demo_pin:
        print(f"  Staff PIN:        {demo_pin}", flush=True)
    else:
        print("  Staff PIN:        as printed at first start; change it with DEMO_PIN=... "
              "or `flask --app wsgi set-pin demo`", flush=True)
    print(f"  Organiser:        {base}/admin", flush=True)
    if organiser_password:
        print(f"  Organiser password: {organiser_password}  (shown once; change it with "
              "`flask --app wsgi set-password`)", flush=True)


def listener_limits(config):
    """Raise the open-files limit as far as allowed, and the listener's deadlines and connection caps within it."""
    open_files = connection_limits.raise_open_files_limit()
    capacity = connection_limits.connection_capacity(open_files)
    per_address = connection_limits.per_address_cap(config["MAX_CONNECTIONS_PER_ADDRESS"], capacity,
                                                    config["TRUSTED_PROXIES"] > 0)
    print(f"  Connections:      {capacity} at most, {per_address or 'any number'} per address "
          f"(open-files limit {open_files})", flush=True)
    return serving.Limits(config["HEADER_TIMEOUT_SECONDS"], config["IDLE_TIMEOUT_SECONDS"],
                          config["BODY_TIMEOUT_SECONDS"], capacity, per_address)


def serve(config):
    """Listen on HOST:PORT with the async server the ASYNC_MODE setting names."""
    host, port = config["HOST"], config["PORT"]
    serving.tune_garbage_collector()
    if ASYNC_MODE == "eventlet":
        serving.serve_eventlet(app, host, port, listener_limits(config))
    elif ASYNC_MODE == "gevent":
        serving.serve_gevent(app, host, port, listener_limits(config))
    else:
        socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True)


def main():
    """Make sure the demo event exists, say where it is, and serve."""
    try:
        # Several processes may start together on one PostgreSQL database: only one creates the demo rows.
        with db.one_process_at_a_time():
            demo_pin = setup.ensure_demo(app.config["DEMO_PIN"], now(), app.config["EVENT_TIME_ZONE"])
            organiser_password = setup.ensure_organiser_password(app.config["ORGANISER_PASSWORD"], now())
    except ValidationError as error:
        raise SystemExit(f"Refusing to start: {error.message}") from error
    announce(app.config, demo_pin, organiser_password)
    sweep.start(app, app.config["SWEEP_SECONDS"])
    serve(app.config)


if __name__ == "__main__":
    main()
