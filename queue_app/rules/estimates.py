"""How long a runner waits: from what the tent is measured to do, as a range; and the grace time to arrive.

A service's pace is the minutes each place in its queue adds. It comes from how long a table spends on each
of its runners (from the call to the end of the massage: walking over, the massage, the note), measured on
the service's recent massages once there are enough, else its configured length; and from how many tables
call into the service: each working table (a tablet signed in, not on break) that serves it, counted by the
share of its calls the service gets (tables take turns between the services with runners waiting).
"""

import math
from dataclasses import dataclass
from statistics import median
from statistics import quantiles

from . import calling

MIN_SAMPLES = 5  # fewer measured massages than this: use the configured length
RECENT_SAMPLES = 20  # how many of the latest massages the pace follows
CONFIGURED_SPREAD = 0.25  # the range around a configured length, which is a guess


@dataclass(frozen=True)
class TableTime:
    """Minutes a table spends per runner of a service: central, low and high; `measured` or configured."""

    minutes: float
    low: float
    high: float
    measured: bool


@dataclass(frozen=True)
class Pace:
    """Minutes each place in a service's queue adds to the wait (central, low, high); None with no table working."""

    per_place: float | None
    low: float | None
    high: float | None
    measured: bool


def table_time(samples, configured_minutes):
    """Minutes per runner from the latest `samples` (minutes from call to finish), or the configured length."""
    recent = list(samples)[:RECENT_SAMPLES]
    if len(recent) < MIN_SAMPLES:
        spread = configured_minutes * CONFIGURED_SPREAD
        return TableTime(configured_minutes, configured_minutes - spread, configured_minutes + spread, False)
    first, _, third = quantiles(recent, n=4, method="inclusive")
    return TableTime(median(recent), first, third, True)


def call_share(served, service, waiting):
    """The share of a table's calls that go to `service`: it takes turns between the services it serves that
    have runners waiting (counting `service` itself, for the runner about to be in it)."""
    if service not in served:
        return 0.0
    return 1 / len([code for code in served if code in waiting or code == service])


def free_calls(service, free_tables, waiting):
    """How many of the free working tables call `service` next: each is (the services it serves, the one it called
    from last), and it takes turns between the services in `waiting` (counting `service` itself, for the runner
    about to be in it). The first that many runners of the queue are called any moment, not after a massage."""
    busy = set(waiting) | {service}
    return sum(calling.next_service(served, busy, last) == service for served, last in free_tables)


def pace(time, shares):
    """The pace of a service whose tables give it `shares` of their calls, each table taking `time` per runner."""
    capacity = sum(shares)
    if capacity <= 0:
        return Pace(None, None, None, time.measured)
    return Pace(round(time.minutes / capacity, 3), round(time.low / capacity, 3), round(time.high / capacity, 3),
                time.measured)


def estimate_wait_minutes(place, per_place, free=0):
    """Minutes a runner at `place` (1 = next) can expect to wait; None if no table is working. `free` tables stand
    free and call this queue next: the first `free` places wait 0 (called any moment), the rest one place each
    fewer."""
    if per_place is None:
        return None
    if place <= free:
        return 0
    return math.ceil((place - free) * per_place)


def wait_range(place, low, high, free=0):
    """The wait of a runner at `place` as whole minutes (low, high); (0, 0) while a free table calls them any
    moment (`free`, as in estimate_wait_minutes); None if no table is working."""
    if low is None or high is None:
        return None
    if place <= free:
        return (0, 0)
    ahead = place - free
    return (math.floor(ahead * low), max(1, math.ceil(ahead * high)))


def overdue(called_at, grace_seconds, now):
    """True if a runner called at `called_at` has not arrived within the grace time."""
    return called_at is not None and (now - called_at).total_seconds() >= grace_seconds
