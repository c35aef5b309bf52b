"""An event's records as stored: the start list, the rows the dashboard's statistics and the export read, purge."""

import json

from sqlalchemy import bindparam
from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update

from ..rules.idempotency import without_personal_data
from ..rules.tickets import erased_detail
from .feedback import Feedback
from .models import IdempotentResult
from .models import Referral
from .models import Runner
from .models import Service
from .models import Table
from .models import Ticket
from .models import TicketEvent


def stage_start_list(session, event_id, generation, rows):
    """Write `rows` (dicts of bib, first_name, last_name, distance, category) under an import's `generation`, not yet in
    force."""
    if rows:
        session.execute(insert(Runner), [dict(row, event_id=event_id, generation=generation) for row in rows])


def drop_start_list_lines(session, event_id, generation=None, keep_generation=None, limit=5_000):
    """Delete up to `limit` lines of the event's start lists: of `generation` (an import that failed), or of
    every generation but `keep_generation` (those an import replaced); returns how many."""
    which = Runner.generation == generation if generation is not None else Runner.generation != keep_generation
    ids = select(Runner.id).where(Runner.event_id == event_id, which).limit(limit)
    return session.execute(delete(Runner).where(Runner.id.in_(ids))).rowcount


def lines_of_generation(session, event_id, generation):
    """How many start-list lines of the event an import's `generation` holds."""
    return session.scalar(select(func.count()).where(Runner.event_id == event_id, Runner.generation == generation))


# The lines of an event's start list in force, with _in_force(event)'s parameters; the reads every join makes are
# built once (data/queue.py says why).
_IN_FORCE = (Runner.event_id == bindparam("event_id")) & (Runner.generation == bindparam("generation"))
_ANY_IN_FORCE = select(Runner.id).where(_IN_FORCE).limit(1)
_REGISTERED = (select(Runner.first_name, Runner.category, Runner.distance)
               .where(_IN_FORCE, Runner.bib == bindparam("bib")))


def _in_force(event):
    """The parameters of _IN_FORCE for the event's start list in force."""
    return {"event_id": event.id, "generation": event.start_list_generation}


def has_start_list(session, event):
    """True if a start list is in force for the event."""
    return session.scalar(_ANY_IN_FORCE, _in_force(event)) is not None


def registered(session, event, bib):
    """The start list in force's line for this bib (first_name, category, distance), or None if it is not on it."""
    return session.execute(_REGISTERED, {**_in_force(event), "bib": bib}).one_or_none()


def start_list_size(session, event):
    """How many runners the event's start list in force holds."""
    return session.scalar(select(func.count()).where(_IN_FORCE), _in_force(event))


def start_list_words(session, event):
    """{(category, distance): how many runners} of the event's start list in force, as stored."""
    rows = session.execute(select(Runner.category, Runner.distance, func.count()).where(_IN_FORCE)
                           .group_by(Runner.category, Runner.distance), _in_force(event))
    return {(category, distance): count for category, distance, count in rows}


def add_referral(session, event_id, service_id, now):
    """Count a runner the screening sent to the medical tent (never named)."""
    session.add(Referral(event_id=event_id, service_id=service_id, at=now))


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


def ticket_times(session, event_id):
    """(service code, status, created, called, started, ended, table number) of every ticket of the event."""
    query = (
        select(Service.code, Ticket.status, Ticket.created_at, Ticket.called_at, Ticket.started_at, Ticket.ended_at,
               Table.number)
        .select_from(Ticket)
        .join(Service, Service.id == Ticket.service_id)
        .outerjoin(Table, Table.id == Ticket.table_id)
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


def export_rows(session, event_id):
    """One row per logged move of each ticket, with the ticket's details (its feedback included), oldest first."""
    query = (
        select(Ticket.label, Service.code, Ticket.bib, Ticket.first_name, Ticket.walk_in, Ticket.medical_flag,
               Ticket.note, Ticket.status, Ticket.created_at, TicketEvent.at, TicketEvent.from_status,
               TicketEvent.to_status, TicketEvent.table_number, TicketEvent.actor, TicketEvent.version,
               TicketEvent.detail, TicketEvent.people, Feedback.rating, Feedback.comment)
        .select_from(TicketEvent)
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .join(Service, Service.id == Ticket.service_id)
        .outerjoin(Feedback, Feedback.ticket_id == Ticket.id)
        .where(TicketEvent.event_id == event_id)
        .order_by(TicketEvent.id)
    )
    return session.execute(query).all()


def erase_personal_data(session, event_id):
    """Erase names, bibs, notes, screening flags, the start list, reasons in the audit log and personal data in
    stored answers; anonymous counts stay."""
    session.execute(update(Ticket).where(Ticket.event_id == event_id)
                    .values(bib=None, first_name=None, note=None, medical_flag=False, category=None,
                            distance=None))
    session.execute(delete(Runner).where(Runner.event_id == event_id))
    # The audit log keeps each move and its kind; the words typed about the runner (a medical reason, an override
    # reason) go.
    typed = session.execute(select(TicketEvent.id, TicketEvent.detail)
                            .where(TicketEvent.event_id == event_id, TicketEvent.detail.contains(":"))).all()
    for line_id, detail in typed:
        session.execute(update(TicketEvent).where(TicketEvent.id == line_id).values(detail=erased_detail(detail)))
    # Stored answers stay, so a tablet's retried call still acts once; they keep numbers and statuses, no names.
    stored = session.execute(select(IdempotentResult.id, IdempotentResult.body)
                             .where(IdempotentResult.event_id == event_id)).all()
    for answer_id, body in stored:
        session.execute(update(IdempotentResult).where(IdempotentResult.id == answer_id)
                        .values(body=json.dumps(without_personal_data(json.loads(body)))))


def report_tickets(session, event_id):
    """(service code, status, joined, called, ended, told low, told high, told minutes) of every ticket."""
    query = (
        select(Service.code, Ticket.status, Ticket.created_at, Ticket.called_at, Ticket.ended_at, Ticket.told_low,
               Ticket.told_high, Ticket.told_minutes)
        .select_from(Ticket)
        .join(Service, Service.id == Ticket.service_id)
        .where(Ticket.event_id == event_id)
    )
    return session.execute(query).all()


def table_moves(session, event_id):
    """(ticket id, time, to, table number) of every logged ticket move of the event, in the order they happened:
    where each table had a runner called or on it, and when (the report's tables working)."""
    query = (
        select(TicketEvent.ticket_id, TicketEvent.at, TicketEvent.to_status, TicketEvent.table_number)
        .where(TicketEvent.event_id == event_id)
        .order_by(TicketEvent.at, TicketEvent.id)
    )
    return session.execute(query).all()
