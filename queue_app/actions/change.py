"""The one writer: every change of state goes through `apply_change`.

`apply_change` opens a transaction, locks the event's row, and lets an action work through a
`UnitOfWork`: each ticket move is decided by the pure rules (`rules.tickets`), written to its row
with an audit line, and versioned. It commits, and only then sends what changed to `live.broadcast`.
Nothing here emits or waits on the network inside a transaction.
"""

import json
import secrets

from .. import metrics
from ..data import alerts
from ..data import answers
from ..data import positions
from ..data import queue
from ..data import team
from ..data.models import Ticket
from ..extensions import db
from ..live import broadcast as live
from ..rules import lanes
from ..rules import order_keys
from ..rules import tickets
from ..rules.errors import ValidationError
from ..rules.tickets import Status
from ..rules.tickets import TicketState
from . import reach


class UnitOfWork:
    """The changes one transaction makes to one event (or, with no event, to the installation's setup)."""

    def __init__(self, session, view, now):
        self.session = session
        self.view = view
        self.event = view.event if view else None
        self.now = now
        self.moved = []
        self.retired_tokens = []
        self.staff_signed_out = False
        self.ended_sign_ins = []  # keys of tablets' sign-ins the organiser ended: those tablets sign in again
        self.joined = []  # tickets that joined in this change: the wait they are told is kept on them
        self.bumped = False

    def bump(self):
        """Give this transaction the event's next version (once): every client hears of the change."""
        if not self.bumped:
            self.event.version += 1
            self.bumped = True

    def add(self, actor, detail=None, **fields):
        """Put a new ticket in its queue where its lane says (at the end, with no lanes), and log its arrival
        (with `detail`, if any)."""
        service = next(s for s in self.view.services if s.id == fields["service_id"])
        service_lanes = lanes.lanes_of(service.lanes)
        furthest = positions.furthest_waiting(self.session, self.event.id, service.id)
        waiting = lanes.lanes_waiting(service_lanes, furthest)
        seq = lanes.joiner_seq(service_lanes, service.turn, waiting, (fields.get("category"), fields.get("distance")),
                               self.event.next_seq)
        ticket = queue.insert_ticket(self.session, status=Status.WAITING, seq=seq, **fields)
        self._give_public_key(ticket)
        self.event.next_seq += 1
        self.joined.append(ticket)
        _, happened = tickets.arrival(self._state(ticket), detail)
        self._record(ticket, happened, actor, None)
        return ticket

    def move(self, ticket, target, actor, table=None, detail=None, in_turn=False):
        """Move a ticket to `target` as the rules say (a call to `table`, a requeue to the front), and log it with
        `detail` (e.g. why a runner was sent to the medical tent). `in_turn`: a call of the first of the queue."""
        service = self.view.service_of(ticket)
        front = self._front(service) if target is Status.WAITING else None
        left = self.view.table_of(ticket) if ticket.status in tickets.AT_TABLE else None
        state, happened = tickets.move(self._state(ticket), target, self.now, table=table.id if table else None,
                                       front_seq=front, detail=detail)
        if in_turn:
            # The service's fair queue has come this far: lanes' later joiners start from here (rules/lanes.py).
            service.turn = lanes.after_call(service.turn, ticket.seq)
        self._write(ticket, state, happened, actor, at_table=(table or left).id if (table or left) else None)
        # The idle-table alarm's clock: a table is free from the moment its runner leaves it until its next call.
        if table is not None:
            table.free_since = None
        elif left is not None and state.status not in tickets.AT_TABLE:
            left.free_since = self.now

    def relocate(self, ticket, actor, service=None, to_front=False):
        """Move a waiting ticket into another service's queue (keeping its arrival order there) and/or to the
        front, and log it."""
        front = self._front(service or self.view.service_of(ticket)) if to_front else None
        seq = None
        if service is not None and not to_front:
            seq = lanes.moved_in_seq(positions.waiting_arrivals(self.session, self.event.id, service.id), ticket.id,
                                     positions.seqs_in_use(self.session, self.event.id), self.event.next_seq - 1,
                                     service.turn)
        state, happened = tickets.relocate(self._state(ticket), service.code if service else None, front, seq)
        self._write(ticket, state, happened, actor)

    def _front(self, service):
        """The seq a runner put back at the front of `service`'s queue goes before (rules/lanes.py)."""
        return lanes.front_seq(positions.lowest_seq(self.session, self.event.id), service.turn)

    def end_staff_sign_ins(self):
        """After commit, tell the event's tablets they are signed out, and stop their live view."""
        self.staff_signed_out = True
        self.bump()

    def change(self, ticket, rule, actor):
        """Apply one of the rules that take a ticket's state and `now` (call again, on the way, undo a no-show)."""
        state, happened = rule(self._state(ticket), self.now)
        if happened is not None:
            self._write(ticket, state, happened, actor)

    def step_back(self, ticket, places, actor):
        """Let the next `places` runners of the ticket's queue go first, as the rules allow."""
        behind = positions.waiting_behind(self.session, ticket, places)
        allowed = self.view.service_of(ticket).step_back_places
        moves = tickets.step_back(self._state(ticket), [self._state(t) for t in behind], places, allowed)
        keys = {row.seq: row.pub for row in [ticket, *behind]}  # public keys go with the seqs they pass on
        for row, (state, happened) in zip([ticket, *behind], moves, strict=True):
            self._write(row, state, happened, actor, pub=keys[state.seq])

    def reissue(self, ticket, actor, new_token):
        """Give a ticket a new key for a new phone; the old key stops opening it."""
        state, happened = tickets.reissue(self._state(ticket))
        self.retired_tokens.append(ticket.token)
        ticket.token = new_token
        self._write(ticket, state, happened, actor)

    def _state(self, ticket):
        """A ticket row as the rules see it."""
        return TicketState(status=Status(ticket.status), service=self.view.service_of(ticket).code, seq=ticket.seq,
                           requeues=ticket.requeues, table=ticket.table_id, called_at=ticket.called_at,
                           started_at=ticket.started_at, ended_at=ticket.ended_at, on_way_at=ticket.on_way_at,
                           stepped_back=ticket.stepped_back)

    def _write(self, ticket, state, happened, actor, pub=None, at_table=None):
        """Copy the rules' new state onto the row, then log the move; a ticket that enters a waiting queue, or
        moves in one, gets a new public key (or `pub`). `at_table`: the table it was at, if it left one."""
        was = (ticket.status, ticket.service_id, ticket.seq, ticket.pub)
        ticket.status = state.status
        ticket.service_id = self.view.service(state.service).id
        ticket.seq, ticket.requeues, ticket.table_id = state.seq, state.requeues, state.table
        ticket.called_at, ticket.started_at, ticket.ended_at = state.called_at, state.started_at, state.ended_at
        ticket.on_way_at, ticket.stepped_back = state.on_way_at, state.stepped_back
        self.session.flush()
        if pub is not None:
            ticket.pub = pub
        elif ticket.status == Status.WAITING and was[:3] != (Status.WAITING, ticket.service_id, ticket.seq):
            self._give_public_key(ticket)
        self._record(ticket, happened, actor, was[3], at_table)

    def _give_public_key(self, ticket):
        """A key for the public between those of the ticket's waiting neighbours, telling no lane."""
        ticket.pub = order_keys.public_key(*positions.waiting_neighbours(self.session, ticket), secrets.randbelow)

    def _record(self, ticket, happened, actor, from_pub, at_table=None):
        """Version the change and append its audit line (`from_pub`: the public key the ticket had), with who was
        at the ticket's table (or the one it left)."""
        self.bump()
        table_id = ticket.table_id or at_table
        people = ",".join(str(seat.person_id) for seat in team.seats_at_table(self.session, table_id)) if table_id \
            else None
        queue.log_move(self.session, event_id=self.event.id, ticket_id=ticket.id, at=self.now, actor=actor,
                       from_status=happened.from_status, to_status=ticket.status,
                       table_number=self.view.table_number(ticket), detail=happened.detail,
                       version=self.event.version, people=people or None)
        self.moved.append((ticket, happened, from_pub))

    def broadcast(self):
        """What to send after commit, or None if nothing changed that clients see."""
        if not self.bumped:
            return None
        self.session.flush()
        summaries = self.view.summaries()
        changes = []
        for ticket, happened, from_pub in self.moved:
            facts = self.view.facts(ticket, summaries)
            facts["from"] = happened.from_status
            facts["from_service"] = happened.from_service or facts["service"]
            facts["from_seq"] = from_pub if from_pub is not None else facts["seq"]
            changes.append(facts)
        return live.Broadcast(self.event.slug, self.event.version, summaries, self.event.announcement, changes,
                              self.view.table_list(), self.retired_tokens, self.staff_signed_out,
                              (self.event.texts or {}).get("announcement") or {}, self.ended_sign_ins)


