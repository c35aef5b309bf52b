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

Where a joiner goes is start-time fair queueing, in turns of the service (TURN units a call). The service's turn
now is that of its furthest call in turn (a call out of turn, or of a runner put back at the front, moves nothing).
- A "first" lane's runner takes the turn before it: ahead of every other lane's runner waiting (their turns are
  all later), behind the first-lane runners who joined before them, and behind anyone put back at the front.
- Any other lane's runner takes the turn of the last of their lane's runners waiting, or the service's turn now,
  whichever is later (and never one ahead of a first lane's runner waiting), plus one call divided by the lane's
  share. While every lane has runners waiting, a 1 in 3 lane gets every third call; a lane that was empty, or whose
  runners left, starts from now rather than catching up or lagging behind.

`seq` = turn × COUNTERS + the event's join counter, so no two joiners share one. Its turn part would tell a lane,
so the public never sees it: the board and the phones order by a key of their own (order_keys.py). With no lanes
set, everyone is in one lane that takes every call: first come, first served.
"""

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from .errors import Conflict
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
    if sum(Fraction(1, lane.every) for lane in lanes if not lane.first) > 1 - Fraction(1, MOST_EVERY):
        raise ValidationError(Message(N_("The shares leave everyone else less than 1 call in %(most)s: make them "
                                         "smaller."), most=MOST_EVERY), field="lanes")
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


def joiner_seq(lanes, turn_now, last_turns, runner, counter):
    """Where a runner joining now goes in their service's queue: their seq.

    `turn_now` is the service's turn (that of its furthest call in turn); `last_turns` {lane index: the turn of
    the last of its runners waiting} (lanes_waiting); `runner` their words (category, distance); `counter` the
    event's join counter (one more every join).
    """
    if counter >= COUNTERS:
        raise Conflict(Message(N_("This event has taken %(most)s joins, its most. Create a new event."),
                               most=COUNTERS - 1))
    index = lane_index(lanes, runner)
    if index < len(lanes) and lanes[index].first:
        return (turn_now - 1) * COUNTERS + counter
    # Never ahead of a first lane's runner waiting: one who joined before a first lane was set may wait far back.
    first = [last_turns[i] for i, lane in enumerate(lanes) if lane.first and i in last_turns]
    start = max([turn_now, last_turns.get(index, turn_now)] + first)
    return (start + step(lanes, index)) * COUNTERS + counter


def lanes_waiting(lanes, waiting):
    """{lane index: the turn of the last of its runners waiting}, from `waiting`: (seq, category, distance) of
    runners waiting in the service (the furthest seq of each category and distance is enough)."""
    last = {}
    for seq, category, distance in waiting:
        index = lane_index(lanes, (category, distance))
        last[index] = max(last.get(index, seq // COUNTERS), seq // COUNTERS)
    return last


def after_call(turn_now, seq):
    """The service's turn once the runner at `seq` is called in turn (the first of its queue)."""
    return max(turn_now, seq // COUNTERS)


def front_seq(lowest, turn_now):
    """The seq a runner put back at the front goes before (rules/tickets.py): the lowest in use at the event
    (`lowest`, None if none), or the lowest a first-lane joiner of the service can ever take, whichever is lower."""
    floor = (turn_now - 1) * COUNTERS
    return min(lowest if lowest is not None else floor, floor)


def moved_in_seq(waiting, arrived, taken, counter, turn_now):
    """A seq for a runner moved into another service's queue keeping their arrival order: just after the last
    runner there who joined before them, or who is ahead of the service's turn (put at the front by hand, back
    from a no-show with an old seq); first if there is none. A runner put first stays first.

    `waiting` is that queue as (seq, arrival) pairs in queue order, `arrived` the mover's arrival (ticket ids grow
    with each join), `taken` every seq in use at the event (a runner marked a no-show may come back with theirs),
    `counter` the last join counter given, `turn_now` the service's turn. The seq is free, and its counter part is
    one already given, so no later joiner can take it. Where neighbours leave no such seq between them, the mover
    goes into the next gap: a place or two later, never ahead of an earlier joiner.
    """
    seqs = [seq for seq, _ in waiting]
    front = (turn_now - 1) * COUNTERS  # below the lowest seq a first-lane joiner of the service can take now
    earlier = [i for i, (seq, when) in enumerate(waiting) if when < arrived or seq < front]
    if not earlier:
        return _free_below(seqs[0] if seqs else turn_now * COUNTERS + counter + 1, taken, counter)
    i = max(earlier)
    while True:
        found = _free_between(seqs[i], seqs[i + 1] if i + 1 < len(seqs) else None, taken, counter)
        if found is not None:
            return found
        i += 1


def _usable(seq, counter):
    """Whether no joiner to come can take `seq`: its counter part is one already given, and every joiner's is new."""
    return 1 <= seq % COUNTERS <= counter


def _free_between(low, high, taken, counter):
    """The lowest usable seq above `low` and below `high` (None: no limit) that nobody holds, or None."""
    seq = low + 1
    while high is None or seq < high:
        if not _usable(seq, counter):
            seq = (seq // COUNTERS + 1) * COUNTERS + 1  # the next turn's first counter
        elif seq in taken:
            seq += 1
        else:
            return seq
    return None


def _free_below(high, taken, counter):
    """The highest usable seq below `high` that nobody holds."""
    seq = high - 1
    while True:
        if not _usable(seq, counter):
            seq = seq // COUNTERS * COUNTERS + counter if seq % COUNTERS else seq - 1
        elif seq in taken:
            seq -= 1
        else:
            return seq


def start_list_matches(lanes, runners):
    """What a start list gives each lane: how many of its runners each lane takes (first match wins), and the
    lanes' names that match nobody. `runners` is {(category, distance): count}, as stored."""
    taken, seen = [0] * len(lanes), set()
    for (stored_category, distance), count in runners.items():
        words = (category(stored_category), category(distance))
        seen.update(word for word in words if word)
        index = lane_index(lanes, words)
        if index < len(lanes):
            taken[index] += count
    return taken, [name for lane in lanes for name in lane.categories if name not in seen]
