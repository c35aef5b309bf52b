"""Wait estimates with plain values: measured pace, shares of shared tables, ranges."""

import pytest

from queue_app.rules import estimates
from queue_app.rules.estimates import TableTime


def test_until_enough_massages_are_measured_the_configured_length_is_used_with_a_wide_range():
    time = estimates.table_time([4, 5, 6], configured_minutes=10)
    assert (time.minutes, time.low, time.high, time.measured) == (10, 7.5, 12.5, False)


def test_measured_massages_replace_the_configured_length():
    time = estimates.table_time([0.3, 0.4, 0.3, 0.5, 0.3, 0.4], configured_minutes=15)
    assert time.measured and time.minutes == pytest.approx(0.35) and time.low <= time.minutes <= time.high < 1


def test_only_the_latest_massages_count():
    old_and_slow = [1] * estimates.RECENT_SAMPLES + [60] * 10  # newest first
    assert estimates.table_time(old_and_slow, 10).minutes == 1


def test_a_shared_table_gives_each_busy_service_its_turn():
    assert estimates.call_share(["pre", "post"], "pre", {"pre", "post"}) == 0.5
    assert estimates.call_share(["pre", "post"], "pre", {"pre"}) == 1
    assert estimates.call_share(["pre", "post"], "pre", {"post"}) == 0.5  # the new runner makes pre busy too
    assert estimates.call_share(["post"], "pre", {"pre", "post"}) == 0


def test_waits_shrink_with_more_tables_and_grow_with_place():
    time = TableTime(10, 8, 12, True)
    one, five = estimates.pace(time, [1]), estimates.pace(time, [1] * 5)
    assert estimates.estimate_wait_minutes(3, one.per_place) == 30
    assert estimates.estimate_wait_minutes(3, five.per_place) == 6
    assert estimates.estimate_wait_minutes(0, one.per_place) == 0
    assert estimates.wait_range(3, five.low, five.high) == (4, 8)


def test_no_working_table_means_no_estimate_rather_than_a_made_up_one():
    nobody = estimates.pace(TableTime(10, 8, 12, False), [])
    assert nobody.per_place is None
    assert estimates.estimate_wait_minutes(4, nobody.per_place) is None
    assert estimates.wait_range(4, nobody.low, nobody.high) is None


def test_a_free_table_that_calls_this_queue_next_means_called_any_moment_not_a_range():
    time = TableTime(10, 7.5, 12.5, False)
    one = estimates.pace(time, [1])
    assert estimates.wait_range(1, one.low, one.high, free=1) == (0, 0)
    assert estimates.estimate_wait_minutes(1, one.per_place, free=1) == 0
    assert estimates.wait_range(2, one.low, one.high, free=1) == estimates.wait_range(1, one.low, one.high) == (7, 13)


def test_free_tables_count_only_where_their_turn_goes_to_this_queue():
    # A shared table that called pre last tries post first, so with both busy it calls post next.
    free = [(["pre", "post"], "pre"), (["pre", "post"], "post"), (["post"], None)]
    assert estimates.free_calls("pre", free, {"pre", "post"}) == 1
    assert estimates.free_calls("post", free, {"pre", "post"}) == 2
    assert estimates.free_calls("pre", free, {"post"}) == 1  # the new runner makes pre busy
    assert estimates.free_calls("pre", free, set()) == 2  # nobody waits anywhere: both shared tables call pre
