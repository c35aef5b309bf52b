"""What the organiser does to a running queue: removals, moves, services, tables, the announcement.

A walk-in is a join the organiser types in: actions.runner.join(..., walk_in=True).
"""

import logging

from ..data import queue
from ..data import setup as stored_setup
from ..rules import setup
from ..rules.errors import Conflict
from ..rules.errors import ValidationError
from ..rules.tickets import Status
from ..rules.words import N_
from ..rules.words import Message
from .change import apply_change

log = logging.getLogger(__name__)


def remove(slug, number, now):
    """Take a waiting ticket out of the queue."""

    def act(work):
        ticket = _ticket(work, number)
        work.move(ticket, Status.REMOVED, actor="organiser")
        return ticket

    return apply_change(slug, now, act)


def move(slug, number, now, service_code=None, to_front=False):
    """Move a waiting ticket into another service's queue (keeping its arrival order) and/or to the front."""

    def act(work):
        ticket = _ticket(work, number)
        service = work.view.service(service_code) if service_code else None
        if service is not None and service.id == ticket.service_id:
            service = None
        if service is None and not to_front:
            raise ValidationError(N_("Choose another queue or the front of the queue."), field="service")
        work.relocate(ticket, actor="organiser", service=service, to_front=to_front)
        return ticket

    return apply_change(slug, now, act)


def update_service(slug, code, changes, now):
    """Change a service's status, capacity, minutes, grace time, hours or priority lanes; runners see it at once.
    A refused value changes nothing (the transaction rolls back)."""

    def act(work):
        service = work.view.service(code)
        # New lanes move nobody already waiting: they place the runners who join from now on (rules/lanes.py).
        for field, value in setup.service_settings(changes).items():
            if getattr(service, field) != value:
                log.info("event %s: the organiser set %s of %s from %r to %r", slug, field, code,
                         getattr(service, field), value)
            setattr(service, field, value)
        setup.check_hours(service.opens_at, service.closes_at)
        work.bump()
        return {"service": code}

    return apply_change(slug, now, act)


def set_announcement(slug, text, now):
    """Show a short message on every runner's phone and the board; empty text clears it."""

    def act(work):
        work.event.announcement = setup.text(text, "announcement", setup.ANNOUNCEMENT_MAX, required=False) or None
        work.bump()
        return {"announcement": work.event.announcement}

    return apply_change(slug, now, act)


def add_table(slug, number, service_codes, now):
    """Add a table serving the given services (a removed table of that number comes back with its history)."""

    def act(work):
        number_ = setup.whole(number, "number", 1, 999)
        if any(t.number == number_ for t in work.view.tables):
            raise Conflict(Message(N_("There is already a table %(table)s."), table=number_), field="number")
        codes = setup.table_services(service_codes, [s.code for s in work.view.services])
        retired = stored_setup.any_table(work.session, work.event.id, number_)
        if retired is not None:
            retired.service_codes = codes
        else:
            stored_setup.add_table(work.session, work.event.id, number_, codes)
        work.bump()
        return {"table": number_}

    return apply_change(slug, now, act)


def update_table(slug, number, service_codes, now):
    """Change which services a table serves."""

    def act(work):
        work.view.table(number).service_codes = setup.table_services(service_codes,
                                                                     [s.code for s in work.view.services])
        work.bump()
        return {"table": number}

    return apply_change(slug, now, act)


def remove_table(slug, number, now):
    """Remove a table that has nobody on it (one with history is kept, serving nothing)."""

    def act(work):
        table = work.view.table(number)
        if queue.ticket_at_table(work.session, table.id) is not None:
            raise Conflict(Message(N_("Table %(table)s has a runner. Finish or mark a no-show first."), table=number))
        stored_setup.remove_table(work.session, table)
        work.bump()
        return {"table": number}

    return apply_change(slug, now, act)


def _ticket(work, number):
    """The event's ticket with this number (e.g. P-004)."""
    ticket = queue.ticket_by_label(work.session, work.event.id, str(number or "").upper())
    if ticket is None:
        raise ValidationError(Message(N_("There is no ticket %(ticket)s."), ticket=number), field="ticket")
    return ticket
