"""Changes made by time rather than a request: a called runner's grace time runs out.

The deadline is a row (the ticket's called_at and its service's grace time), not an in-memory
timer, so a restarted server, or any of several, expires the same calls exactly once.
"""

import logging

from ..clock import now as clock_now
from ..data import queue
from ..extensions import db
from ..extensions import socketio
from ..rules.estimates import overdue
from ..rules.tickets import Status
from .change import apply_change

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
                expire_overdue_calls(clock_now())
        except Exception:  # noqa: BLE001 - the sweep must outlive one bad run
            log.exception("expiring overdue calls failed")


def expire_overdue_calls(now):
    """Mark as no-show every called runner whose grace time has run out; returns how many."""
    with db.read() as session:
        slugs = sorted({slug for ticket, grace, slug in queue.called_tickets(session)
                        if overdue(ticket.called_at, grace, now)})
    return sum(apply_change(slug, now, _expire_in_event)["expired"] for slug in slugs)


def _expire_in_event(work):
    """Within one event's lock: recheck each called ticket and mark the overdue ones as no-shows."""
    expired = 0
    for ticket, grace, _slug in queue.called_tickets(work.session):
        if ticket.event_id == work.event.id and overdue(ticket.called_at, grace, work.now):
            work.move(ticket, Status.NO_SHOW, actor="timer")
            expired += 1
    return {"expired": expired}
