"""The public board's deltas, sent at most a few times a second per event, each carrying every change since the
last: a burst of calls at a big tent costs one emit to thousands of phones, not one per call.

Each delta keeps the versions it covers as `steps` ({version, changes}), in order, with the newest services and
announcement; `since` and `version` are its first and last. Versions stay whole: every committed change is
one step, so a client still sees a gap (and asks for a snapshot) if it misses one. With several server
processes each sends its own steps; clients put them in order (static/js/live.js).
"""

import threading
import time

from engineio import packet as eio_packet
from flask import current_app
from socketio import PubSubManager
from socketio import packet

from .. import metrics
from ..extensions import socketio
from .frames import framed
from .frames import write_now

BOARD_EVERY_SECONDS = 0.25  # the default of the BOARD_DELTA_SECONDS setting
# Phones handed a delta before the loop lets a tablet's request in: 700 phones at the race-day peak held the loop
# for one emit's whole length, and staff actions queued behind it.
PHONES_PER_SLICE = 200


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
    """Add one committed version's board changes; send at once if the last delta went long enough ago, else soon."""
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
    # Due now: sent in the change's own request, so a phone connecting meanwhile gets its snapshot and the deltas in
    # version order (a task of its own let a delta overtake a connecting phone's snapshot: the places property test,
    # tests/integration/test_places.py, caught it). emit_in_slices yields to the loop every PHONES_PER_SLICE phones.
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
    emit_in_slices("board", delta, room)
    metrics.board_delta(len(steps), time.monotonic() - first_at)


def emit_in_slices(event, data, room):
    """Emit to everyone in `room`, encoded and framed once, written straight to each phone's socket where nothing is
    queued for it (frames.write_now), yielding to the event loop every PHONES_PER_SLICE phones.

    With a message queue (several processes) the emit goes through it as usual, and each process sends it whole;
    without an event loop (tests, the CLI) it is sent at once."""
    server = socketio.server
    if isinstance(server.manager, PubSubManager) or server.async_mode not in ("eventlet", "gevent"):
        socketio.emit(event, data, to=room)
        return
    encoded = server.packet_class(packet.EVENT, namespace="/", data=[event, data]).encode()
    message = eio_packet.Packet(eio_packet.MESSAGE, encoded)
    message.encode_cache = framed(message.encode())  # engine.io's own cache: every phone's socket gets this text
    frame, phones = message.encode_cache.frame, server.eio.sockets
    # A list, not the room itself: phones join and leave while this yields.
    for count, (_sid, eio_sid) in enumerate(list(server.manager.get_participants("/", room)), start=1):
        if not write_now(phones.get(eio_sid), frame):
            server._send_eio_packet(eio_sid, message)
        if count % PHONES_PER_SLICE == 0:
            socketio.sleep(0)
