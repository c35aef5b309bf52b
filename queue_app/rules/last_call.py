"""Last call: whether the tent can reach a runner before their service closes, from the pace the estimates use.

A runner at `place` is called after estimates.estimate_wait_minutes(place, per_place, free) minutes: the measured
(or, before five massages are done, configured) minutes per runner, over the call shares of the tables working,
the first `free` places called at once (rules/estimates.py, which counts the lanes' and shared tables' turns as
rules/calling.py does). They are reached if that call comes by the closing minute on the event's clock. Everything
here works on whole minutes of that clock, as the join page's clock does (static/js/queue-rules.js `reach`), so the
refusal, the join page, the ticket and the dashboard say the same.

Defined answers: no closing time, a queue kept open past its reach, or a fixed last-join time (which the hours rule
applies instead): no reach rule. No table working (all on a break): no rule either, since no wait can be told and
the pages already say so. A closing minute already passed is the hours rule's "closed at". A priority lane puts a
joiner at their own place, so one lane's runner may be reached while one at the back is not.
"""

import math
from dataclasses import dataclass
from datetime import time

from . import estimates
from .errors import ValidationError
from .words import N_

THIN_MINUTES = 15  # reached with less spare than this before closing: the runner is warned
DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class Reach:
    """Whether a runner is called by closing time (`reached`), with little to spare (`thin`); the closing time as
    the event's clock shows it; and the minutes they wait and the minutes left before closing."""

    reached: bool
    thin: bool
    closes_at: str
    wait: int
    minutes_left: int


def applies(closes_at, keep_open=False, last_join_at=None):
    """True if the reach decides who may join: a closing time, not kept open past it, no fixed last-join time."""
    return closes_at is not None and not keep_open and last_join_at is None


def minutes_of(moment):
    """A time of day as whole minutes since midnight (seconds dropped, as a clock showing HH:MM does)."""
    return moment.hour * 60 + moment.minute


def minutes_left(closes_at, local_time):
    """Whole minutes from `local_time` to `closes_at` on the same clock, going round midnight (an overnight window:
    the hours rule has already said the service is open)."""
    return (minutes_of(closes_at) - minutes_of(local_time)) % DAY_MINUTES


def reach(place, per_place, free, closes_at, local_time, keep_open=False, last_join_at=None):
    """The Reach of a runner at `place` (1 = next) in a queue of this pace (per_place, or None with no table
    working; `free` tables call it at once) that closes at `closes_at`, at `local_time`; None where no reach rule
    applies (see the module's docstring)."""
    if not applies(closes_at, keep_open, last_join_at) or per_place is None or local_time is None:
        return None
    wait = estimates.estimate_wait_minutes(place, per_place, free)
    left = minutes_left(closes_at, local_time)
    return Reach(wait <= left, wait <= left and left - wait < THIN_MINUTES, f"{closes_at:%H:%M}", wait, left)


def last_call(waiting, per_place, free, closes_at):
    """The last time of day a runner joining at the back of this queue (as long as it is now) is still reached
    before `closes_at`, or None with no closing time or no table working: the closing time less their wait."""
    if closes_at is None or per_place is None:
        return None
    wait = estimates.estimate_wait_minutes(waiting + 1, per_place, free)
    at = (minutes_of(closes_at) - wait) % DAY_MINUTES
    return time(at // 60, at % 60)


def reachable_places(per_place, free, left):
    """How many places of a queue of this pace are called within `left` minutes: the highest place whose wait
    (rounded up to a minute, as it is shown) is at most `left`."""
    if per_place is None or left < 0:
        return 0
    place = free + math.floor(left / per_place)
    # The division may land a place off either way in floating point: settle it by the wait rule itself.
    while place > free and estimates.estimate_wait_minutes(place, per_place, free) > left:
        place -= 1
    while estimates.estimate_wait_minutes(place + 1, per_place, free) <= left:
        place += 1
    return place


def more_runners(waiting, per_place, free, left):
    """How many more runners can join a queue of `waiting` and still be reached within `left` minutes."""
    return max(0, reachable_places(per_place, free, left) - waiting)


def shorter_massage(waiting, table_minutes, shares, free, left):
    """The longest whole minutes per runner at which all `waiting` are called within `left` minutes, if that is
    shorter than `table_minutes` (the pace's minutes per runner at one table) and at least one minute; else None.
    `shares` is the call share the tables working give the service (their count, when each serves it alone)."""
    ahead = waiting - free
    if ahead <= 0 or shares <= 0 or left <= 0:
        return None
    minutes = math.floor(left * shares / ahead + 1e-9)
    return minutes if 1 <= minutes < table_minutes else None


def reach_in(summary, place, local_time):
    """The Reach of a runner at `place` in the service of this summary (data/queue.py EventView.summaries: its
    pace, free tables, closing time and last-call settings as plain values), at `local_time`; None as `reach`."""
    closes_at = time.fromisoformat(summary["closes_at"]) if summary.get("closes_at") else None
    last_join_at = time.fromisoformat(summary["last_join_at"]) if summary.get("last_join_at") else None
    return reach(place, summary["per_place"], summary["free_tables"], closes_at, local_time,
                 summary.get("keep_open", False), last_join_at)


def yes_or_no(value, field):
    """A last-call setting's yes or no, from JSON (true, false) or a form ("yes", "no")."""
    if isinstance(value, bool):
        return value
    if value in ("yes", "no"):
        return value == "yes"
    raise ValidationError(N_("Answer this question with yes or no."), field=field)