def apply_change(slug, now, action, idempotency_key=None):
    """The one path for every change: lock the event, act, log, commit, then broadcast; a replayed key acts once.

    `idempotency_key` is a rules.idempotency.RequestKey: a retry of the same request answers what the first
    answered; the same key with another body is refused.

    `slug` None is a change to the installation itself (an event created, the organiser password): no event to
    lock, nobody to tell.
    """
    broadcast = None
    reach_runners = False
    with metrics.timed_action(action), db.transaction() as session:
        view = queue.event_view(session, slug, lock=True) if slug else None
        if idempotency_key:
            stored = answers.idempotent_answer(session, view.event.id, idempotency_key.scoped)
            if stored is not None:
                if stored.request_hash not in (None, idempotency_key.request_hash):
                    raise ValidationError("This Idempotency-Key was used for another request. Use a new key.",
                                          field="Idempotency-Key")
                return json.loads(stored.body)
        work = UnitOfWork(session, view, now)
        result = action(work)
        if view is not None:
            broadcast = work.broadcast()
            reach_runners = broadcast is not None and alerts.any_for_event(session, view.event.id)
        if isinstance(result, Ticket):
            # The broadcast already read the summaries after this change: reuse them for the answer.
            facts = view.facts(result, broadcast.services if broadcast else None)
            if result in work.joined:  # what a joiner is told, kept to hold against what follows (the report)
                told = facts["wait_range"] or (None, None)
                result.told_low, result.told_high = told
                result.told_minutes = facts["estimated_wait_minutes"]
            result = {"ticket": facts}
        if idempotency_key:
            answers.keep_idempotent_answer(session, view.event.id, idempotency_key.scoped, idempotency_key.request_hash,
                                         json.dumps(result), now)
    if broadcast is not None:
        live.send(broadcast)
    if reach_runners:
        reach.after_commit(broadcast)
    return result
