"""A runner's place is the truth in every tent: random layouts and random days, checked after every step.

Hypothesis builds a tent (one to three services, one to four tables each serving some of them, each service with
or without priority lanes), then plays a day: joins (of elite runners, marathoners and 5K runners, by the start
list's category), leaves, calls (of the next runner, or of a particular one out of turn), starts, finishes, no-shows,
requeues, no-shows undone, moves to the front or another queue, runners letting others go first, breaks, pauses,
new lanes. Every runner holds a real phone: a Flask-SocketIO client in their ticket's room, which keeps its place
from the public deltas alone, as static/js/ticket.js does (rules/places.py). After every step each waiting runner's
place on the phone, in the API and on the tablets' view must equal their position in the order the tables will call
them, and every call must take the runner the model predicted. At the end the tables call everyone left, and each is
called exactly at the place they were shown.
"""

import tempfile
from datetime import datetime
from datetime import timedelta

from hypothesis import HealthCheck
from hypothesis import Phase
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine
from hypothesis.stateful import initialize
from hypothesis.stateful import invariant
from hypothesis.stateful import precondition
from hypothesis.stateful import rule

from queue_app import create_app
from queue_app.actions import organiser
from queue_app.actions import records
from queue_app.actions import runner as runner_actions
from queue_app.actions import setup
from queue_app.actions import tables
from queue_app.extensions import db
from queue_app.extensions import socketio
from queue_app.reads import snapshots
from queue_app.rules.errors import DomainError
from queue_app.rules.places import place_change
from queue_app.rules.setup import EventSpec
from queue_app.rules.setup import ServiceSpec
from tests.support.inprocess import QUICK_HASH

T0 = datetime(2026, 5, 3, 7, 0)
PIN = "246810"
CODES = ("pre", "post", "walk")
PREFIXES = {"pre": "P", "post": "R", "walk": "W"}
OK = {"unwell": False, "injury": False, "medical_condition": False}
# The start list's categories, a third of the bibs each (bib % 3), and the lanes a service may have.
CATEGORIES = ("elite", "marathon", "5k")
LANES = ("", "elite: first", "marathon: 1 in 3", "elite: first\nmarathon: 1 in 2")
BIBS = 900


class Phone:
    """A runner's phone: a socket in their ticket's room, keeping its place as static/js/ticket.js does."""

    def __init__(self, app, token):
        self.client = socketio.test_client(app, auth={"ticket": token})
        assert self.client.is_connected()
        self.ticket = None
        self.place_version = 0
        self.version = None

    def on_ticket(self, update):
        """The server's word on our own ticket (ticket.js onTicket)."""
        self.ticket = {**(self.ticket or {}), **update}
        self.place_version = max(self.place_version, update.get("version") or 0)

    def catch_up(self):
        """Apply everything received since the last look, in order (ticket.js onSnapshot, onTicket, onBoard)."""
        for packet in self.client.get_received():
            name, payload = packet["name"], packet["args"][0]
            if name == "snapshot":
                self.version = payload["board"]["version"]
                self.on_ticket(payload["ticket"])
            elif name == "ticket":
                self.on_ticket(payload)
            elif name == "board":
                assert payload["since"] == self.version + 1, "a phone in the room missed a delta"
                for step in payload["steps"]:  # live.js: each version's changes in order
                    self.version = step["version"]
                    self.on_board(step)

    def on_board(self, delta):
        """A public change moves our place by the place rule alone (ticket.js onBoard)."""
        for change in delta["changes"]:
            if change["number"] == self.ticket["number"]:
                if change["status"] != self.ticket["status"]:
                    self.on_ticket({"status": change["status"], "table": change["table"], "seq": change["seq"]})
                continue
            if self.ticket["status"] != "waiting" or delta["version"] <= self.place_version:
                continue
            self.ticket["place"] += place_change(change, self.ticket)


