"""Priority lanes: which runners of a service go first, or get a share of its calls.

The organiser writes a service's lanes, one a line, first match wins:

    elite, wheelchair, para: first
    marathon: 1 in 3

A runner is in the first lane that names their category or their distance (the start list's `category` and
`distance` columns: "elite", "45-49", "marathon"); everyone else is in the last lane, "everyone else", which gets the
calls the shares leave.

A lane never reorders runners already waiting. It decides once, when a runner joins, where they go in their
service's queue: their `seq`. So the queue stays one order, lowest `seq` first; a runner's place is still the number
of calls it takes to reach them, and the tables, the phones' place rule (places.py) and the board need nothing new.

Where a joiner goes is start-time fair queueing, in turns of the service (TURN units a call):
- a "first" lane's runner takes turn 0: ahead of every other lane's runner, behind the first-lane runners who
  joined before them (and behind anyone put back at the front, whose `seq` is below every joiner's);
- any other lane's runner takes the lane's last turn or the service's turn now (that of the furthest call so far),
  whichever is later, plus one call divided by the lane's share. While every lane has runners waiting, a 1 in 3
  lane gets every third call; a lane that was empty starts from now rather than catching up.

`seq` = turn × COUNTERS + the event's join counter: a later joiner wins no tie, and no two joiners share a `seq`.
With no lanes set, everyone is in one lane that takes every call: first come, first served, as before.
"""

import json
import re
from dataclasses import dataclass
from dataclasses import field
from fractions import Fraction
from functools import lru_cache

from .errors import ValidationError
from .words import N_
from .words import Message

