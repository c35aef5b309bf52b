"""Every action that changes the queue, one function each, all through `apply_change`.

`apply_change` locks the event's row, lets the action move tickets through a `Batch` (which checks
each move against the domain rules and writes the audit row), commits, and only then hands
the announcement to live.py. Nothing here emits or waits on the network inside a transaction.
"""

import json
import secrets
from collections import namedtuple

from sqlalchemy.exc import IntegrityError

from . import domain
from . import live
from . import store
from .domain import Conflict
from .domain import NotFound
from .domain import Status
from .extensions import db
from .facts import UNKNOWN_TICKET
from .facts import EventView
from .models import Event
from .models import IdempotentResult
from .models import Referral
from .models import Ticket
from .models import TicketEvent

MEDICAL_MESSAGE = (
    "Please go to the medical tent first, next to the finish area. "
    "A massage can wait until the medical team has seen you."
)


Before = namedtuple("Before", "status service seq")


class Batch(EventView):
    """The changes one transaction makes to one event, checked, logged and versioned."""

    def __init__(self, session, event, now):
        super().__init__(session, event)
        self.now = now
        self.changed = []
        self.bumped = False

    def bump(self):
        """Give this transaction the event's next version (once)."""
        if not self.bumped:
            self.event.version += 1
            self.bumped = True

    def add(self, ticket, actor):
        """Put a new ticket in the queue and log its arrival."""
        self.bump()
        ticket.status = Status.WAITING
        self.session.add(ticket)
        self.session.flush()
        self._log(ticket, Before(None, None, None), actor)

    def move(self, ticket, target, actor, station=None):
        """Move a ticket to `target` if the rules allow it, and log the move."""
        before = self._before(ticket)
        domain.transition(before.status, target, ticket.requeues)
        self.bump()
        ticket.status = target
        if target is Status.CALLED:
            ticket.station_id, ticket.called_at = station.id, self.now
        elif target is Status.IN_TREATMENT:
            ticket.started_at = self.now
        elif target is Status.WAITING:
            ticket.station_id, ticket.called_at = None, None
            ticket.requeues += 1
            ticket.seq = store.front_seq(self.session, self.event.id) - 1
        else:
            ticket.ended_at = self.now
        self.session.flush()
        self._log(ticket, before, actor)

    def relocate(self, ticket, actor, service=None, to_front=False):
        """Move a waiting ticket within the queues: into another service's queue, and/or to the front."""
        if ticket.status != Status.WAITING:
            raise domain.InvalidTransition("Only a waiting ticket can be moved.")
        before = self._before(ticket)
        self.bump()
        if service is not None:
            ticket.service_id = service.id
        if to_front:
            ticket.seq = store.front_seq(self.session, self.event.id) - 1
        self.session.flush()
        detail = f"moved to {service.code}" if service is not None else None
        self._log(ticket, before, actor, detail=" and ".join(filter(None, [detail, to_front and "to the front"])))

    def _before(self, ticket):
        """Where a ticket stands before a change: status, service code and queue position."""
        return Before(ticket.status, self.service_of(ticket).code, ticket.seq)

    def _log(self, ticket, before, actor, detail=None):
        """Append the audit row for one move."""
        self.session.add(TicketEvent(
            event_id=self.event.id, ticket_id=ticket.id, at=self.now, actor=actor, from_status=before.status,
            to_status=ticket.status, table_number=self.table_number(ticket), detail=detail or None,
            version=self.event.version,
        ))
        self.changed.append((ticket, before))

    def announcement(self):
        """What to broadcast after commit, or None if nothing changed."""
        if not self.bumped:
            return None
        self.session.flush()
        summaries = self.summaries()
        changes = []
        for ticket, before in self.changed:
            facts = self.facts(ticket, summaries)
            facts["from"] = before.status
            facts["from_service"] = before.service or facts["service"]
            facts["from_seq"] = before.seq if before.seq is not None else facts["seq"]
            changes.append(facts)
        return live.Announcement(self.event.slug, self.event.version, summaries, self.event.announcement, changes)


def apply_change(slug, now, action, idempotency_key=None):
    """The one path for every change: lock the event, act, log, commit, then announce; a replayed key acts once."""
    try:
        with db.transaction() as session:
            event = store.event_by_slug(session, slug, lock=True)
            if event is None:
                raise NotFound("There is no such event.")
            if idempotency_key:
                stored = store.idempotent_result(session, event.id, idempotency_key)
                if stored is not None:
                    return json.loads(stored.body)
            batch = Batch(session, event, now)
            result = action(batch)
            announcement = batch.announcement()
            if isinstance(result, Ticket):
                # The announcement already read the summaries after this change: reuse them for the answer.
                result = {"ticket": batch.facts(result, announcement.services if announcement else None)}
            if idempotency_key:
                session.add(IdempotentResult(event_id=event.id, key=idempotency_key, status_code=200,
                                             body=json.dumps(result), created_at=now))
    except IntegrityError as error:
        raise Conflict("Someone else changed this at the same moment. Please try again.") from error
    if announcement is not None:
        live.announce(announcement)
    return result