class AnyTent(RuleBasedStateMachine):
    """One event with a random layout, against a model: each service's queue, and each table's turn."""

    def __init__(self):
        super().__init__()
        self.folder = tempfile.TemporaryDirectory()
        self.app = create_app({"DATABASE_URL": f"sqlite:///{self.folder.name}/queue.db", "ASYNC_MODE": "threading",
                               "SECRET_KEY": "places", "TESTING": True,
                               # Each board delta at once: the invariant looks after every step.
                               "BOARD_DELTA_SECONDS": 0, "PASSWORD_HASH_METHOD": QUICK_HASH})
        self.context = self.app.app_context()
        self.context.push()
        self.now = T0
        self.queues = {}       # service -> [token, ...] in the order its runners will be called
        self.numbers = {}      # token -> ticket number
        self.phones = {}       # token -> Phone
        self.at_table = {}     # table -> token or None
        self.last = {}         # table -> the service it called from last
        self.served = {}       # table -> [services], in the event's order
        self.bibs = {category: iter(range(n, BIBS, 3)) for n, category in enumerate(CATEGORIES)}
        self.category = {}     # token -> the runner's category
        self.arrival = {}      # token -> the order it joined in
        self.lanes = {}        # service -> its lanes as the organiser wrote them
        self.fronted = set()   # tokens placed by hand: put back at the front, moved, let past by a step back
        self.stepped = set()   # tokens that let others go first (once each)
        self.no_shows = {}     # token -> the table that marked them a no-show (which may undo it)

    def teardown(self):
        """The tables call everyone still waiting: each runner is called at the place they were shown."""
        try:
            if self.served:
                self.drain()
        finally:
            for phone in self.phones.values():
                phone.client.disconnect()
            self.context.pop()
            db.engine.dispose()
            self.folder.cleanup()

    def tick(self):
        """Advance the fixed clock a second."""
        self.now += timedelta(seconds=1)
        return self.now

    @initialize(services=st.integers(1, 3), layout=st.lists(st.sets(st.integers(0, 2), min_size=1), min_size=1,
                                                            max_size=4),
                lanes=st.lists(st.sampled_from(LANES), min_size=3, max_size=3))
    def build(self, services, layout, lanes=("", "", "")):
        """A tent of `services` services with the given lanes, tables serving the given subsets of them, and a
        start list that gives each runner a category."""
        self.codes = CODES[:services]
        self.queues = {code: [] for code in self.codes}
        specs = tuple(ServiceSpec(code, code.title(), PREFIXES[code], 10) for code in self.codes)
        setup.create_event(EventSpec("tent", "Any Tent", PIN, specs, len(layout)), self.tick())
        records.import_start_list("tent", ["bib,first_name,category"] + [
            f"{bib},Runner,{CATEGORIES[bib % 3]}" for bib in range(BIBS)], self.tick())
        for code, text in zip(self.codes, lanes, strict=False):
            self.set_lanes(code, text)
        for number, wanted in enumerate(layout, start=1):
            served = [code for index, code in enumerate(self.codes) if index in {w % services for w in wanted}]
            organiser.update_table("tent", number, served, self.tick())
            self.served[number], self.at_table[number], self.last[number] = served, None, None

    def set_lanes(self, code, text):
        """The organiser gives a service these lanes."""
        organiser.update_service("tent", code, {"lanes": text}, self.tick())
        self.lanes[code] = text

    def first_lane(self, token):
        """Whether a runner is in a "first" lane of the service they joined."""
        return self.category[token] == "elite" and "elite: first" in self.lanes[self.service_of(token)]

    def seq(self, token):
        """A waiting runner's position in their queue, as the API gives it."""
        return snapshots.ticket(token)[1]["seq"]

    def waiting(self):
        """Every waiting token."""
        return [token for queue in self.queues.values() for token in queue]

    def service_of(self, token):
        """The queue a waiting token is in."""
        return next(code for code, queue in self.queues.items() if token in queue)

    @rule(service=st.integers(0, 2), category=st.sampled_from(CATEGORIES))
    def join(self, service, category="5k"):
        """A runner joins a queue, phone in hand: at its end, or where their lane puts them."""
        code = self.codes[service % len(self.codes)]
        bib = next(self.bibs[category])
        body = {"bib": str(bib), "first_name": "Runner", "service": code, "screening": OK}
        try:
            ticket = runner_actions.join("tent", body, self.tick())["ticket"]
        except DomainError as refused:
            assert snapshots.board("tent")["services"][code]["status"] != "open", refused.message
            return
        token = ticket["token"]
        self.numbers[token], self.category[token], self.arrival[token] = ticket["number"], category, len(self.arrival)
        self.phones[token] = Phone(self.app, token)
        queue = self.queues[code]
        seqs = {t: self.seq(t) for t in queue}
        queue.insert(sum(seqs[t] < ticket["seq"] for t in queue), token)
        ahead = queue[:queue.index(token)]
        if not self.lanes[code]:
            assert not queue[len(ahead) + 1:], "with no lanes, a joiner went ahead of someone"
        elif self.first_lane(token):
            assert all(self.first_lane(t) or t in self.fronted for t in ahead), "a first lane's runner went behind"
        else:
            behind = queue[len(ahead) + 1:]
            assert not any(self.first_lane(t) for t in behind), "a runner went ahead of a first lane's"

    @rule(services=st.lists(st.tuples(st.integers(0, 2), st.sampled_from(CATEGORIES)), min_size=2, max_size=4))
    def rush(self, services):
        """Several runners join at once, as after a wave of finishers."""
        for service, category in services:
            self.join(service, category)

    @rule(service=st.integers(0, 2), text=st.sampled_from(LANES))
    def organiser_sets_lanes(self, service, text):
        """The organiser changes a service's lanes: runners waiting keep their places, joiners follow the new."""
        self.set_lanes(self.codes[service % len(self.codes)], text)

    @precondition(lambda self: self.waiting())
    @rule(pick=st.integers(0, 50), how=st.sampled_from(["leave", "remove"]))
    def leave(self, pick, how):
        """A waiting runner leaves, or the organiser removes them."""
        waiting = self.waiting()
        token = waiting[pick % len(waiting)]
        if how == "leave":
            runner_actions.leave(token, self.tick())
        else:
            organiser.remove("tent", self.numbers[token], self.tick())
        self.queues[self.service_of(token)].remove(token)

    @rule(table=st.integers(1, 4))
    def call_next(self, table):
        """A table finishes with its runner, if any, and calls: the first runner of the first queue in its turn
        that has someone waiting."""
        table = (table - 1) % len(self.served) + 1
        if self.at_table[table] is not None:
            tables.start("tent", table, self.tick())
            tables.finish("tent", table, self.tick())
            self.at_table[table] = None
        served = self.served[table]
        start = served.index(self.last[table]) + 1 if self.last[table] in served else 0
        turn = served[start:] + served[:start]
        expected = next((code for code in turn if self.queues[code]), None)
        called = tables.call_next("tent", table, self.tick())["ticket"]
        if expected is None:
            assert called is None
            return
        token = self.queues[expected].pop(0)
        assert called["number"] == self.numbers[token], f"table {table} called {called['number']}"
        self.at_table[table], self.last[table] = token, expected

    @precondition(lambda self: self.waiting())
    @rule(table=st.integers(1, 4), pick=st.integers(0, 50))
    def call_a_particular_runner(self, table, pick):
        """A table finishes with its runner, if any, and calls one runner of a queue it serves out of turn (an
        elite athlete, a friend of the runner at the next table): those behind them move up, nobody else moves."""
        table = (table - 1) % len(self.served) + 1
        choices = [token for code in self.served[table] for token in self.queues[code]]
        if not choices:
            return
        if self.at_table[table] is not None:
            tables.start("tent", table, self.tick())
            tables.finish("tent", table, self.tick())
            self.at_table[table] = None
        token = choices[pick % len(choices)]
        code = self.service_of(token)
        called = tables.call_runner("tent", table, self.tick(), expected=self.numbers[token])["ticket"]
        assert (called["number"], called["table"]) == (self.numbers[token], table)
        self.queues[code].remove(token)
        self.at_table[table], self.last[table] = token, code

    @rule(table=st.integers(1, 4), action=st.sampled_from(["finish", "no_show", "requeue"]))
    def table_action(self, table, action):
        """The table's runner is treated (start, finish), does not come, or is put back at the front once."""
        table = (table - 1) % len(self.served) + 1
        token = self.at_table[table]
        if token is None:
            return
        if action == "finish":
            tables.start("tent", table, self.tick())
            tables.finish("tent", table, self.tick())
        elif action == "requeue":
            try:
                ticket = tables.requeue("tent", table, self.tick())["ticket"]
            except DomainError:  # put back once already: the therapist marks a no-show instead
                tables.no_show("tent", table, self.tick())
                self.no_shows[token] = table
            else:
                self.queues[ticket["service"]].insert(0, token)
                self.fronted.add(token)
        else:
            tables.no_show("tent", table, self.tick())
            self.no_shows[token] = table
        self.at_table[table] = None

    @precondition(lambda self: self.no_shows)
    @rule(pick=st.integers(0, 50))
    def a_no_show_turns_up(self, pick):
        """A runner marked a no-show turns up after all, at the desk: their table undoes it to the queue, and they
        wait where they stood, with the seq they had, which nobody took while they were away."""
        token = sorted(self.no_shows)[pick % len(self.no_shows)]
        ticket = tables.undo_no_show("tent", self.no_shows.pop(token), self.tick(), self.numbers[token],
                                     to_table=False)["ticket"]
        queue = self.queues[ticket["service"]]
        seqs = {t: self.seq(t) for t in queue}
        assert ticket["seq"] not in seqs.values(), "a runner came back to a seq someone else holds"
        queue.insert(sum(seqs[t] < ticket["seq"] for t in queue), token)
        self.fronted.add(token)

    @precondition(lambda self: self.waiting())
    @rule(pick=st.integers(0, 50), other=st.integers(0, 2), to_front=st.booleans())
    def organiser_moves(self, pick, other, to_front):
        """The organiser moves a waiting runner to another queue (keeping arrival order) and/or to the front."""
        waiting = self.waiting()
        token = waiting[pick % len(waiting)]
        source = self.service_of(token)
        target = self.codes[other % len(self.codes)]
        if target == source and not to_front:
            return
        organiser.move("tent", self.numbers[token], self.tick(), service_code=target, to_front=to_front)
        self.queues[source].remove(token)
        self.fronted.add(token)
        if to_front:
            self.queues[target].insert(0, token)
        else:
            seqs = {t: self.seq(t) for t in self.queues[target] + [token]}
            self.queues[target] = sorted(self.queues[target] + [token], key=seqs.get)
            earlier = [t for t in self.queues[target] if self.arrival[t] < self.arrival[token]]
            assert all(seqs[t] < seqs[token] for t in earlier), "a moved runner went ahead of one who came before"

    @precondition(lambda self: self.waiting())
    @rule(pick=st.integers(0, 50), places=st.integers(1, 4))
    def runner_lets_others_go_first(self, pick, places):
        """A runner not ready yet lets the next runners of their queue pass (up to 3, once)."""
        waiting = self.waiting()
        token = waiting[pick % len(waiting)]
        queue = self.queues[self.service_of(token)]
        behind = len(queue) - queue.index(token) - 1
        allowed = token not in self.stepped and 1 <= places <= min(3, behind)
        try:
            runner_actions.step_back(token, places, self.tick())
        except DomainError:
            assert not allowed, "a step back the rules allow was refused"
            return
        assert allowed, "a step back the rules forbid went through"
        self.stepped.add(token)
        index = queue.index(token)
        # Those let past take the places (and seqs) of the runner and the others ahead of them: placed by hand.
        self.fronted.update(queue[index:index + places + 1])
        queue.insert(index + places, queue.pop(index))

    @rule(table=st.integers(1, 4), working=st.booleans())
    def break_or_resume(self, table, working):
        """A therapist takes a break or comes back: places do not move."""
        tables.set_table_working("tent", (table - 1) % len(self.served) + 1, working, self.tick())

    @rule(service=st.integers(0, 2), status=st.sampled_from(["open", "paused", "closed"]))
    def organiser_sets_a_service(self, service, status):
        """A service is paused, closed or opened: its runners keep their places and are still called."""
        organiser.update_service("tent", self.codes[service % len(self.codes)], {"status": status}, self.tick())

    @invariant()
    def every_place_is_the_call_it_takes(self):
        """Phone, API and tablet all say the same place, and it is the runner's position in the call order."""
        if not self.served:
            return
        staff = {t["number"]: t["place"] for t in snapshots.staff("tent")["tickets"] if t["status"] == "waiting"}
        assert set(staff) == {self.numbers[token] for token in self.waiting()}
        for queue in self.queues.values():
            for place, token in enumerate(queue, start=1):
                phone = self.phones[token]
                phone.catch_up()
                api = snapshots.ticket(token)[1]["place"]
                assert (phone.ticket["place"], api, staff[self.numbers[token]]) == (place, place, place), token

    def drain(self):
        """Free every table, then call until nobody any table serves is left: the k-th call into a service
        takes the runner shown place k."""
        for table, token in self.at_table.items():
            if token is not None:
                tables.no_show("tent", table, self.tick())
        shown = {token: snapshots.ticket(token)[1]["place"] for token in self.waiting()}
        calls = {code: 0 for code in self.codes}
        progress = True
        while progress:
            progress = False
            for table in self.served:
                called = tables.call_next("tent", table, self.tick())["ticket"]
                if called is None:
                    continue
                progress = True
                calls[called["service"]] += 1
                token = next(t for t in shown if self.numbers[t] == called["number"])
                assert shown[token] == calls[called["service"]], f"{called['number']} shown {shown[token]}"
                tables.no_show("tent", table, self.tick())
        served_anywhere = {code for served in self.served.values() for code in served}
        assert all(calls[code] == len(self.queues[code]) for code in served_anywhere)


# No shrinking: each example builds an app, and a shrink would take Hypothesis past its time cap; the failing steps
# are printed unshrunk and the saved example replays first on the next run.
AnyTent.TestCase.settings = settings(max_examples=30, stateful_step_count=30, deadline=None,
                                     suppress_health_check=[HealthCheck.too_slow],
                                     phases=[Phase.explicit, Phase.reuse, Phase.generate])
TestEveryPlaceIsTheTruthInAnyTent = AnyTent.TestCase


def test_a_shared_table_takes_turns_between_two_queues_and_places_follow():
    """The day the rule is about: both queues waiting at a table serving both; its calls alternate."""
    tent = AnyTent()
    try:
        tent.build(services=2, layout=[{0, 1}])
        for service in (1, 1, 1, 0, 1):
            tent.join(service)
        for _ in range(4):
            tent.call_next(1)
            tent.every_place_is_the_call_it_takes()
    finally:
        tent.teardown()
