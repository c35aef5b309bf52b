"""Start the server: `python wsgi.py`. Monkey-patches first, builds the app, serves many connections."""

import os
import warnings

ASYNC_MODE = os.environ.get("ASYNC_MODE", "eventlet")
if ASYNC_MODE == "eventlet":
    # Deliberate: the design card asks for eventlet; the gevent mode is there for when it retires.
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    import eventlet

    eventlet.monkey_patch()

from queue_app import create_app  # noqa: E402
from queue_app import organise  # noqa: E402
from queue_app.clock import now  # noqa: E402
from queue_app.domain import ValidationError  # noqa: E402
from queue_app.extensions import socketio  # noqa: E402

# eventlet's defaults (1,024 connections, a backlog of 50) turn phones away on race day.
MAX_CONNECTIONS = 20_000
LISTEN_BACKLOG = 2_048

app = create_app()


def announce(config, demo_pin):
    """Print where to find everything, and the demo PIN if it was just set."""
    base = config["PUBLIC_URL"]
    print("Massage tent queue is running.", flush=True)
    print(f"  Runners join at:  {base}/e/demo/join", flush=True)
    print(f"  QR code:          {base}/e/demo/qr.svg  (and qr.png)", flush=True)
    print(f"  Therapists:       {base}/e/demo/staff", flush=True)
    if demo_pin:
        print(f"  Staff PIN:        {demo_pin}", flush=True)
    else:
        print("  Staff PIN:        as printed at first start; change it with DEMO_PIN=... "
              "or `flask --app wsgi set-pin demo`", flush=True)


def serve(config):
    """Listen on HOST:PORT with the async server the ASYNC_MODE setting names."""
    host, port = config["HOST"], config["PORT"]
    if ASYNC_MODE == "eventlet":
        import eventlet.wsgi

        # reuse_port=False: a stale server on the same port must make this one fail, not share its connections.
        listener = eventlet.listen((host, port), backlog=LISTEN_BACKLOG, reuse_port=False)
        eventlet.wsgi.server(listener, app, max_size=MAX_CONNECTIONS, log_output=False)
    else:
        socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True)


def main():
    """Make sure the demo event exists, say where it is, and serve."""
    try:
        demo_pin = organise.ensure_demo(app.config["DEMO_PIN"], now())
    except ValidationError as error:
        raise SystemExit(f"DEMO_PIN: {error.message}") from error
    announce(app.config, demo_pin)
    serve(app.config)


if __name__ == "__main__":
    main()
