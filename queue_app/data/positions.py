"""Where tickets stand in their queues: the positions (`seq`) the place rule and the lanes work from."""

from sqlalchemy import func
from sqlalchemy import select

from ..rules.tickets import Status
from .models import Ticket


def lowest_seq(session, event_id):
    """The lowest queue position in use at the event, or None (for putting a runner back at the front)."""
    return session.scalar(select(func.min(Ticket.seq)).where(Ticket.event_id == event_id))


def seqs_in_use(session, event_id):
    """Every queue position the event's tickets hold, whatever their status."""
    return set(session.scalars(select(Ticket.seq).where(Ticket.event_id == event_id)))


def furthest_waiting(session, event_id, service_id):
    """(furthest seq, category, distance) of a service's waiting runners, per category and distance: enough to know
    where each lane's last runner waits (rules/lanes.py lanes_waiting)."""
    query = (select(func.max(Ticket.seq), Ticket.category, Ticket.distance)
             .where(Ticket.event_id == event_id, Ticket.status == Status.WAITING, Ticket.service_id == service_id)
             .group_by(Ticket.category, Ticket.distance))
    return [tuple(row) for row in session.execute(query)]


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
