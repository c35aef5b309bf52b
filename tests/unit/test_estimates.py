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
