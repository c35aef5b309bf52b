"""The queue as stored: one event's services and tables read in a transaction, and every ticket query."""


from sqlalchemy import bindparam
from sqlalchemy import func
from sqlalchemy import select

from ..rules import estimates
from ..rules import last_call
from ..rules.errors import NotFound
from ..rules.facts import ticket_facts
from ..rules.tickets import ACTIVE
from ..rules.tickets import AT_TABLE
from ..rules.tickets import Status
from ..rules.times import hhmm
from ..rules.times import utc_iso
from ..rules.words import N_
from . import positions
from . import team as team_view
from .models import Event
from .models import Service
from .models import Table
from .models import Ticket
from .models import TicketEvent

# The statements every change runs are built once, with bound parameters: building a statement and its cache key
# each time cost about a fifth of a staff action's time (py-spy of call-next, start and finish).
_SERVICES = select(Service).where(Service.event_id == bindparam("event_id")).order_by(Service.position)
_TABLES = (select(Table).where(Table.event_id == bindparam("event_id"), Table.service_codes != "")
           .order_by(Table.number))


class EventView:
    """An event's services and tables read inside one transaction, and what they say about its tickets."""

    def __init__(self, session, event):
        self.session = session
        self.event = event
        self.services = session.scalars(_SERVICES, {"event_id": event.id}).all()
        self.tables = session.scalars(_TABLES, {"event_id": event.id}).all()  # a removed table (no services) left out

    def service(self, code):
        """The event's service with this code."""
        for service in self.services:
            if service.code == code:
                return service
        raise NotFound(f"This event has no service {code!r}.")

    def table(self, number):
        """The event's table with this number."""
        for table in self.tables:
            if table.number == number:
                return table
        raise NotFound(f"There is no table {number} at this event.")

    def service_of(self, ticket):
        """The service a ticket is queued for."""
        return next(s for s in self.services if s.id == ticket.service_id)

    def table_of(self, ticket):
        """The table a ticket is (or was last) at, or None."""
        return next((table for table in self.tables if table.id == ticket.table_id), None)

    def table_number(self, ticket):
        """The number of the table a ticket is at, or None."""
        table = self.table_of(ticket)
        return table.number if table else None

    def summaries(self):
        """Per service: name, state, runners waiting, working tables, the pace of its queue, the next numbers."""
        counts = positions.waiting_counts(self.session, self.event.id)
        busy = {s.code for s in self.services if counts.get(s.id)}
        occupied = occupied_table_ids(self.session, self.event.id)
        working_tables = [t for t in self.tables if t.staffed and not t.on_break]
        free = [(t.service_codes.split(","), t.last_service) for t in working_tables if t.id not in occupied]
        result = {}
        for service in self.services:
            working = [t.service_codes.split(",") for t in working_tables if service.code in t.service_codes.split(",")]
            time = estimates.table_time(recent_table_minutes(self.session, service.id), service.minutes)
            shares = [estimates.call_share(served, service.code, busy) for served in working]
            pace = estimates.pace(time, shares)
            free_tables = estimates.free_calls(service.code, free, busy)
            waiting = counts.get(service.id, 0)
            result[service.code] = {
                "name": service.name, "names": service.names or {}, "status": service.status,
                "minutes": service.minutes,
                "waiting": waiting, "tables": len(working), "free_tables": free_tables,
                "per_place": pace.per_place, "per_place_low": pace.low, "per_place_high": pace.high,
                "measured": pace.measured, "capacity": service.capacity, "step_back": service.step_back_places,
                "opens_at": hhmm(service.opens_at), "closes_at": hhmm(service.closes_at),
                # Last call (rules/last_call.py): whether the reach decides joins, and when a runner joining at the
                # back stops being reached at this pace; pages compare it with their clock.
                "reach_rule": last_call.applies(service.closes_at, service.keep_open, service.last_join_at),
                "keep_open": service.keep_open, "last_join_at": hhmm(service.last_join_at),
                "last_call": hhmm(last_call.last_call(waiting, pace.per_place, free_tables, service.closes_at)),
                "table_minutes": round(time.minutes, 3), "shares": round(sum(shares), 3),
                "surge_minutes": service.surge_minutes,
                "next": positions.next_waiting_labels(self.session, self.event.id, service.id),
            }
        return result

    def facts(self, ticket, summaries=None, place=None):
        """Everything known about a ticket now, as plain values; live.broadcast picks what each audience sees."""
        summaries = summaries or self.summaries()
        service = self.service_of(ticket)
        if place is None:
            place = positions.place_in_queue(self.session, ticket) if ticket.status == Status.WAITING else 0
        return ticket_facts(ticket, service, self.table_number(ticket), self.event.version, summaries[service.code],
                            place)

    def table_list(self):
        """Each table: number, services, whether a therapist is signed in there and on a break, since when it has
        been free, the service it called from last, and who works there (staff and the organiser see this list,
        never the public board)."""
        people = team_view.people_at_tables(self.session, self.event.id)
        return [{"number": t.number, "services": t.service_codes.split(","), "staffed": t.staffed,
                 "on_break": t.on_break, "free_since": utc_iso(t.free_since), "last_service": t.last_service,
                 "people": people.get(t.number, [])}
                for t in self.tables]


