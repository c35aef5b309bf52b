"""Random days at the tent: Hypothesis drives joins, calls (of the next runner or a particular one), starts,
finishes, no-shows, requeues, runners sent to medical, leaves, the grace-time sweep and the organiser's removals and
moves through queue_app.services and queue_admin against a real SQLite file, next to a plain model of the queue.

After every step it checks, from the database: one active ticket per bib, one runner per table, places 1..n
per service (both ways the app computes them), every transition in the audit log and nothing after a
terminal state, and a version that grows by exactly one per change and not at all on a refusal.
"""

import tempfile
from dataclasses import dataclass
from dataclasses import field
from datetime import timedelta

from hypothesis import HealthCheck
from hypothesis import Phase
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle
from hypothesis.stateful import RuleBasedStateMachine
from hypothesis.stateful import invariant
from hypothesis.stateful import rule
from sqlalchemy import select

from queue_app import create_app
from queue_app.actions import organiser as queue_admin
from queue_app.actions import runner as runner_actions
from queue_app.actions import setup
from queue_app.actions import sweep
from queue_app.actions import tables
from queue_app.data.models import Event
from queue_app.data.models import Service
from queue_app.data.models import Ticket
from queue_app.data.models import TicketEvent
from queue_app.extensions import db
from queue_app.reads import snapshots
from queue_app.rules.errors import DomainError
from queue_app.rules.tickets import TERMINAL
from queue_app.rules.tickets import Status
from tests.integration.conftest import PIN
from tests.integration.conftest import T0
from tests.support.inprocess import QUICK_HASH

TABLES = (1, 2, 3)
OK = {"unwell": False, "injury": False, "medical_condition": False}


@dataclass
class Runner:
    """What the model knows of one ticket."""

    token: str
    number: str
    bib: str
    service: str
    status: str = Status.WAITING
    table: int | None = None
    called_at: object = None
    requeues: int = 0
    history: list = field(default_factory=lambda: [(None, "waiting")])

    def become(self, status, table=None):
        """Record a transition as the model expects it."""
        self.history.append((self.status, status))
        self.status, self.table = status, table


