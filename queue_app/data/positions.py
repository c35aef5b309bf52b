"""Where tickets stand in their queues: the positions (`seq`) the place rule and the lanes work from, the public
order keys beside them, and the waiting lines read along them (who is first, a runner's place, how many wait)."""

from sqlalchemy import bindparam
from sqlalchemy import func
from sqlalchemy import select

from ..rules.tickets import Status
from .models import Ticket

NEXT_SHOWN = 5  # numbers shown as "next" on the board: enough for a TV, constant in size


def lowest_seq(session, event_id):
    """The lowest queue position in use at the event, or None (for putting a runner back at the front)."""
    return session.scalar(select(func.min(Ticket.seq)).where(Ticket.event_id == event_id))


def seqs_in_use(session, event_id):
    """Every queue position the event's tickets hold, whatever their status."""
    return set(session.scalars(select(Ticket.seq).where(Ticket.event_id == event_id)))


# Every join asks these: built once, with bound parameters (data/queue.py says why).
_FURTHEST = (select(func.max(Ticket.seq), Ticket.category, Ticket.distance)
             .where(Ticket.event_id == bindparam("event_id"), Ticket.status == Status.WAITING,
                    Ticket.service_id == bindparam("service_id"))
             .group_by(Ticket.category, Ticket.distance))
_AROUND = (Ticket.event_id == bindparam("event_id"), Ticket.status == Status.WAITING,
           Ticket.service_id == bindparam("service_id"), Ticket.id != bindparam("ticket_id"))
_BEFORE = select(Ticket.pub).where(*_AROUND, Ticket.seq < bindparam("seq")).order_by(Ticket.seq.desc()).limit(1)
_AFTER = select(Ticket.pub).where(*_AROUND, Ticket.seq > bindparam("seq")).order_by(Ticket.seq).limit(1)
_HIGHEST = select(func.max(Ticket.pub)).where(Ticket.service_id == bindparam("service_id"),
                                              Ticket.id != bindparam("ticket_id"))


def furthest_waiting(session, event_id, service_id):
    """(furthest seq, category, distance) of a service's waiting runners, per category and distance: enough to know
    where each lane's last runner waits (rules/lanes.py lanes_waiting)."""
    return [tuple(row) for row in session.execute(_FURTHEST, {"event_id": event_id, "service_id": service_id})]


def waiting_arrivals(session, event_id, service_id):
    """A service's queue as (seq, ticket id) pairs, in queue order: ids grow with each join, so they tell arrival."""
    query = (select(Ticket.seq, Ticket.id)
             .where(Ticket.event_id == event_id, Ticket.status == Status.WAITING, Ticket.service_id == service_id)
             .order_by(Ticket.seq))
    return [tuple(row) for row in session.execute(query)]


def waiting_positions(session, event_id):
    """{service_id: the queue positions (`seq`) of its waiting tickets, in order}: one read along the
    waiting_queue index, from which any waiting runner's place is a bisect."""
    query = (
        select(Ticket.service_id, Ticket.seq)
        .where(Ticket.event_id == event_id, Ticket.status == Status.WAITING)
        .order_by(Ticket.service_id, Ticket.seq)
    )
    positions = {}
    for service_id, seq in session.execute(query):
        positions.setdefault(service_id, []).append(seq)
    return positions


def waiting_neighbours(session, ticket):
    """The public order keys (`pub`) of the waiting tickets just before and just after `ticket`'s seq in its
    service's queue, and the highest any other ticket of the service holds (None where there is none), leaving
    the ticket itself out (rules/order_keys.py)."""
    around = {"event_id": ticket.event_id, "service_id": ticket.service_id, "ticket_id": ticket.id, "seq": ticket.seq}
    highest = session.scalar(_HIGHEST, {"service_id": ticket.service_id, "ticket_id": ticket.id})
    return session.scalar(_BEFORE, around), session.scalar(_AFTER, around), highest


# The statements every change runs are built once, with bound parameters (data/queue.py says why).
_FIRST_WAITING = (
    select(Ticket)
    .where(Ticket.event_id == bindparam("event_id"), Ticket.service_id == bindparam("service_id"),
           Ticket.status == Status.WAITING)
    .order_by(Ticket.seq)
    .limit(1)
    .with_for_update(skip_locked=True)
)


def claim_first_waiting(session, event_id, service_id):
    """Lock and return the first waiting ticket of a service's queue, or None (PostgreSQL skips rows others hold)."""
    return session.scalars(_FIRST_WAITING, {"event_id": event_id, "service_id": service_id}).first()


# event_id and status first, so the count walks the waiting_queue index instead of the whole day's tickets.
_PLACE = select(func.count()).where(
    Ticket.event_id == bindparam("event_id"), Ticket.status == Status.WAITING, Ticket.seq <= bindparam("seq"),
    Ticket.service_id == bindparam("service_id"),
)


def place_in_queue(session, ticket):
    """1 for the next runner of the ticket's service, 2 for the one after, ..."""
    return session.scalar(_PLACE, {"event_id": ticket.event_id, "seq": ticket.seq, "service_id": ticket.service_id})


def waiting_behind(session, ticket, limit):
    """The next `limit` waiting tickets after this one in its service's queue, in queue order, locked."""
    query = (
        select(Ticket)
        .where(Ticket.event_id == ticket.event_id, Ticket.status == Status.WAITING,
               Ticket.service_id == ticket.service_id, Ticket.seq > ticket.seq)
        .order_by(Ticket.seq)
        .limit(limit)
        .with_for_update()
    )
    return session.scalars(query).all()


_WAITING_COUNTS = (
    select(Ticket.service_id, func.count())
    .where(Ticket.event_id == bindparam("event_id"), Ticket.status == Status.WAITING)
    .group_by(Ticket.service_id)
)


def waiting_counts(session, event_id):
    """{service_id: number of runners waiting}."""
    return dict(session.execute(_WAITING_COUNTS, {"event_id": event_id}).all())


_NEXT_WAITING = (
    select(Ticket.label)
    .where(Ticket.event_id == bindparam("event_id"), Ticket.status == Status.WAITING,
           Ticket.service_id == bindparam("service_id"))
    .order_by(Ticket.seq)
    .limit(NEXT_SHOWN)
)


def next_waiting_labels(session, event_id, service_id):
    """The numbers of the next NEXT_SHOWN waiting tickets of a service, in queue order (along the waiting_queue
    index)."""
    return session.scalars(_NEXT_WAITING, {"event_id": event_id, "service_id": service_id}).all()