_RECENT_TABLE_MINUTES = (
    select(Ticket.called_at, Ticket.ended_at)
    .where(Ticket.service_id == bindparam("service_id"), Ticket.status == Status.DONE, Ticket.called_at.is_not(None))
    .order_by(Ticket.ended_at.desc())
    .limit(estimates.RECENT_SAMPLES)
)


def recent_table_minutes(session, service_id):
    """Minutes from call to finish of the service's latest finished massages (estimates.RECENT_SAMPLES), newest
    first."""
    return [(ended - called).total_seconds() / 60
            for called, ended in session.execute(_RECENT_TABLE_MINUTES, {"service_id": service_id})]


_EVENT = select(Event).where(Event.slug == bindparam("slug"))
_EVENT_LOCKED = _EVENT.with_for_update()


def event_by_slug(session, slug, lock=False):
    """The event with this slug, or None; `lock` holds its row until commit, serialising writers per event."""
    return session.scalars(_EVENT_LOCKED if lock else _EVENT, {"slug": slug}).one_or_none()


_STAFF_GENERATION = select(Event.staff_generation).where(Event.slug == bindparam("slug"))


def staff_generation(session, slug):
    """The event's staff sign-in generation, or None for an unknown event."""
    return session.scalar(_STAFF_GENERATION, {"slug": slug})


def event_version(session, slug):
    """The event's version, or None for an unknown event."""
    return session.scalar(select(Event.version).where(Event.slug == slug))


def event_view(session, slug, lock=False):
    """An EventView of the event with this slug; NotFound if there is none."""
    event = event_by_slug(session, slug, lock=lock)
    if event is None:
        raise NotFound(N_("There is no such event."))
    return EventView(session, event)


def ticket_by_token(session, token):
    """The ticket a runner's token opens, or None."""
    return session.scalars(select(Ticket).where(Ticket.token == token)).one_or_none()


def ticket_and_event(session, token):
    """(ticket, its event) for a runner's token in one read, or None."""
    return session.execute(select(Ticket, Event).join(Event, Event.id == Ticket.event_id)
                           .where(Ticket.token == token)).one_or_none()


def ticket_view(session, token, unknown):
    """The ticket a runner's token opens and a view of its event; NotFound(`unknown`) for an unknown token."""
    found = ticket_by_token(session, token)
    if found is None:
        raise NotFound(unknown)
    return found, EventView(session, session.get(Event, found.event_id))


_EVENTS_OF_TOKENS = (select(Ticket.token, Event.slug).join(Event, Ticket.event_id == Event.id)
                     .where(Ticket.token.in_(bindparam("tokens", expanding=True))))
