"""Socket.IO handlers: who may listen to which room, and snapshots on request.

Clients send nothing that changes state over the socket; staff actions go over the HTTP API.
"""

import threading
import time

from flask import request
from flask_socketio import ConnectionRefusedError as Refused
from flask_socketio import emit
from flask_socketio import join_room

from .. import metrics
from ..data.engine import UNAVAILABLE
from ..live import board_outbox
from ..live import broadcast as live
from ..live.rooms import index_rooms
from ..reads import snapshots
from ..rules.errors import NotFound
from ..rules.errors import ValidationError
from ..rules.inputs import check_strings
from .auth import is_organiser
from .auth import is_staff
from .auth import sign_in_id
from .errors import RETRY_AFTER_SECONDS


def _subscription(auth):
    """The rooms a client may join, its event, and how to make its snapshot, from its `auth` (ticket token, or
    event and role)."""
    if not isinstance(auth, dict):
        raise ConnectionRefusedError("Say which ticket or event to follow.")
    token, slug = auth.get("ticket"), auth.get("event")
    try:
        check_strings(auth)
        if isinstance(token, str):
            slug = snapshots.event_of_ticket(token)
            rooms = [live.ticket_room(token), live.board_room(slug)]
            return rooms, slug, lambda: _ticket_snapshot(token)
        if isinstance(slug, str):
            if snapshots.version(slug) is None:
                raise NotFound("There is no such event.")
            if auth.get("role") == "staff":
                return _staff_rooms(slug), slug, lambda: {"staff": snapshots.staff(slug)}
            return [live.board_room(slug)], slug, lambda: {"board": snapshots.board(slug)}
    except (NotFound, ValidationError) as error:
        raise ConnectionRefusedError(error.message) from error
    raise ConnectionRefusedError("Say which ticket or event to follow.")


def _staff_rooms(slug):
    """A tablet's or the organiser's rooms, if signed in. The organiser's sign-out ends the organiser's rooms; a PIN
    change ends the therapists'; the organiser may end one tablet's sign-in alone (its own room)."""
    if not is_staff(slug):
        raise ConnectionRefusedError("Sign in with the event's staff PIN first.")
    if is_organiser():
        return [live.organiser_room(slug)]
    return [live.staff_room(slug), live.sign_in_room(sign_in_id())]


def _ticket_snapshot(token):
    """A runner's ticket and board, read together."""
    ticket, board = snapshots.ticket_with_board(token)
    return {"board": board, "ticket": live.own_ticket(ticket)}


def connect(auth=None):
    """A tablet or the organiser connects (through Flask-SocketIO, which reads the session): as `public_connect`."""
    public_connect(request.sid, auth, join_room, lambda snap: emit("snapshot", snap))


def _up_to_date(known, slug):
    """True if the version a client says it has is the event's current one."""
    return isinstance(known, int) and not isinstance(known, bool) and known == snapshots.version_now(slug)


def snapshot(auth=None, *_ignored):
    """Sent by a client that saw a gap in versions or woke from sleep; answered through the acknowledgement.

    Per connection, at most SNAPSHOT_BURST at once and SNAPSHOTS_PER_SECOND after (a client needs one now and
    then); a request made while the same one is being read gets that same answer instead of another read."""
    asking = _askers.setdefault(request.sid, Asker())
    return asking.answer(repr(auth), lambda: _snapshot_for(auth))


def _snapshot_for(auth):
    """The snapshot `auth` may see, or an error."""
    try:
        _, _, make = _subscription(auth)
        return make()
    except ConnectionRefusedError as error:
        return {"error": str(error)}
    except NotFound as error:
        return {"error": error.message}


SNAPSHOT_BURST = 5
SNAPSHOTS_PER_SECOND = 2.0
TOO_MANY = {"error": "Too many snapshot requests. Wait a moment.", "code": "rate_limited"}


class Asker:
    """One connection's snapshot requests: a token bucket, and the answers being read right now."""

    def __init__(self):
        self.tokens, self.refilled = float(SNAPSHOT_BURST), time.monotonic()
        self.reading = {}

    def answer(self, key, read):
        """The answer to a request `key`: shared with the same request in flight, refused over the rate."""
        if key in self.reading:
            ready, result = self.reading[key]
            ready.wait(30)
            return result[0] if result else TOO_MANY
        if not self._take():
            return TOO_MANY
        ready, result = threading.Event(), []
        self.reading[key] = (ready, result)
        try:
            result.append(read())
        finally:
            del self.reading[key]
            ready.set()
        return result[0]

    def _take(self):
        """Take a token if there is one, refilling at SNAPSHOTS_PER_SECOND."""
        now = time.monotonic()
        self.tokens = min(SNAPSHOT_BURST, self.tokens + (now - self.refilled) * SNAPSHOTS_PER_SECOND)
        self.refilled = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


_askers = {}


def disconnect(sid, *_reason):
    """Forget a connection's snapshot requests (a Socket.IO server handler: no Flask context)."""
    _askers.pop(sid, None)
    metrics.disconnected(sid)


def register(socketio):
    """Bind the handlers to the app's Socket.IO server (a new one for every app the factory builds).

    Connects and disconnects reach the Socket.IO server's own handlers first: a runner's phone or the TV needs
    no Flask app or request context and no session cookie (5,000 phones back from a blip pay for neither);
    a tablet's or the organiser's connect goes on to Flask-SocketIO's handler, which reads the session."""
    socketio.on_event("connect", connect)
    socketio.on_event("snapshot", snapshot)
    server = socketio.server
    index_rooms(server.manager)  # a disconnect leaves its rooms without looking in every room (live/rooms.py)
    signed_in = server.handlers["/"]["connect"]

    def connect_first(sid, environ, auth=None):
        if not _public(auth):
            return signed_in(sid, environ, auth)
        try:
            return public_connect(sid, auth, lambda room: server.enter_room(sid, room),
                                  lambda snap: server.emit("snapshot", snap, to=sid))
        except UNAVAILABLE:  # as web/errors.py socket_error does for a signed-in connect, outside Flask
            metrics.disconnected(sid)  # a refused connect never hears "disconnect"
            metrics.database_error("socket")
            raise Refused({"code": "unavailable", "retry_after": RETRY_AFTER_SECONDS}) from None

    server.on("connect", connect_first)
    server.on("disconnect", disconnect)


def _public(auth):
    """True for a runner's phone or the public board: auth that names no role, so needs no sign-in."""
    return isinstance(auth, dict) and "role" not in auth


def public_connect(sid, auth, enter, send):
    """A phone, TV or tablet connects: `enter` its rooms first, then `send` the snapshot, so no change falls between.

    A client back from a blip says the `version` it has; if nothing changed since, it gets no snapshot at all.
    A runner's phone and the TV come here outside any Flask context (`register`)."""
    rooms, slug, snapshot = _subscription(auth)
    for room in rooms:
        enter(room)
    metrics.connected(sid, rooms)
    try:
        if _up_to_date(auth.get("version"), slug):
            holds = auth["version"]
        else:
            sent = snapshot()
            send(sent)
            holds = sent["board"]["version"] if "board" in sent else None
    except NotFound as error:  # the ticket or event went away in between
        raise ConnectionRefusedError(error.message) from error
    board = live.board_room(slug)
    if holds is not None and board in rooms:  # a waiting board delta need not bring it what it holds
        board_outbox.caught_up(board, sid, holds)
