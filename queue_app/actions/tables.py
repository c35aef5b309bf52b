"""What a therapist does at a table: take it, break and resume, call next or a particular runner, call again,
start, finish, no-show (and undo it), requeue, send to the medical tent."""

import math
from datetime import timedelta
from functools import partial

from ..data import positions
from ..data import queue
from ..data import team
from ..rules import calling
from ..rules import tickets
from ..rules.errors import Conflict
from ..rules.errors import ValidationError
from ..rules.tickets import Status
from ..rules.words import N_
from ..rules.words import Message
from .change import apply_change

CALL_AGAIN_EVERY = timedelta(seconds=20)


class TooSoon(Conflict):
    """Call again pressed again before CALL_AGAIN_EVERY."""

    code = "too_soon"


def take_table(slug, number, now, leaving=None):
    """A therapist starts working at table `number`, leaving table `leaving` (if another) in the same change."""

    def act(work):
        if leaving != number and any(t.number == leaving for t in work.view.tables):
            # The table left behind no longer counts as worked, nor shows "in use".
            _set_working(work, leaving, False)
        _set_working(work, number, True)
        return {"table": number, "working": True, "on_break": False}

    return apply_change(slug, now, act)


def set_table_working(slug, number, working, now):
    """Resume work at a table (a therapist is there) or go on a break (the table stays theirs); estimates count
    only worked tables that are not on a break."""

    def act(work):
        table = work.view.table(number)
        if working:
            _set_working(work, number, True)
        elif not table.on_break:
            table.on_break = True
            team.set_break(work.session, table.id, True, now)  # the people at it are on a break too
            work.bump()
        return {"table": number, "working": table.staffed and not table.on_break, "on_break": table.on_break}

    return apply_change(slug, now, act)


def _set_working(work, number, working):
    """Within a change: mark one table worked (and back from any break) or left; clients hear of it only if it
    differs. A table that starts working starts its idle clock."""
    table = work.view.table(number)
    if table.on_break:
        team.set_break(work.session, table.id, False, work.now)
    if (table.staffed, table.on_break) != (working, False):
        if working:
            table.free_since = work.now
        table.staffed, table.on_break = working, False
        work.bump()


def call_next(slug, number, now, idempotency_key=None, expected=None):
    """Call the next runner for this table (the first of a service's queue, services taking turns); it must be free.

    `expected` is the number the tablet showed as next: if someone else is next by now (another table took that
    runner while this press was on its way), the call is refused rather than made for a runner nobody saw.
    """

    def act(work):
        table = _free_table(work, number)
        ticket = None
        for code in calling.turn_order(table.service_codes.split(","), table.last_service):
            ticket = positions.claim_first_waiting(work.session, work.event.id, work.view.service(code).id)
            if ticket is not None:
                break
        if expected and (ticket is None or ticket.label != expected):
            if ticket is None:
                raise Conflict(Message(N_("The queue changed: %(expected)s is no longer next (nobody is waiting "
                                          "now). Check the screen and press Call next again."), expected=expected))
            raise Conflict(Message(N_("The queue changed: %(expected)s is no longer next (%(ticket)s is next now). "
                                      "Check the screen and press Call next again."), expected=expected,
                                   ticket=ticket.label))
        if ticket is None:
            return {"ticket": None, "message": N_("Nobody is waiting for this table right now.")}
        table.last_service = work.view.service_of(ticket).code
        work.move(ticket, Status.CALLED, actor=f"table {number}", table=table, in_turn=True)
        return ticket

    return apply_change(slug, now, act, idempotency_key)


def call_runner(slug, number, now, expected=None, idempotency_key=None):
    """Call one particular waiting runner, `expected` (their number), to this table out of turn: an elite athlete,
    a runner whose friend is at the next table. The table must be free and serve the runner's queue; the runners
    behind them move up, and the audit log says how many the call passed."""

    def act(work):
        if not expected:
            raise ValidationError(N_("Say which runner to call, e.g. {\"ticket\": \"P-007\"}."), field="ticket")
        table = _free_table(work, number)
        ticket = queue.ticket_by_label(work.session, work.event.id, expected.upper())
        if ticket is None or ticket.status != Status.WAITING:
            if ticket is None:
                raise Conflict(Message(N_("%(ticket)s is not in the queue now. The screen has been refreshed."),
                                       ticket=expected))
            raise Conflict(Message(N_("%(ticket)s is %(status)s now. The screen has been refreshed."), ticket=expected,
                                   status=tickets.describe(ticket.status)))
        service = work.view.service_of(ticket)
        if service.code not in table.service_codes.split(","):
            raise Conflict(Message(N_("Table %(table)s does not take %(service)s. Ask the organiser to move "
                                      "%(ticket)s."), table=number, service=service.name, ticket=expected))
        ahead = positions.place_in_queue(work.session, ticket) - 1
        table.last_service = service.code
        work.move(ticket, Status.CALLED, actor=f"table {number}", table=table,
                  detail=tickets.out_of_turn_detail(ahead))
        return ticket

    return apply_change(slug, now, act, idempotency_key)