class TentDay(RuleBasedStateMachine):
    """The queue of the demo event (three tables serving both services) against a model of it."""

    tokens = Bundle("tokens")

    def __init__(self):
        super().__init__()
        self.folder = tempfile.TemporaryDirectory()
        self.app = create_app({"DATABASE_URL": f"sqlite:///{self.folder.name}/queue.db", "ASYNC_MODE": "threading",
                               "SECRET_KEY": "state-machine", "TESTING": True,
                               "PASSWORD_HASH_METHOD": QUICK_HASH})
        self.context = self.app.app_context()
        self.context.push()
        setup.ensure_demo(PIN, T0)
        with db.transaction() as session:
            self.grace = {s.code: s.grace_seconds for s in session.scalars(select(Service))}
        self.now = T0
        self.version = 0
        self.queue = []          # tokens waiting, in queue order (each service's queue is this, filtered)
        self.runners = {}        # token -> Runner
        self.arrival = {}        # token -> the order it joined in
        self.fronted = set()     # tokens put at the front of their queue (a requeue, or by the organiser)
        self.at_table = dict.fromkeys(TABLES)
        self.last_service = dict.fromkeys(TABLES)  # tables serving both take turns, starting after this one

    def teardown(self):
        """Close the app's context and delete its database."""
        self.context.pop()
        db.engine.dispose()
        self.folder.cleanup()

    def tick(self, seconds=1):
        """Advance the fixed clock."""
        self.now += timedelta(seconds=seconds)
        return self.now

    def attempt(self, call, refusal):
        """Run a service call; if the model expects a refusal, it must raise one and change nothing."""
        if refusal:
            try:
                call()
            except DomainError:
                return None
            raise AssertionError(f"expected a refusal: {refusal}")
        result = call()
        self.version += 1
        return result

    @rule(target=tokens, bib=st.integers(1, 6), service=st.sampled_from(["pre", "post"]), medical=st.booleans())
    def join(self, bib, service, medical):
        """A runner joins; a bib already holding an active ticket is refused."""
        busy = any(r.bib == str(bib) and r.status not in TERMINAL for r in self.runners.values())
        body = {"bib": str(bib), "first_name": f"Runner {bib}", "service": service,
                "screening": dict(OK, medical_condition=medical)}
        result = self.attempt(lambda: runner_actions.join("demo", body, self.tick()), busy and "bib is active")
        if result is None:
            return "no-such-token"
        ticket = result["ticket"]
        self.runners[ticket["token"]] = Runner(ticket["token"], ticket["number"], str(bib), service)
        self.arrival[ticket["token"]] = len(self.arrival)
        self.queue.append(ticket["token"])
        return ticket["token"]

    @rule(table=st.sampled_from(TABLES))
    def call_next(self, table):
        """A table calls the first runner of a queue, the two services taking turns, or hears that nobody waits."""
        busy = self.at_table[table] is not None
        if not busy and not self.queue:
            assert tables.call_next("demo", table, self.tick())["ticket"] is None
            return
        result = self.attempt(lambda: tables.call_next("demo", table, self.tick()), busy and "table busy")
        if result is not None:
            turns = ["post", "pre"] if self.last_service[table] == "pre" else ["pre", "post"]
            waiting = {self.runners[token].service for token in self.queue}
            service = next(code for code in turns if code in waiting)
            self.last_service[table] = service
            token = next(token for token in self.queue if self.runners[token].service == service)
            self.queue.remove(token)
            runner = self.runners[token]
            assert result["ticket"]["number"] == runner.number
            runner.become(Status.CALLED, table)
            runner.called_at = self.now
            self.at_table[table] = runner.token

    @rule(table=st.sampled_from(TABLES), token=tokens)
    def call_a_particular_runner(self, table, token):
        """A free table calls one waiting runner out of turn; a busy table, or a runner not waiting, is refused."""
        runner = self.runners.get(token)
        if runner is None:
            return
        refusal = (self.at_table[table] is not None or runner.status != Status.WAITING) and "busy or not waiting"
        result = self.attempt(lambda: tables.call_runner("demo", table, self.tick(), expected=runner.number), refusal)
        if result is None:
            return
        assert result["ticket"]["number"] == runner.number and result["ticket"]["table"] == table
        self.queue.remove(token)
        self.last_service[table] = runner.service
        runner.become(Status.CALLED, table)
        runner.called_at = self.now
        self.at_table[table] = token

    @rule(table=st.sampled_from(TABLES),
          action=st.sampled_from(["start", "finish", "no_show", "requeue", "send_to_medical"]),
          guard=st.sampled_from(["none", "right", "wrong"]), note=st.sampled_from([None, "tight calves", ""]))
    def table_action(self, table, action, guard, note):
        """Start, finish, no-show, requeue or send to medical the table's runner, with or without naming the
        ticket."""
        runner = self.runners.get(self.at_table[table])
        expected = {"none": None, "right": runner and runner.number, "wrong": "X-999"}[guard]
        target = {"start": Status.IN_TREATMENT, "finish": Status.DONE, "no_show": Status.NO_SHOW,
                  "requeue": Status.WAITING, "send_to_medical": Status.SENT_TO_MEDICAL}[action]
        allowed = runner is not None and (
            (runner.status == Status.CALLED and target in (Status.IN_TREATMENT, Status.NO_SHOW))
            or (runner.status == Status.CALLED and target == Status.WAITING and runner.requeues == 0)
            or (runner.status == Status.IN_TREATMENT and target == Status.DONE)
            or target == Status.SENT_TO_MEDICAL)
        refused = not allowed or guard == "wrong"
        kwargs = {"expected": expected}
        if action == "finish":
            kwargs["note"] = note
        elif action == "send_to_medical":
            kwargs["reason"] = "dizzy"
        call = getattr(tables, action)
        result = self.attempt(lambda: call("demo", table, self.tick(), **kwargs), refused and "not allowed")
        if result is None:
            return
        assert result["ticket"]["number"] == runner.number and result["ticket"]["status"] == target
        if target in (Status.IN_TREATMENT,):
            runner.become(target, table)
            return
        runner.become(target)
        self.at_table[table] = None
        if target == Status.WAITING:
            runner.requeues += 1
            self.queue.insert(0, runner.token)
            self.fronted.add(runner.token)

    @rule(token=tokens)
    def leave(self, token):
        """A runner presses Leave: only a waiting ticket leaves; a finished one answers as it is."""
        runner = self.runners.get(token)
        if runner is None:
            return
        if runner.status in TERMINAL:
            assert runner_actions.leave(token, self.tick())["ticket"]["status"] == runner.status
            return
        at_table = runner.status != Status.WAITING and "already at a table"
        result = self.attempt(lambda: runner_actions.leave(token, self.tick()), at_table)
        if result is not None:
            runner.become(Status.LEFT)
            self.queue.remove(token)

    @rule(token=tokens)
    def organiser_removes(self, token):
        """The organiser takes a ticket out of the queue: only a waiting one."""
        runner = self.runners.get(token)
        if runner is None:
            return
        not_waiting = runner.status != Status.WAITING and "not waiting"
        if self.attempt(lambda: queue_admin.remove("demo", runner.number, self.tick()), not_waiting) is not None:
            runner.become(Status.REMOVED)
            self.queue.remove(token)

    @rule(token=tokens, other_queue=st.booleans(), to_front=st.booleans())
    def organiser_moves(self, token, other_queue, to_front):
        """The organiser moves a waiting ticket to the other service (keeping its arrival order) and/or the front."""
        runner = self.runners.get(token)
        if runner is None:
            return
        other = {"pre": "post", "post": "pre"}[runner.service]
        refusal = (runner.status != Status.WAITING or not (other_queue or to_front)) and "cannot move"
        move = queue_admin.move
        result = self.attempt(lambda: move("demo", runner.number, self.tick(), service_code=other_queue and other,
                                           to_front=to_front), refusal)
        if result is None:
            return
        runner.history.append((Status.WAITING, Status.WAITING))
        runner.service = other if other_queue else runner.service
        if to_front:
            self.queue.remove(token)
            self.queue.insert(0, token)
            self.fronted.add(token)
        elif other_queue:
            # They join the other queue by arrival, whatever their place in the one they left: behind those there
            # who came first or were put at the front (the places property test asks the same).
            self.fronted.discard(token)
            self.queue.remove(token)
            there = [i for i, t in enumerate(self.queue) if self.runners[t].service == runner.service]
            before = [i for i in there
                      if self.arrival[self.queue[i]] < self.arrival[token] or self.queue[i] in self.fronted]
            self.queue.insert(max(before) + 1 if before else (there[0] if there else len(self.queue)), token)

    @rule(seconds=st.sampled_from([5, 60, 170, 200, 400]))
    def time_passes(self, seconds):
        """Time passes and the grace-time sweep runs: called runners who did not arrive in time become no-shows."""
        now = self.tick(seconds)
        overdue = [r for r in self.runners.values()
                   if r.status == Status.CALLED and (now - r.called_at).total_seconds() >= self.grace[r.service]]
        assert sweep.expire_overdue_calls(now) == len(overdue)
        for runner in overdue:
            self.at_table[runner.table] = None
            runner.become(Status.NO_SHOW)
        self.version += bool(overdue)

    @invariant()
    def one_active_ticket_per_bib_and_one_runner_per_table(self):
        """The database agrees with the model on who is active and who is at which table."""
        with db.transaction() as session:
            tickets = session.scalars(select(Ticket)).all()
            active = [t.bib for t in tickets if t.status not in TERMINAL]
            assert len(active) == len(set(active))
            at_tables = [t.table_id for t in tickets if t.status in (Status.CALLED, Status.IN_TREATMENT)]
            assert len(at_tables) == len(set(at_tables))
            assert {t.token: t.status for t in tickets} == {r.token: r.status for r in self.runners.values()}
        for table, token in self.at_table.items():
            assert token is None or self.runners[token].table == table

    @invariant()
    def places_are_one_to_n_per_service_in_queue_order(self):
        """Each service's waiting runners hold places 1..n in queue order, in the staff view and on each phone."""
        staff = {t["number"]: t["place"] for t in snapshots.staff("demo")["tickets"] if t["status"] == Status.WAITING}
        for service in ("pre", "post"):
            waiting = [self.runners[token] for token in self.queue if self.runners[token].service == service]
            for place, runner in enumerate(waiting, start=1):
                assert staff[runner.number] == place
                assert snapshots.ticket(runner.token)[1]["place"] == place
        assert len(staff) == len(self.queue)

    @invariant()
    def every_transition_is_in_the_audit_log_and_terminal_states_are_final(self):
        """The audit log holds each ticket's moves in order, and the event version counts the changes."""
        with db.transaction() as session:
            rows = session.execute(select(Ticket.token, TicketEvent.from_status, TicketEvent.to_status,
                                          TicketEvent.version).join(Ticket, Ticket.id == TicketEvent.ticket_id)
                                   .order_by(TicketEvent.id)).all()
            version = session.scalar(select(Event.version).where(Event.slug == "demo"))
        paths = {}
        for token, before, after, _version in rows:
            paths.setdefault(token, []).append((before, after))
            assert before not in TERMINAL, f"a {before} ticket moved on"
        assert paths == {r.token: r.history for r in self.runners.values()}
        versions = [row.version for row in rows]
        assert versions == sorted(versions) and (not versions or versions[-1] <= version)
        assert version == self.version