def join(slug, data, now, local_time=None, walk_in=False):
    """Screen a runner and, unless they belong in the medical tent, queue them; `local_time` checks opening hours."""

    def act(batch):
        request = domain.parse_join(data, {s.code for s in batch.services})
        service = batch.service(request.service)
        waiting = store.waiting_counts(batch.session, batch.event.id).get(service.id, 0)
        refusal = domain.accepting_joins(service.status, service.capacity, waiting, service.opens_at,
                                         service.closes_at, local_time)
        if refusal:
            raise Conflict(f"{service.name} {refusal}: no new runners can join.", field="service")
        if store.has_start_list(batch.session, batch.event.id):
            domain.check_start_list(request.bib, request.first_name,
                                    store.registered_first_name(batch.session, batch.event.id, request.bib))
        if request.screening.needs_medical_tent:
            batch.session.add(Referral(event_id=batch.event.id, service_id=service.id, at=now))
            return {"referred": True, "message": MEDICAL_MESSAGE}
        if store.active_ticket_for_bib(batch.session, batch.event.id, request.bib):
            raise Conflict(f"Bib {request.bib} is already in the queue. Open your ticket on the phone you joined with.",
                           field="bib")
        ticket = Ticket(
            event_id=batch.event.id, service_id=service.id, number=service.next_number,
            label=domain.ticket_label(service.prefix, service.next_number), token=secrets.token_urlsafe(24),
            bib=request.bib, first_name=request.first_name, medical_flag=request.screening.medical_condition,
            walk_in=walk_in, seq=batch.event.next_seq, created_at=now,
        )
        service.next_number += 1
        batch.event.next_seq += 1
        batch.add(ticket, actor="organiser" if walk_in else "runner")
        return ticket

    return apply_change(slug, now, act)


def leave(token, now):
    """The runner leaves the queue; leaving twice answers with the ticket as it is."""
    slug = _slug_of_ticket(token)

    def act(batch):
        ticket = store.ticket_by_token(batch.session, token)
        if ticket.status == Status.WAITING:
            batch.move(ticket, Status.LEFT, actor="runner")
        elif ticket.status in (Status.CALLED, Status.IN_TREATMENT):
            raise Conflict("You have already been called to a table. Please tell your therapist instead.")
        return ticket

    return apply_change(slug, now, act)


def take_table(slug, number, now):
    """A therapist starts working at a table: it counts toward wait estimates from now on."""
    return set_table_working(slug, number, True, now)


def set_table_working(slug, number, working, now):
    """Mark a table as worked (a therapist is there) or on a break; estimates count only worked tables."""

    def act(batch):
        station = batch.station(number)
        if station.staffed != working:
            station.staffed = working
            batch.bump()
        return {"table": number, "working": working}

    return apply_change(slug, now, act)


def call_next(slug, number, now, idempotency_key=None, expected=None):
    """Call the first waiting runner this table serves; the table must be free.

    `expected` is the number the tablet showed as next: if someone else is next by now (another table took that
    runner while this press was on its way), the call is refused rather than made for a runner nobody saw.
    """

    def act(batch):
        station = batch.station(number)
        current = store.ticket_at_station(batch.session, station.id)
        if current is not None:
            raise Conflict(f"Table {number} already has {current.label}. Finish it or mark a no-show first.")
        service_ids = batch.service_ids_of(station)
        ticket = store.claim_oldest_waiting(batch.session, batch.event.id, service_ids)
        if expected and (ticket is None or ticket.label != expected):
            now_next = f"{ticket.label} is next now" if ticket else "nobody is waiting now"
            raise Conflict(f"The queue changed: {expected} is no longer next ({now_next}). Check the screen and "
                           "press Call next again.")
        if ticket is None:
            return {"ticket": None, "message": "Nobody is waiting for this table right now."}
        batch.move(ticket, Status.CALLED, actor=f"table {number}", station=station)
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


def _act_on_current(slug, number, now, target, expected, idempotency_key, note=None):
    """Move the table's current ticket; `expected` (a ticket number) guards against acting on an unseen runner."""

    def act(batch):
        station = batch.station(number)
        ticket = store.ticket_at_station(batch.session, station.id)
        if ticket is None:
            raise Conflict(f"Table {number} has nobody called. Press Call next first.")
        if expected and expected != ticket.label:
            raise Conflict(f"Table {number} now has {ticket.label}, not {expected}. The screen has been refreshed.")
        if note is not None:
            ticket.note = note
        batch.move(ticket, target, actor=f"table {number}")
        return ticket

    return apply_change(slug, now, act, idempotency_key)


def _slug_of_ticket(token):
    """The slug of the event a ticket token belongs to; NotFound for an unknown token."""
    with db.transaction() as session:
        ticket = store.ticket_by_token(session, token)
        if ticket is None:
            raise NotFound(UNKNOWN_TICKET)
        return session.get(Event, ticket.event_id).slug


def expire_overdue_calls(now):
    """Mark as no-show every called runner whose grace time has run out; returns how many."""
    with db.transaction() as session:
        slugs = sorted({slug for ticket, grace, slug in store.called_tickets(session)
                        if domain.overdue(ticket.called_at, grace, now)})
    expired = 0
    for slug in slugs:
        expired += apply_change(slug, now, _expire_in_event)["expired"]
    return expired


def _expire_in_event(batch):
    """Within one event's lock: recheck each called ticket and mark the overdue ones as no-shows."""
    expired = 0
    for ticket, grace, _slug in store.called_tickets(batch.session):
        if ticket.event_id == batch.event.id and domain.overdue(ticket.called_at, grace, batch.now):
            batch.move(ticket, Status.NO_SHOW, actor="timer")
            expired += 1
    return {"expired": expired}
