"""The public board's deltas, sent at most a few times a second per event, each carrying every change since the
last: a burst of calls at a big tent costs one emit to thousands of phones, not one per call.

Each delta keeps the versions it covers as `steps` ({version, changes}), in order, with the newest services and
announcement; `since` and `version` are its first and last. Versions stay whole: every committed change is
one step, so a client still sees a gap (and asks for a snapshot) if it misses one. With several server
processes each sends its own steps; clients put them in order (static/js/live.js).
"""

import threading
import time
import weakref

from flask import current_app

from .. import metrics
from ..extensions import socketio
from . import message_queue
from .frames import GREEN_MODES
from .frames import write_in_slices

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
        self.current = {}  # sid: the version a client connected with or to while steps waited


# Each app the factory builds has a Socket.IO server of its own, and its own outboxes: a delta waiting in one app
# (the tests build many in one process) never carries another's versions or goes to another's clients.
_outboxes = weakref.WeakKeyDictionary()  # Socket.IO server: {room: _Outbox}
_lock = threading.Lock()


def _boxes(server):
    """The outboxes of the app whose Socket.IO server this is (call with _lock held)."""
    return _outboxes.setdefault(server, {})


def queue_board(room, version, services, notice, changes):
    """Add one committed version's board changes; send at once if the last delta went long enough ago, else soon."""
    server = socketio.server
    with _lock:
        box = _boxes(server).setdefault(room, _Outbox())
        box.first_at = box.first_at if box.steps else time.monotonic()
        box.steps.append({"version": version, "changes": changes})
        if version > box.newest:
            box.services, box.notice, box.newest = services, notice, version
        if box.due:
            return
        wait = box.sent_at + current_app.config.get("BOARD_DELTA_SECONDS", BOARD_EVERY_SECONDS) - time.monotonic()
        box.due = True
    # Due now: sent in the change's own request, so a phone connecting meanwhile gets its snapshot and the deltas in
    # version order (a task of its own let a delta overtake a connecting phone's snapshot: the places property test,
    # tests/integration/test_places.py, caught it). emit_in_slices yields to the loop every few hundred phones.
    if wait <= 0:
        _send(server, room)
    else:
        socketio.start_background_task(_send_later, server, room, wait)


def caught_up(room, sid, version):
    """Client `sid` in `room` holds every version up to `version` (its snapshot's, or the one it came back with): the
    delta waiting to go out skips it if it carries nothing newer. Without this, a phone back from a blip within a
    quarter second of a change heard that change again, as a delta of steps it already had."""
    with _lock:
        box = _boxes(socketio.server).get(room)
        if box is not None and box.steps:
            box.current[sid] = version


def _send_later(server, room, wait):
    socketio.sleep(wait)
    _send(server, room)


def _send(server, room):
    """Emit what the room's outbox holds as one delta."""
    with _lock:
        box = _boxes(server)[room]
        steps = sorted(box.steps, key=lambda step: step["version"])
        box.steps, box.due, box.sent_at = [], False, time.monotonic()
        services, notice, first_at = box.services, box.notice, box.first_at
        box.services, box.newest = None, -1
        current, box.current = box.current, {}
    if not steps:
        return
    delta = {"since": steps[0]["version"], "version": steps[-1]["version"], "services": services,
             **notice, "steps": steps,
             "changes": [change for step in steps for change in step["changes"]]}
    emit_in_slices(server, "board", delta, room, skip={sid for sid, has in current.items() if has >= delta["version"]})
    metrics.board_delta(len(steps), time.monotonic() - first_at)


def emit_in_slices(server, event, data, room, skip=frozenset()):
    """Emit to everyone in `room` on `server` but the sids in `skip`, in slices that yield (frames.write_in_slices).

    With the message queue (several processes) it is published first, and each process writes it in slices
    (message_queue.RedisManager); without an event loop (tests, the CLI) it is sent at once."""
    if server.async_mode not in GREEN_MODES:
        server.emit(event, data, to=room, skip_sid=list(skip) or None)
    elif isinstance(server.manager, message_queue.RedisManager):
        server.manager.emit_in_slices(event, data, room, skip)
    else:
        write_in_slices(server, "/", [event, data], room, skip)
