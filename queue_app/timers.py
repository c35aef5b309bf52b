"""Rules that act with time rather than a request: the called runner's grace time runs out.

The deadline is a row (the ticket's called_at and its service's grace time), not an in-memory
timer, so a restarted server, or any of several, expires the same calls exactly once.
"""

import logging

from . import services
from .clock import now
from .extensions import socketio

log = logging.getLogger(__name__)


def start(app, interval_seconds):
    """Run the sweep every `interval_seconds` in a background task of the server process."""
    socketio.start_background_task(_sweep_forever, app, interval_seconds)


def _sweep_forever(app, interval_seconds):
    """Expire overdue calls, forever; a failed sweep is logged and tried again next time."""
    while True:
        socketio.sleep(interval_seconds)
        try:
            with app.app_context():
                services.expire_overdue_calls(now())
        except Exception:  # noqa: BLE001 - the sweep must outlive one bad run
            log.exception("expiring overdue calls failed")
