"""Socket.IO handlers: who may listen to which room, and snapshots on request.

Clients send nothing that changes state over the socket; staff actions go over the HTTP API.
"""

from flask_socketio import emit
from flask_socketio import join_room

from ..live import broadcast as live
from ..reads import snapshots
from ..rules.errors import NotFound
from ..rules.errors import ValidationError
from ..rules.inputs import check_strings
from .auth import is_staff


def _subscription(auth):
    """The rooms a client may join and how to make its snapshot, from its `auth` (ticket token, or event and role)."""
    if not isinstance(auth, dict):
        raise ConnectionRefusedError("Say which ticket or event to follow.")
    token, slug = auth.get("ticket"), auth.get("event")
    try:
        check_strings(auth)
        if isinstance(token, str):
            slug = snapshots.event_of_ticket(token)
            rooms = [live.ticket_room(token), live.board_room(slug)]
            return rooms, lambda: _ticket_snapshot(token)
        if isinstance(slug, str):
            snapshots.event_page(slug)  # an unknown event is refused here, with its message
            if auth.get("role") == "staff":
                if not is_staff(slug):
                    raise ConnectionRefusedError("Sign in with the event's staff PIN first.")
                return [live.staff_room(slug)], lambda: {"staff": snapshots.staff(slug)}
            return [live.board_room(slug)], lambda: {"board": snapshots.board(slug)}
    except (NotFound, ValidationError) as error:
        raise ConnectionRefusedError(error.message) from error
    raise ConnectionRefusedError("Say which ticket or event to follow.")


def _ticket_snapshot(token):
    """A runner's ticket and board, read together."""
    ticket, board = snapshots.ticket_with_board(token)
    return {"board": board, "ticket": live.own_ticket(ticket)}


def connect(auth=None):
    """A phone, TV or tablet connects: join its rooms first, then send the snapshot, so no change falls between."""
    rooms, snapshot = _subscription(auth)
    for room in rooms:
        join_room(room)
    try:
        emit("snapshot", snapshot())
    except NotFound as error:  # the ticket or event went away in between
        raise ConnectionRefusedError(error.message) from error


def snapshot(auth=None, *_ignored):
    """Sent by a client that saw a gap in versions or woke from sleep; answered through the acknowledgement."""
    try:
        _, make = _subscription(auth)
        return make()
    except ConnectionRefusedError as error:
        return {"error": str(error)}
    except NotFound as error:
        return {"error": error.message}


def register(socketio):
    """Bind the handlers to the app's Socket.IO server (a new one for every app the factory builds)."""
    socketio.on_event("connect", connect)
    socketio.on_event("snapshot", snapshot)
