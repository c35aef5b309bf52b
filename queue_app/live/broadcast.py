"""Live updates out: the only module that knows rooms, Socket.IO event names and payload shapes.

A committed change reaches each room with one broadcast: `board` (public, numbers only) to
`board:<event>`, gathered a quarter of a second at a time (board_outbox.py); `staff` (full detail) to
`staff:<event>` and `organiser:<event>` at once; and `ticket` to the room of each ticket that changed, at
once. Every broadcast carries the event's version; a client that sees a gap asks for a snapshot.
"""

from dataclasses import dataclass
from dataclasses import field

from ..extensions import socketio
from .board_outbox import queue_board

PUBLIC_TICKET_FIELDS = ("number", "service", "seq", "status", "table")
OWN_TICKET_FIELDS = PUBLIC_TICKET_FIELDS + (
    "service_name", "first_name", "place", "estimated_wait_minutes", "wait_range", "requeues", "version",
    "called_at", "grace_seconds", "grace_ends_at", "on_way_at", "stepped_back", "lane",
)


MOVED_MESSAGE = "This ticket is now on another phone. Your place is kept there."
STAFF_SIGNED_OUT = "The staff PIN changed. Sign in again with the new one."
SIGN_IN_ENDED = "The organiser ended this tablet's sign-in. Sign in again to go on."
ORGANISER_SIGNED_OUT = "The organiser signed out. Sign in again to follow the tent."


@dataclass
class Broadcast:
    """What one committed transaction changed: the new version, the service summaries and the moved tickets.

    `announcement` is the organiser's message to every phone and the board, sent along unchanged.
    """

    slug: str
    version: int
    services: dict
    announcement: str | None
    changes: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    retired_tokens: list = field(default_factory=list)
    staff_signed_out: bool = False
    announcements: dict = field(default_factory=dict)  # the announcement in other languages: {language: text}
    ended_sign_ins: list = field(default_factory=list)  # keys of tablets whose sign-in the organiser ended


def board_room(slug):
    """Room of everyone watching an event's public board: runners' phones and the TV."""
    return f"board:{slug}"


def staff_room(slug):
    """Room of an event's therapists, signed in with its PIN."""
    return f"staff:{slug}"


def sign_in_room(key):
    """Room of one tablet's staff sign-in: the organiser can end it alone."""
    return f"sign_in:{key}"


def organiser_room(slug):
    """Room of the organiser's dashboards following an event (they hear what tablets hear)."""
    return f"organiser:{slug}"


def organisers_signed_out(slugs):
    """The organiser signed out or changed the password: every dashboard is told, and hears nothing more."""
    for slug in slugs:
        socketio.emit("signed_out", {"message": ORGANISER_SIGNED_OUT}, to=organiser_room(slug))
        socketio.close_room(organiser_room(slug))


def ticket_room(token):
    """Room of the one runner holding this ticket token."""
    return f"ticket:{token}"


def public_change(facts):
    """A ticket's move as the public may see it: where it was and is (status, queue, position, table), no name."""
    view = {key: facts[key] for key in PUBLIC_TICKET_FIELDS}
    view["from"] = facts.get("from")
    view["from_service"] = facts.get("from_service", facts["service"])
    view["from_seq"] = facts.get("from_seq", facts["seq"])
    return view


def own_ticket(facts):
    """A ticket as its own runner sees it."""
    return {key: facts.get(key) for key in OWN_TICKET_FIELDS}


def staff_ticket(facts):
    """A ticket with everything staff see; the runner's token stays out, it is the runner's key alone."""
    return {key: value for key, value in facts.items() if key != "token"}


def board_snapshot(version, services, serving, announcement, announcements=None):
    """The public board in full: per-service counts, the tickets called to tables and the organiser's message
    (with its translations, {language: text})."""
    return {"version": version, "services": services, "serving": [public_change(f) for f in serving],
            "announcement": announcement, "announcements": announcements or {}}


def staff_snapshot(version, services, tables, tickets):
    """Everything a tablet needs to draw itself: services, tables and every active ticket with detail."""
    return {"version": version, "services": services, "tables": tables, "tickets": [staff_ticket(f) for f in tickets]}


def send(broadcast):
    """Send one committed change to each room that may see it: one emit per room."""
    slug, version = broadcast.slug, broadcast.version
    for token in broadcast.retired_tokens:
        # The old phone of a ticket moved to a new one: tell it, then let it hear nothing more of that ticket.
        socketio.emit("moved", {"message": MOVED_MESSAGE}, to=ticket_room(token))
        socketio.close_room(ticket_room(token))
    for facts in broadcast.changes:
        socketio.emit("ticket", own_ticket(facts), to=ticket_room(facts["token"]))
    # Phones and the TV hear a few deltas a second at most (board_outbox); tablets hear each change at once.
    queue_board(board_room(slug), version, broadcast.services,
                {"announcement": broadcast.announcement, "announcements": broadcast.announcements},
                [public_change(f) for f in broadcast.changes])
    for key in broadcast.ended_sign_ins:
        # One tablet's sign-in ended: it goes back to sign in; the others keep working.
        socketio.emit("signed_out", {"message": SIGN_IN_ENDED}, to=sign_in_room(key))
        socketio.close_room(sign_in_room(key))
    if broadcast.staff_signed_out:
        # The PIN changed: tablets go back to sign in, and their sockets hear nothing more of this event.
        socketio.emit("signed_out", {"message": STAFF_SIGNED_OUT}, to=staff_room(slug))
        socketio.close_room(staff_room(slug))
    # Tablets need every table's turn (the service it called from last) to show who it calls next.
    staff = {"version": version, "services": broadcast.services, "tables": broadcast.tables,
             "tickets": [staff_ticket(f) for f in broadcast.changes]}
    socketio.emit("staff", staff, to=[staff_room(slug), organiser_room(slug)])
