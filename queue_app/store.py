"""Every query the app makes: loading, locking, claiming and counting rows."""

from sqlalchemy import func
from sqlalchemy import select

from .domain import ACTIVE
from .domain import AT_TABLE
from .domain import Status
from .models import Event
from .models import IdempotentResult
from .models import Referral
from .models import Runner
from .models import Service
from .models import Station
from .models import Ticket
from .models import TicketEvent


def event_by_slug(session, slug, lock=False):
    """The event with this slug, or None; `lock` holds its row until commit, serialising writers per event."""
    query = select(Event).where(Event.slug == slug)
    if lock:
        query = query.with_for_update()
    return session.scalars(query).one_or_none()


def all_events(session):
    """Every event, newest first."""
    return session.scalars(select(Event).order_by(Event.created_at.desc())).all()


def services(session, event_id):
    """The event's services in display order."""
    return session.scalars(select(Service).where(Service.event_id == event_id).order_by(Service.position)).all()


def stations(session, event_id):
    """The event's tables in service, by number (a removed table with history serves nothing and is left out)."""
    query = select(Station).where(Station.event_id == event_id, Station.service_codes != "").order_by(Station.number)
    return session.scalars(query).all()


def station(session, event_id, number):
    """One table of the event, or None."""
    return session.scalars(select(Station).where(Station.event_id == event_id, Station.number == number)).one_or_none()


def ticket_by_token(session, token):
    """The ticket a runner's token opens, or None."""
    return session.scalars(select(Ticket).where(Ticket.token == token)).one_or_none()


def event_slug_of_ticket(session, token):
    """The slug of the event a ticket token belongs to, or None."""
    return session.scalar(select(Event.slug).join(Ticket, Ticket.event_id == Event.id).where(Ticket.token == token))


def active_ticket_for_bib(session, event_id, bib):
    """The bib's waiting, called or in-treatment ticket at this event, or None."""
    query = select(Ticket).where(Ticket.event_id == event_id, Ticket.bib == bib, Ticket.status.in_(ACTIVE))
    return session.scalars(query).one_or_none()


def ticket_at_station(session, station_id):
    """The ticket called to or lying on this table, or None."""
    query = select(Ticket).where(Ticket.station_id == station_id, Ticket.status.in_(AT_TABLE))
    return session.scalars(query).one_or_none()


def claim_oldest_waiting(session, event_id, service_ids):
    """Lock and return the first waiting ticket of these services (PostgreSQL skips rows others hold)."""
    query = (
        select(Ticket)
        .where(Ticket.event_id == event_id, Ticket.service_id.in_(service_ids), Ticket.status == Status.WAITING)
        .order_by(Ticket.seq)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return session.scalars(query).first()


def place_in_queue(session, ticket):
    """1 for the next runner of the ticket's service, 2 for the one after, ..."""
    # event_id and status first, so the count walks the waiting_queue index instead of the whole day's tickets.
    query = select(func.count()).where(
        Ticket.event_id == ticket.event_id, Ticket.status == Status.WAITING, Ticket.seq <= ticket.seq,
        Ticket.service_id == ticket.service_id,
    )
    return session.scalar(query)


def front_seq(session, event_id):
    """The lowest queue position in use at the event (for putting a runner back at the front)."""
    lowest = session.scalar(select(func.min(Ticket.seq)).where(Ticket.event_id == event_id))
    return 1 if lowest is None else lowest  # 0 and negative positions are real: runners put back at the front


def waiting_counts(session, event_id):
    """{service_id: number of runners waiting}."""
    query = (
        select(Ticket.service_id, func.count())
        .where(Ticket.event_id == event_id, Ticket.status == Status.WAITING)
        .group_by(Ticket.service_id)
    )
    return dict(session.execute(query).all())


def active_tickets(session, event_id):
    """Every waiting, called or in-treatment ticket of the event, in queue order."""
    query = select(Ticket).where(Ticket.event_id == event_id, Ticket.status.in_(ACTIVE)).order_by(Ticket.seq)
    return session.scalars(query).all()


def tickets_at_tables(session, event_id):
    """Tickets called to or lying on a table, oldest call first."""
    query = select(Ticket).where(Ticket.event_id == event_id, Ticket.status.in_(AT_TABLE)).order_by(Ticket.called_at)
    return session.scalars(query).all()


def idempotent_result(session, event_id, key):
    """The stored answer for this Idempotency-Key, or None."""
    query = select(IdempotentResult).where(IdempotentResult.event_id == event_id, IdempotentResult.key == key)
    return session.scalars(query).one_or_none()


def has_start_list(session, event_id):
    """True if a start list was imported for the event."""
    return session.scalar(select(Runner.id).where(Runner.event_id == event_id).limit(1)) is not None


def registered_first_name(session, event_id, bib):
    """The first name the start list has for this bib, or None if the bib is not on it."""
    return session.scalar(select(Runner.first_name).where(Runner.event_id == event_id, Runner.bib == bib))


def called_tickets(session):
    """Every ticket called to a table and not yet arrived, across events, with its service's grace time."""
    query = (
        select(Ticket, Service.grace_seconds, Event.slug)
        .join(Service, Service.id == Ticket.service_id)
        .join(Event, Event.id == Ticket.event_id)
        .where(Ticket.status == Status.CALLED)
    )
    return session.execute(query).all()


def ticket_by_label(session, event_id, label):
    """The event's ticket with this number (P-004), or None."""
    return session.scalars(select(Ticket).where(Ticket.event_id == event_id, Ticket.label == label)).one_or_none()


def station_has_history(session, station_id):
    """True if any ticket was ever called to this table."""
    return session.scalar(select(Ticket.id).where(Ticket.station_id == station_id).limit(1)) is not None


def ticket_times(session, event_id):
    """(service code, status, created, called, started, ended, table number) of every ticket of the event."""
    query = (
        select(Service.code, Ticket.status, Ticket.created_at, Ticket.called_at, Ticket.started_at, Ticket.ended_at,
               Station.number)
        .select_from(Ticket)
        .join(Service, Service.id == Ticket.service_id)
        .outerjoin(Station, Station.id == Ticket.station_id)
        .where(Ticket.event_id == event_id)
    )
    return session.execute(query).all()


def moves(session, event_id):
    """(time, service code, from, to) of every logged ticket move of the event."""
    query = (
        select(TicketEvent.at, Service.code, TicketEvent.from_status, TicketEvent.to_status)
        .select_from(TicketEvent)
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .join(Service, Service.id == Ticket.service_id)
        .where(TicketEvent.event_id == event_id)
    )
    return session.execute(query).all()


def referral_counts(session, event_id):
    """{service code: runners sent to the medical tent}."""
    query = (
        select(Service.code, func.count())
        .select_from(Referral)
        .join(Service, Service.id == Referral.service_id)
        .where(Referral.event_id == event_id)
        .group_by(Service.code)
    )
    return dict(session.execute(query).all())


def next_waiting_labels(session, event_id, service_id, limit):
    """The numbers of the next `limit` waiting tickets of a service, in queue order (along the waiting_queue index)."""
    query = (
        select(Ticket.label)
        .where(Ticket.event_id == event_id, Ticket.status == Status.WAITING, Ticket.service_id == service_id)
        .order_by(Ticket.seq)
        .limit(limit)
    )
    return session.scalars(query).all()


def start_list_size(session, event_id):
    """How many runners the event's start list holds."""
    return session.scalar(select(func.count()).where(Runner.event_id == event_id))