TURN = 12  # units of one call: shares of 1 in 2, 3, 4 and 6 space their runners exactly
COUNTERS = 2 ** 20  # join counters per turn: more joins than any tent's day, and every seq stays exact in JavaScript
MOST_LANES = 6
MOST_EVERY = 10
CATEGORY_MAX = 40
LANES_TEXT_MAX = 600
_LINE = re.compile(r"^(?P<names>[^:]+):\s*(?:(?P<first>first)|1\s+in\s+(?P<every>\d+))\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Lane:
    """Runners of these categories go first (`every` None) or get one call in `every`."""

    categories: tuple
    every: int | None = None

    @property
    def first(self):
        """Whether this lane's runners go ahead of every other lane's."""
        return self.every is None

    def line(self):
        """The lane as the organiser writes it."""
        return f"{', '.join(self.categories)}: {'first' if self.first else f'1 in {self.every}'}"


@dataclass
class LaneState:
    """Where a service's fair queue stands: the turn joiners start from (its furthest call's, or when the lanes
    changed the last waiting runner's), and each lane's last joiner's turn (the last entry for everyone else)."""

    called: int = 0
    last: list = field(default_factory=list)

    @classmethod
    def load(cls, text):
        """The state as stored (JSON), or a fresh one."""
        if not text:
            return cls()
        stored = json.loads(text)
        return cls(stored.get("called", 0), stored.get("last", []))

    def dump(self):
        """The state as stored."""
        return json.dumps({"called": self.called, "last": self.last}, separators=(",", ":"))


def category(value):
    """A category as lanes compare it: trimmed, lower case, at most CATEGORY_MAX characters; None if empty."""
    value = " ".join((value or "").split()).lower()[:CATEGORY_MAX]
    return value or None


def parse(text):
    """A service's lanes from the organiser's text (one lane a line, "elite, para: first" or "marathon: 1 in 3"),
    checked: the text as stored (normalised) and the lanes. Empty text is no lanes."""
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise ValidationError(N_("Lanes must be text."), field="lanes")
    if len(text) > LANES_TEXT_MAX:
        raise ValidationError(Message(N_("Lanes take at most %(most)s characters."), most=LANES_TEXT_MAX),
                              field="lanes")
    lanes, seen = [], set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINE.match(line.strip())
        if not match:
            raise ValidationError(Message(N_("Lane line %(line)s: write it as \"elite, para: first\" or "
                                             "\"marathon: 1 in 3\"."), line=number), field="lanes")
        names = tuple(c for c in (category(name) for name in match["names"].split(",")) if c)
        repeated = next((name for name in names if name in seen), None)
        if not names or repeated:
            raise ValidationError(Message(N_("Lane line %(line)s: name each category once."), line=number),
                                  field="lanes")
        seen.update(names)
        every = int(match["every"]) if match["every"] else None
        if every is not None and not 2 <= every <= MOST_EVERY:
            raise ValidationError(Message(N_("Lane line %(line)s: a share is 1 in 2 to 1 in %(most)s."),
                                          line=number, most=MOST_EVERY), field="lanes")
        lanes.append(Lane(names, every))
    if len(lanes) > MOST_LANES:
        raise ValidationError(Message(N_("At most %(most)s lanes."), most=MOST_LANES), field="lanes")
    if sum(Fraction(1, lane.every) for lane in lanes if not lane.first) >= 1:
        raise ValidationError(N_("The shares leave no calls for everyone else: make them smaller."), field="lanes")
    return "\n".join(lane.line() for lane in lanes), tuple(lanes)


@lru_cache(maxsize=256)
def lanes_of(text):
    """The lanes of a service's stored text (already checked by `parse`)."""
    return parse(text)[1]


def lane_index(lanes, runner):
    """The index of the lane a runner is in, `runner` being their words (category, distance); len(lanes) for
    everyone else."""
    return next((i for i, lane in enumerate(lanes) if any(w in lane.categories for w in runner if w)), len(lanes))


def lane_of(lanes, runner):
    """(The lane a runner with these words is in, the word of theirs it names), or None for everyone else."""
    index = lane_index(lanes, runner)
    if index == len(lanes):
        return None
    return lanes[index], next(w for w in runner if w in lanes[index].categories)


def step(lanes, index):
    """Turns between two runners of lane `index` while every lane is busy: TURN divided by its share."""
    if index < len(lanes):
        return TURN * lanes[index].every
    rest = 1 - sum(Fraction(1, lane.every) for lane in lanes if not lane.first)
    return max(1, round(TURN / rest))


def joiner_seq(lanes, state, runner, counter):
    """Where a runner joining now goes in their service's queue: (their seq, the service's new LaneState).
    `runner` is their words (category, distance); `counter` the event's join counter (one more every join)."""
    index = lane_index(lanes, runner)
    last = list(state.last) + [0] * (len(lanes) + 1 - len(state.last))
    if index < len(lanes) and lanes[index].first:
        turn = 0
    else:
        turn = max(state.called, last[index]) + step(lanes, index)
        last[index] = turn
    return turn * COUNTERS + counter, LaneState(state.called, last)


def restart(state, waiting):
    """The service's state under new lanes, with runners waiting at these seqs: they keep their places, and every
    new joiner but a first lane's goes behind them (a fair queue starts afresh from the last of them)."""
    furthest = max((seq // COUNTERS for seq in waiting), default=state.called)
    return LaneState(max(state.called, furthest))


def after_call(state, seq):
    """The service's state once the runner at `seq` is called: its turn now is the furthest called."""
    return LaneState(max(state.called, seq // COUNTERS), list(state.last))


def front_seq(lowest):
    """The seq a runner put back at the front goes before (rules/tickets.py): the lowest in use at the event
    (`lowest`, None if none) or every joiner's lowest, whichever is lower, so they go ahead of first lanes too."""
    return min(lowest if lowest is not None else 1, 1)


def moved_in_seq(waiting, arrived):
    """A seq for a runner moved into another service's queue keeping their arrival order: just after the last
    runner there who joined before them. `waiting` is that queue as (seq, arrival) pairs in queue order, `arrived`
    the mover's arrival (ticket ids grow with each join). Where two neighbours leave no room between their seqs,
    the mover goes into the next gap: a place or two later, never ahead of an earlier joiner."""
    seqs = [seq for seq, _ in waiting]
    earlier = [i for i, (_, when) in enumerate(waiting) if when < arrived]
    if not earlier:
        return seqs[0] - 1 if seqs else COUNTERS
    i = max(earlier)
    while i + 1 < len(seqs) and seqs[i + 1] - seqs[i] < 2:
        i += 1
    if i + 1 == len(seqs):
        return seqs[i] + TURN * COUNTERS
    return (seqs[i] + seqs[i + 1]) // 2
