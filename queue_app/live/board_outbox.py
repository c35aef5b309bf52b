"""The public board's deltas, sent at most a few times a second per event, each carrying every change since the
last: a burst of calls at a big tent costs one emit to thousands of phones, not one per call.

Each delta keeps the versions it covers as `steps` ({version, changes}), in order, with the newest services and
announcement; `since` and `version` are its first and last. Versions stay whole: every committed change is
one step, so a client still sees a gap (and asks for a snapshot) if it misses one. With several server
processes each sends its own steps; clients put them in order (static/js/live.js).
"""

import threading
import time

from flask import current_app

from .. import metrics
from ..extensions import socketio

BOARD_EVERY_SECONDS = 0.25  # the default of the BOARD_DELTA_SECONDS setting


class _Outbox:
    """One event's board steps waiting to go out, and when its last delta went."""

    def __init__(self):
        self.steps = []
        self.services = None
        self.notice = None  # {"announcement": text, "announcements": {language: text}}
        self.newest = -1  # the version the services and notice are of
        self.sent_at = 0.0
        self.due = False
        self.first_at = 0.0  # when the oldest step waiting was gathered


_outboxes = {}
_lock = threading.Lock()


def queue_board(room, version, services, notice, changes):
    """Add one committed version's board changes; send now if the last delta went long enough ago, else soon."""
    with _lock:
        box = _outboxes.setdefault(room, _Outbox())
        box.first_at = box.first_at if box.steps else time.monotonic()
        box.steps.append({"version": version, "changes": changes})
        if version > box.newest:
            box.services, box.notice, box.newest = services, notice, version
        if box.due:
            return
        wait = box.sent_at + current_app.config.get("BOARD_DELTA_SECONDS", BOARD_EVERY_SECONDS) - time.monotonic()
        box.due = True
    if wait <= 0:
        _send(room)
    else:
        socketio.start_background_task(_send_later, room, wait)


def _send_later(room, wait):
    socketio.sleep(wait)
    _send(room)


def _send(room):
    """Emit what the room's outbox holds as one delta."""
    with _lock:
        box = _outboxes[room]
        steps = sorted(box.steps, key=lambda step: step["version"])
        box.steps, box.due, box.sent_at = [], False, time.monotonic()
        services, notice, first_at = box.services, box.notice, box.first_at
        box.services, box.newest = None, -1
    if not steps:
        return
    delta = {"since": steps[0]["version"], "version": steps[-1]["version"], "services": services,
             **notice, "steps": steps,
             "changes": [change for step in steps for change in step["changes"]]}
    socketio.emit("board", delta, to=room)
    metrics.board_delta(len(steps), time.monotonic() - first_at)
