"""The staffing planner's replay: a day of arrivals run through the queue's own rules, with no server.

A discrete-event simulation. Runners join their service's queue in the order of the day (runners joining at the
same second in the order given). Every table serves every service of the event, in the event's order, and calls
whenever it is free: who it calls is `calling.next_service` (each service first come first served, a table taking
turns between services), and each ticket moves only as `tickets.move` allows. What the tent does between calls is
the set of assumptions:

- a called runner walks over for `walk_seconds`, then the massage takes the service's minutes;
- after a massage the table is cleaned for `clean_seconds` before it calls again;
- a share `no_show_rate` of runners never come (drawn once per runner from `seed`, so the same runners miss
  whatever the number of tables): their table waits the service's grace time, then calls again (no cleaning).

At one moment, everything that happens then (runners joining, tables becoming free: cleaned, or done waiting for a
no-show) happens first; then the free tables call, lowest number first. That is what a tent whose tablets press
Call next as soon as they can would record, and what tests/integration/test_planner_agrees.py checks against the
real app. Nothing in the tent depends on a visit before it ends, so each visit's moves (called, on the table,
done or no-show) are made at the call, with their own times.
Times are seconds from the day's origin (the start gun, or midnight of the event's clock).
"""

import heapq
import random
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field

from ..rules import calling
from ..rules import tickets
from ..rules.tickets import Status
from ..rules.tickets import TicketState

# What happens at a moment: a runner joins, or a table is ready (cleaned, or done waiting for a no-show) to call.
ARRIVE, READY = "arrive", "ready"
PAUSE_EVERY = 200


@dataclass(frozen=True)
class Arrival:
    """One runner joining a queue: seconds from the day's origin, the service's code, the bib (may be empty), and
    the line of the file it was read from (0 when it came from the app's own records)."""

    at: float
    service: str
    bib: str = ""
    line: int = 0


@dataclass(frozen=True)
class Assumptions:
    """How the tent works between calls: minutes per massage and grace seconds per service, walk-over and cleaning
    seconds, the share of runners who never come and the seed that picks them."""

    minutes: Mapping[str, float]
    grace_seconds: Mapping[str, float]
    walk_seconds: float = 60
    clean_seconds: float = 60
    no_show_rate: float = 0.05
    seed: int = 1


@dataclass(frozen=True)
class Call:
    """One call: when, by which table, of which runner (an index into the arrivals), and how long they had waited."""

    at: float
    table: int
    runner: int
    service: str
    wait: float
    no_show: bool


@dataclass(frozen=True)
class Replay:
    """A replayed day: the calls in the order they were made, each runner's final ticket state (by arrival index),
    and the number of runners waiting after each moment at which something happened, as (seconds, count)."""

    calls: tuple
    states: tuple
    levels: tuple


@dataclass
class _Tent:
    """The moving parts of one replay."""

    services: list
    queues: dict
    states: list
    last: dict
    free: list
    events: list = field(default_factory=list)
    counter: int = 0
    joined: int = 0
    waiting: int = 0

    def at(self, moment, kind, table=None, runner=None):
        """Schedule something to happen at `moment` (things at the same moment keep the order they were made in)."""
        self.counter += 1
        heapq.heappush(self.events, (moment, self.counter, kind, table, runner))


def no_shows(count, rate, seed):
    """The runners (indices 0..count-1) who never come when called: each is drawn once, from `seed`."""
    draw = random.Random(seed)
    return frozenset(index for index in range(count) if draw.random() < rate)


def replay(arrivals, services, tables, assumptions, pause=None):
    """Replay `arrivals` (a sequence of Arrival) through the queue's rules with `tables` tables serving every one of
    `services` (codes, in the event's order); answers a Replay. `pause`, if given, is called every PAUSE_EVERY
    moments: a server lets its other work through there (the replay never waits on anything itself)."""
    absent = no_shows(len(arrivals), assumptions.no_show_rate, assumptions.seed)
    tent = _Tent(services=list(services), queues={code: deque() for code in services}, states=[None] * len(arrivals),
                 last=dict.fromkeys(range(1, tables + 1)), free=list(range(1, tables + 1)))
    order = sorted(range(len(arrivals)), key=lambda index: arrivals[index].at)
    for index in order:
        tent.at(arrivals[index].at, ARRIVE, runner=index)
    calls, levels = [], []
    while tent.events:
        now = tent.events[0][0]
        while tent.events and tent.events[0][0] == now:
            _, _, kind, table, runner = heapq.heappop(tent.events)
            _happen(tent, kind, now, table, runner, arrivals)
        calls.extend(_call_free_tables(tent, now, arrivals, absent, assumptions))
        levels.append((now, tent.waiting))
        if pause is not None and len(levels) % PAUSE_EVERY == 0:
            pause()
    return Replay(tuple(calls), tuple(tent.states), tuple(levels))


def _happen(tent, kind, now, table, runner, arrivals):
    """One thing happening at `now`: a runner joins their queue, or a table is ready to call again."""
    if kind == ARRIVE:
        tent.joined += 1  # the queue position the app gives a new ticket: its event's next seq
        tent.states[runner], _ = tickets.arrival(TicketState(Status.WAITING, arrivals[runner].service, tent.joined))
        tent.queues[arrivals[runner].service].append(runner)
        tent.waiting += 1
    else:
        heapq.heappush(tent.free, table)


def _call_free_tables(tent, now, arrivals, absent, assumptions):
    """The free tables call, lowest number first, while anyone waits; answers the calls made."""
    calls = []
    while tent.free and tent.waiting:
        table = heapq.heappop(tent.free)
        code = calling.next_service(tent.services, {code for code, queue in tent.queues.items() if queue},
                                    tent.last[table])
        runner = tent.queues[code].popleft()
        tent.waiting -= 1
        tent.last[table] = code
        tent.at(_visit(tent, runner, now, table, runner in absent, assumptions), READY, table)
        calls.append(Call(now, table, runner, code, now - arrivals[runner].at, runner in absent))
    return calls


def _visit(tent, runner, now, table, absent, assumptions):
    """A runner called to `table` at `now`: their ticket's moves to the end of the visit, as the rules make them;
    answers when the table is ready to call again. Nothing else in the tent depends on a visit before its end, so
    it is decided whole at the call."""
    state, _ = tickets.move(tent.states[runner], Status.CALLED, now, table=table)
    if absent:  # the table waits out the grace time; there is nothing to clean
        tent.states[runner], _ = tickets.move(state, Status.NO_SHOW, now + assumptions.grace_seconds[state.service])
        return tent.states[runner].ended_at
    state, _ = tickets.move(state, Status.IN_TREATMENT, now + assumptions.walk_seconds)
    ended = state.started_at + assumptions.minutes[state.service] * 60
    tent.states[runner], _ = tickets.move(state, Status.DONE, ended)
    return ended + assumptions.clean_seconds
