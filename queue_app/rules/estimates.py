"""How long a runner waits, and how long a called runner has to reach the table."""

import math


def minutes_per_place(minutes_per_massage, tables):
    """How many minutes each place in the queue adds to the wait, with `tables` tables working."""
    return round(minutes_per_massage / max(1, tables), 3)


def estimate_wait_minutes(place, per_place):
    """Minutes a runner at `place` (1 = next) can expect to wait; phones compute the same from the board."""
    if place <= 0:
        return 0
    return math.ceil(place * per_place)


def overdue(called_at, grace_seconds, now):
    """True if a runner called at `called_at` has not arrived within the grace time."""
    return called_at is not None and (now - called_at).total_seconds() >= grace_seconds