_VERSIONS = select(Event.slug, Event.version).where(Event.slug.in_(bindparam("slugs", expanding=True)))
IN_LIST = 500  # keys per statement: well under SQLite's and PostgreSQL's limits on bound parameters


def event_slugs_of_tickets(session, tokens):
    """{token: the slug of its event} of these ticket tokens (unknown ones left out)."""
    return _by_chunks(session, _EVENTS_OF_TOKENS, "tokens", tokens)


def event_versions(session, slugs):
    """{slug: version} of the events with these slugs (unknown ones left out)."""
    return _by_chunks(session, _VERSIONS, "slugs", slugs)


def _by_chunks(session, statement, name, keys):
    """{key: value} of a two-column `statement` whose IN list `name` takes `keys`, IN_LIST keys at a time."""
    keys, found = list(keys), {}
    for start in range(0, len(keys), IN_LIST):
        found.update(session.execute(statement, {name: keys[start:start + IN_LIST]}).all())
    return found


def ticket_by_label(session, event_id, label):
    """The event's ticket with this number (P-004), or None."""
    return session.scalars(select(Ticket).where(Ticket.event_id == event_id, Ticket.label == label)).one_or_none()


_ACTIVE_FOR_BIB = select(Ticket).where(Ticket.event_id == bindparam("event_id"), Ticket.bib == bindparam("bib"),
                                       Ticket.status.in_(ACTIVE))


def active_ticket_for_bib(session, event_id, bib):
    """The bib's waiting, called or in-treatment ticket at this event, or None (every join asks: built once)."""
    return session.scalars(_ACTIVE_FOR_BIB, {"event_id": event_id, "bib": bib}).one_or_none()


_TICKET_AT_TABLE = select(Ticket).where(Ticket.table_id == bindparam("table_id"), Ticket.status.in_(AT_TABLE))


def ticket_at_table(session, table_id):
    """The ticket called to or lying on this table, or None."""
    return session.scalars(_TICKET_AT_TABLE, {"table_id": table_id}).one_or_none()


def active_tickets(session, event_id):
    """Every waiting, called or in-treatment ticket of the event, in queue order."""
    query = select(Ticket).where(Ticket.event_id == event_id, Ticket.status.in_(ACTIVE)).order_by(Ticket.seq)
    return session.scalars(query).all()


_OCCUPIED = select(Ticket.table_id).where(Ticket.event_id == bindparam("event_id"), Ticket.status.in_(AT_TABLE))


def occupied_table_ids(session, event_id):
    """The ids of the tables a runner is called to or lies on."""
    return set(session.scalars(_OCCUPIED, {"event_id": event_id}).all())


def tickets_at_tables(session, event_id):
    """Tickets called to or lying on a table, oldest call first."""
    query = select(Ticket).where(Ticket.event_id == event_id, Ticket.status.in_(AT_TABLE)).order_by(Ticket.called_at)
    return session.scalars(query).all()


def called_tickets(session):
    """Every ticket called to a table and not yet arrived, across events, with its service's grace time."""
    query = (
        select(Ticket, Service.grace_seconds, Event.slug)
        .join(Service, Service.id == Ticket.service_id)
        .join(Event, Event.id == Ticket.event_id)
        .where(Ticket.status == Status.CALLED)
    )
    return session.execute(query).all()


def insert_ticket(session, **fields):
    """Store a new ticket and give it its id."""
    ticket = Ticket(**fields)
    session.add(ticket)
    session.flush()
    return ticket


def last_logged(session, ticket_id, detail):
    """When the audit log last recorded `detail` (e.g. "called again") for a ticket, or None."""
    return session.scalar(select(func.max(TicketEvent.at)).where(TicketEvent.ticket_id == ticket_id,
                                                                 TicketEvent.detail == detail))


def log_move(session, **fields):
    """Append one line to the audit log (ticket_events)."""
    session.add(TicketEvent(**fields))
