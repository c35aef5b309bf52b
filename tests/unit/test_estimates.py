"""Wait estimates with plain values."""

from queue_app.rules import estimates


def test_waits_shrink_with_more_tables_and_grow_with_place():
    per_place_one = estimates.minutes_per_place(10, 1)
    per_place_five = estimates.minutes_per_place(10, 5)
    assert estimates.estimate_wait_minutes(3, per_place_one) == 30
    assert estimates.estimate_wait_minutes(3, per_place_five) == 6
    assert estimates.estimate_wait_minutes(0, per_place_one) == 0
    assert estimates.minutes_per_place(10, 0) == 10  # no table working yet: assume one