# No shrinking: each run builds an app, so shrinking a failing day takes Hypothesis past its five-minute cap.
# The failing steps are printed unshrunk; the saved example replays first on the next run.
TentDay.TestCase.settings = settings(max_examples=20, stateful_step_count=30, deadline=None,
                                     suppress_health_check=[HealthCheck.too_slow],
                                     phases=[Phase.explicit, Phase.reuse, Phase.generate])
TestADayAtTheTentKeepsEveryInvariant = TentDay.TestCase


# Days the machine above found going wrong, kept as plain tests so they fail every run until fixed.

def join_demo(bib, service="pre"):
    """Join the demo event at T0; the new ticket's snapshots."""
    return runner_actions.join("demo", {"bib": str(bib), "first_name": "Runner", "service": service, "screening": OK},
                         T0)["ticket"]


def test_the_runner_put_back_at_the_front_last_is_called_first_and_places_stay_distinct(app):
    """Proves: two called runners put back at the front one after the other do not share a place: the later
    one is first, each phone shows a different place, and the staff view agrees with the phones."""
    first, second = join_demo(1), join_demo(2)
    tables.call_next("demo", 1, T0)
    tables.call_next("demo", 2, T0)
    tables.requeue("demo", 1, T0)
    tables.requeue("demo", 2, T0)
    places = {t["number"]: snapshots.ticket(t["token"])[1]["place"] for t in (first, second)}
    staff = {t["number"]: t["place"] for t in snapshots.staff("demo")["tickets"]}
    assert places == staff == {second["number"]: 1, first["number"]: 2}
    assert tables.call_next("demo", 3, T0)["ticket"]["number"] == second["number"]


