"""The last-call rule (rules/last_call.py) with plain values: each of the issue's bad inputs has its answer."""

from datetime import time

from hypothesis import given
from hypothesis import strategies as st

from queue_app.rules import estimates
from queue_app.rules import last_call

CLOSES = time(17, 0)


def test_one_table_fifteen_minutes_thirty_to_closing_reaches_three_the_third_just():
    found = [last_call.reach(place, 15, 1, CLOSES, time(16, 30)) for place in (1, 2, 3, 4)]
    assert [(r.reached, r.thin, r.wait) for r in found] == [
        (True, False, 0), (True, False, 15), (True, True, 30), (False, False, 45)]
    assert found[3].closes_at == "17:00" and found[3].minutes_left == 30


def test_with_no_closing_time_there_is_no_rule():
    assert last_call.reach(50, 15, 0, None, time(16, 30)) is None
    assert last_call.last_call(50, 15, 0, None) is None


def test_kept_open_or_a_fixed_last_join_time_replace_the_rule():
    assert last_call.reach(50, 15, 0, CLOSES, time(16, 30), keep_open=True) is None
    assert last_call.reach(50, 15, 0, CLOSES, time(16, 30), last_join_at=time(16, 45)) is None


def test_with_every_table_on_a_break_no_wait_is_told_and_nobody_is_refused_for_it():
    pace = estimates.pace(estimates.table_time([], 15), [])  # no table working
    assert pace.per_place is None
    assert last_call.reach(3, pace.per_place, 0, CLOSES, time(16, 30)) is None
    assert last_call.reachable_places(None, 0, 30) == 0


def test_a_closing_time_already_passed_leaves_the_refusal_to_the_hours_rule():
    # The hours rule says "closed at 17:00" first; were it asked, the reach counts round to tomorrow's 17:00.
    assert last_call.minutes_left(CLOSES, time(17, 10)) == 23 * 60 + 50


def test_an_overnight_window_counts_past_midnight():
    found = last_call.reach(3, 15, 1, time(0, 20), time(23, 50))
    assert found.minutes_left == 30 and found.reached and found.thin


def test_before_five_massages_the_configured_length_sets_the_reach():
    four = estimates.table_time([30, 30, 30, 30], 15)
    assert not four.measured and four.minutes == 15
    pace = estimates.pace(four, [1])
    assert last_call.reach(3, pace.per_place, 1, CLOSES, time(16, 30)).reached
    five = estimates.pace(estimates.table_time([30] * 5, 15), [1])
    assert not last_call.reach(3, five.per_place, 1, CLOSES, time(16, 30)).reached


def test_a_lanes_runner_ahead_is_reached_where_one_at_the_back_is_not():
    # A priority lane gives its joiner place 2 in a queue of 5: reached; the same joiner at the back (6) is not.
    assert last_call.reach(2, 15, 1, CLOSES, time(16, 30)).reached
    assert not last_call.reach(6, 15, 1, CLOSES, time(16, 30)).reached


def test_a_shared_table_counts_by_its_share_of_calls():
    shared = estimates.pace(estimates.table_time([], 15), [0.5])  # one table taking turns with another queue
    assert shared.per_place == 30
    assert last_call.reach(2, shared.per_place, 1, CLOSES, time(16, 30)).reached
    assert not last_call.reach(3, shared.per_place, 1, CLOSES, time(16, 30)).reached


def test_last_call_is_the_closing_time_less_a_new_runners_wait():
    assert last_call.last_call(3, 15, 1, CLOSES) == time(16, 15)
    assert last_call.last_call(0, 15, 1, CLOSES) == CLOSES
    assert last_call.last_call(84, 15 / 6, 0, CLOSES) == time(13, 27)


def test_a_shorter_massage_serves_everyone_waiting_before_closing():
    # 84 waiting, six tables of 15 minutes, 3 hours left: at 12 minutes all are called by closing.
    assert last_call.shorter_massage(84, 15, 6, 0, 168) == 12
    assert last_call.shorter_massage(5, 15, 6, 0, 168) is None  # everyone is reached already
    assert last_call.shorter_massage(84, 15, 0, 0, 168) is None  # no table working


@given(st.integers(0, 300), st.floats(0.5, 30), st.integers(0, 5), st.integers(0, 600))
def test_more_runners_counts_exactly_the_places_reach_says_are_reached(waiting, per_place, free, left):
    more = last_call.more_runners(waiting, per_place, free, left)
    closes, at = time(left // 60, left % 60), time(0, 0)
    if more:
        assert last_call.reach(waiting + more, per_place, free, closes, at).reached
    assert not last_call.reach(waiting + more + 1, per_place, free, closes, at).reached