def send_to_medical(slug, number, now, reason=None, expected=None, idempotency_key=None):
    """The runner called to or lying on this table goes to the medical tent instead; the therapist's `reason` is
    kept in the audit log, and the runner's phone tells them where to go."""

    def act(work):
        detail = tickets.medical_detail(reason)
        ticket = _current(work, number, expected)
        work.move(ticket, Status.SENT_TO_MEDICAL, actor=f"table {number}", detail=detail)
        return ticket

    return apply_change(slug, now, act, idempotency_key)


def start(slug, number, now, expected=None, idempotency_key=None):
    """The called runner has arrived and lies on the table."""
    return _act_on_current(slug, number, now, Status.IN_TREATMENT, expected, idempotency_key)


def finish(slug, number, now, note=None, expected=None, idempotency_key=None):
    """The massage is over; an optional short note is kept with the ticket."""
    return _act_on_current(slug, number, now, Status.DONE, expected, idempotency_key, note=note)


def no_show(slug, number, now, expected=None, idempotency_key=None):
    """The called runner did not come."""
    return _act_on_current(slug, number, now, Status.NO_SHOW, expected, idempotency_key)


def requeue(slug, number, now, expected=None, idempotency_key=None):
    """Put the called runner back at the front of the queue (once per ticket)."""
    return _act_on_current(slug, number, now, Status.WAITING, expected, idempotency_key)


def call_again(slug, number, now, expected=None, idempotency_key=None):
    """Ring the called runner's phone again; their grace time starts over. Once per CALL_AGAIN_SECONDS: a tablet
    pressed thirty times rang the phone thirty times."""

    def act(work):
        ticket = _current(work, number, expected)
        last = queue.last_logged(work.session, ticket.id, "called again")
        if ticket.status == Status.CALLED and last is not None and now - last < CALL_AGAIN_EVERY:
            wait = math.ceil((CALL_AGAIN_EVERY - (now - last)).total_seconds())
            # Staff: the tablet's refusal (English only for now).
            raise TooSoon(Message(N_("%(ticket)s was called again a moment ago: call again in %(wait)s seconds."),
                                  ticket=ticket.label, wait=wait))
        work.change(ticket, tickets.call_again, actor=f"table {number}")
        return ticket

    return apply_change(slug, now, act, idempotency_key)


def undo_no_show(slug, number, now, ticket_number, to_table=True, idempotency_key=None):
    """The runner marked a no-show at this table turned up after all: onto the table, the massage started
    (`to_table`), or back in the queue where they stood."""

    def act(work):
        ticket = queue.ticket_by_label(work.session, work.event.id, str(ticket_number or "").upper())
        table = work.view.table(number)
        if ticket is None or ticket.table_id != table.id:
            raise Conflict(Message(N_("Table %(table)s has no no-show %(ticket)s to undo."), table=number,
                                   ticket=ticket_number))
        if work.event.purged_at is not None and ticket.created_at <= work.event.purged_at:
            # A purged ticket has no runner to give back their place to: nothing brings it back.
            raise Conflict(Message(N_("%(ticket)s was erased with the event's personal data and cannot come back. "
                                      "Ask the runner to join again."), ticket=ticket.label))
        if to_table:
            _free_table(work, number)
            work.change(ticket, partial(tickets.undo_no_show, table=table.id), actor=f"table {number}")
            table.free_since = None
            return {"ticket": work.view.facts(ticket), "message": Message(
                N_("%(ticket)s is on the table: the massage has started."), ticket=ticket.label)}
        work.change(ticket, tickets.undo_no_show, actor=f"table {number}")
        return {"ticket": work.view.facts(ticket), "message": Message(
            N_("%(ticket)s is back in the queue where they stood."), ticket=ticket.label)}

    return apply_change(slug, now, act, idempotency_key)


def _free_table(work, number):
    """Table `number`, refusing if a runner is called to it or on it; a table that calls is back from any break."""
    table = work.view.table(number)
    current = queue.ticket_at_table(work.session, table.id)
    if current is not None:
        raise Conflict(Message(N_("Table %(table)s already has %(ticket)s. Finish it or mark a no-show first."),
                               table=number, ticket=current.label))
    if table.on_break:
        team.set_break(work.session, table.id, False, work.now)
        table.on_break = False
        work.bump()
    return table


def _current(work, number, expected):
    """The ticket called to or lying on table `number`, refusing if there is none or it is not `expected`."""
    table = work.view.table(number)
    ticket = queue.ticket_at_table(work.session, table.id)
    if ticket is None:
        raise Conflict(Message(N_("Table %(table)s has nobody called. Press Call next first."), table=number))
    if expected and expected != ticket.label:
        raise Conflict(Message(N_("Table %(table)s now has %(ticket)s, not %(expected)s. The screen has been "
                                  "refreshed."), table=number, ticket=ticket.label, expected=expected))
    return ticket


def _act_on_current(slug, number, now, target, expected, idempotency_key, note=None):
    """Move the table's current ticket; `expected` (a ticket number) guards against acting on an unseen runner."""

    def act(work):
        ticket = _current(work, number, expected)
        if note is not None:
            ticket.note = note
        work.move(ticket, target, actor=f"table {number}")
        return ticket

    return apply_change(slug, now, act, idempotency_key)