def test_a_waiting_ticket_can_be_moved_to_the_other_queue_when_that_queue_has_the_same_number(app):
    """Proves: the organiser can move P-001 into the post-race queue even though R-001 exists there; it keeps
    its place in arrival order and both runners keep their tickets."""
    moved, there = join_demo(1, "pre"), join_demo(2, "post")
    result = queue_admin.move("demo", moved["number"], T0, service_code="post")
    assert result["ticket"]["service"] == "post"
    places = {t["number"]: snapshots.ticket(t["token"])[1]["place"] for t in (moved, there)}
    assert places == {moved["number"]: 1, there["number"]: 2}


def test_a_runner_put_at_the_front_then_moved_to_the_other_queue_joins_it_by_arrival(app):
    """Proves: the front of one queue is not carried into another. P-001 joined after two post-race runners,
    was put at the front of the pre-race queue, then moved to the post-race queue (not to its front): they go
    behind the two who came first, and phones and staff agree (the machine above once modelled the opposite)."""
    first, second, mover = join_demo(1, "post"), join_demo(2, "post"), join_demo(3, "pre")
    queue_admin.move("demo", mover["number"], T0, to_front=True)
    queue_admin.move("demo", mover["number"], T0, service_code="post")
    places = {t["number"]: snapshots.ticket(t["token"])[1]["place"] for t in (first, second, mover)}
    staff = {t["number"]: t["place"] for t in snapshots.staff("demo")["tickets"]}
    assert places == staff == {first["number"]: 1, second["number"]: 2, mover["number"]: 3}
