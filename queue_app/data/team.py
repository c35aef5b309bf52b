"""The tent's people as stored, and every query about them: the roster, sign-ins, who sits where."""

from sqlalchemy import bindparam
from sqlalchemy import select
from sqlalchemy import update

from ..rules import roster as roster_rules
from ..rules.times import utc_iso
from .models import Table
from .models import Ticket
from .models import TicketEvent
from .team_models import Person
from .team_models import Seat
from .team_models import SignIn


def roster(session, event_id):
    """The event's people still on its roster, in the order they were added."""
    return session.scalars(select(Person).where(Person.event_id == event_id, Person.removed_at.is_(None))
                           .order_by(Person.id)).all()


def everyone(session, event_id):
    """Every person the event ever had, removed ones too (their history stays theirs)."""
    return session.scalars(select(Person).where(Person.event_id == event_id).order_by(Person.id)).all()


def person(session, event_id, person_id):
    """The event's person with this id, or None."""
    return session.scalars(select(Person).where(Person.event_id == event_id, Person.id == person_id)).one_or_none()


def sign_in(session, key):
    """The sign-in with this key, or None."""
    return session.scalars(select(SignIn).where(SignIn.key == key)).one_or_none()


_SIGN_IN_ENDED = select(SignIn.ended_at).where(SignIn.key == bindparam("key"))


def sign_in_ended(session, key):
    """True once the sign-in with this key was ended (False for a key with no row)."""
    return session.scalar(_SIGN_IN_ENDED, {"key": key}) is not None


def open_sign_ins(session, event_id):
    """The event's sign-ins not ended."""
    return session.scalars(select(SignIn).where(SignIn.event_id == event_id, SignIn.ended_at.is_(None))).all()


# Built once, with bound parameters: every change asks both (queue.py says why).
_CURRENT_SEATS = (select(Seat, Person, Table.number).join(Person, Person.id == Seat.person_id)
                  .join(Table, Table.id == Seat.table_id)
                  .where(Seat.event_id == bindparam("event_id"), Seat.until.is_(None))
                  .order_by(Table.number, Seat.since))
_SEATS_AT_TABLE = (select(Seat).where(Seat.table_id == bindparam("table_id"), Seat.until.is_(None))
                   .order_by(Seat.since, Seat.id))


def current_seats(session, event_id):
    """Who sits at a table now: (seat, person, table number) for each, by table then since when."""
    return session.execute(_CURRENT_SEATS, {"event_id": event_id}).all()


def seats_at_table(session, table_id):
    """The seats at a table now."""
    return session.scalars(_SEATS_AT_TABLE, {"table_id": table_id}).all()


def seats_of_sign_in(session, sign_in_id):
    """The seats a tablet's sign-in holds now."""
    return session.scalars(select(Seat).where(Seat.sign_in_id == sign_in_id, Seat.until.is_(None))).all()


def seats_of_person(session, person_id):
    """A person's seat now, if they sit anywhere (at most one: a partial unique index)."""
    return session.scalars(select(Seat).where(Seat.person_id == person_id, Seat.until.is_(None))).all()


def all_seats(session, event_id):
    """Every seat of the day, ended or not: what hours are counted from."""
    return session.scalars(select(Seat).where(Seat.event_id == event_id).order_by(Seat.since)).all()


def end_seats(session, seats, now):
    """End these seats at `now` (a break running is added to their break time)."""
    for seat in seats:
        if seat.break_since is not None:
            seat.break_seconds += int((now - seat.break_since).total_seconds())
            seat.break_since = None
        seat.until = now
    session.flush()


def set_break(session, table_id, on_break, now):
    """Start or end a break for everyone at a table."""
    for seat in seats_at_table(session, table_id):
        if on_break and seat.break_since is None:
            seat.break_since = now
        elif not on_break and seat.break_since is not None:
            seat.break_seconds += int((now - seat.break_since).total_seconds())
            seat.break_since = None


def forget_names(session, event_id):
    """Purge: erase every name and registration of the roster; the people stay as numbers, for anonymous counts."""
    session.execute(update(Person).where(Person.event_id == event_id)
                    .values(name=None, registration=None, group_name=None))


def people_at_tables(session, event_id):
    """{table number: [{id, name, role, since, sign_in}]}: who works at each table now, named apart where two
    share a name."""
    seated = current_seats(session, event_id)
    if not seated:
        return {}
    named = labels(session, event_id)
    tables = {}
    for seat, person, number in seated:
        tables.setdefault(number, []).append({"id": person.id, "name": named[person.id], "role": person.role,
                                              "since": utc_iso(seat.since), "sign_in": seat.sign_in_id})
    return tables


def labels(session, event_id):
    """{person id: the name screens show} (rules/roster.py labels), for everyone the event ever had."""
    return roster_rules.labels([(p.id, p.name, p.registration, p.group_name) for p in everyone(session, event_id)])


def massages_by_people(session, event_id):
    """Each finished massage with who was at the table when it finished: ([person ids], service id, started,
    ended), from the audit log."""
    query = (select(TicketEvent.people, Ticket.service_id, Ticket.started_at, Ticket.ended_at)
             .join(Ticket, Ticket.id == TicketEvent.ticket_id)
             .where(TicketEvent.event_id == event_id, TicketEvent.to_status == "done",
                    TicketEvent.people.is_not(None)))
    return [([int(p) for p in people.split(",") if p], service_id, started, ended)
            for people, service_id, started, ended in session.execute(query)]


def seat_spans(session, event_id):
    """(table number, since, until or None) of every seat of the day: when someone was signed in at a table."""
    query = (
        select(Table.number, Seat.since, Seat.until)
        .select_from(Seat)
        .join(Table, Table.id == Seat.table_id)
        .where(Seat.event_id == event_id)
    )
    return session.execute(query).all()
