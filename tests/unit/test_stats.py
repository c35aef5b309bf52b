"""The organiser's numbers from plain rows."""

from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from queue_app.rules import stats
from queue_app.rules.stats import Move
from queue_app.rules.stats import TicketTimes

T0 = datetime(2026, 5, 3, 9, 0)


def at(minutes):
    return T0 + timedelta(minutes=minutes)


def done(service, joined, called, started, ended, table):
    return TicketTimes(service, "done", at(joined), at(called), at(started), at(ended), table)


def test_sent_to_medical_counts_the_screening_and_the_tables():
    tickets = [TicketTimes("pre", "sent_to_medical", at(0), at(5), at(6), at(8), 1),
               TicketTimes("post", "sent_to_medical", at(0), at(5), None, at(7), 2)]
    numbers = stats.summary(tickets, {"pre": 10, "post": 15}, [1, 2], {"pre": 2}, now=at(10))
    assert numbers["referrals"] == 4
    assert (numbers["services"]["pre"]["referrals"], numbers["services"]["post"]["referrals"]) == (3, 1)


def test_percentiles_by_nearest_rank():
    assert stats.percentile([5, 1, 3, 2, 4], 0.5) == 3
    assert stats.percentile(list(range(1, 11)), 0.9) == 9
    assert stats.percentile([], 0.9) is None


def test_summary_counts_recent_waits_treatments_and_outcomes():
    tickets = [
        done("pre", 0, 10, 11, 21, 1),          # waited 10, treated 10, called long ago
        done("pre", 30, 50, 51, 61, 1),         # waited 20
        done("post", 40, 70, 71, 86, 2),        # waited 30, treated 15
        TicketTimes("pre", "no_show", at(60), at(75), None, at(78), 2),
        TicketTimes("pre", "waiting", at(80), None, None, None, None),
    ]
    numbers = stats.summary(tickets, {"pre": 10, "post": 15}, [1, 2], {"pre": 2}, now=at(90))
    assert numbers["wait_median"] == 22.5 and numbers["wait_p90"] == 30  # called since minute 60: waits 30 and 15
    assert numbers["treatment_median"] == 10
    assert numbers["massages_last_hour"] == 2 and numbers["done"] == 3 and numbers["no_shows"] == 1
    assert numbers["referrals"] == 2 and numbers["services"]["pre"]["referrals"] == 2
    assert numbers["services"]["post"]["wait_median"] == 30


def test_utilisation_is_busy_share_of_the_last_hour_per_table():
    tickets = [done("pre", 0, 0, 30, 60, 1), TicketTimes("pre", "in_treatment", at(50), at(55), at(60), None, 2)]
    assert stats.utilisation(tickets, {1, 2}, now=at(90)) == pytest.approx((30 + 30) / 120)
    assert stats.utilisation(tickets, set(), now=at(90)) is None


def test_history_replays_the_audit_log_into_queue_lengths():
    moves = [Move(at(1), "pre", None, "waiting"), Move(at(2), "pre", None, "waiting"),
             Move(at(20), "pre", "waiting", "called"), Move(at(40), "pre", "waiting", "left")]
    points = stats.history(moves, [], ["pre"], start=T0, now=at(45), step=timedelta(minutes=15))
    assert [p["waiting"]["pre"] for p in points] == [0, 2, 1, 0]
    later = stats.history(moves, [], ["pre"], start=T0, now=at(37), step=timedelta(minutes=15))
    # the last point is now
    assert [p["at"] for p in later][-2:] == [at(30).isoformat() + "Z", at(37).isoformat() + "Z"]


def test_warnings_for_runners_not_arriving_and_massages_running_long():
    assert stats.table_warnings("called", at(0), 10, 180, now=at(2.5)) == "not arrived yet"
    assert stats.table_warnings("called", at(0), 10, 180, now=at(1)) is None
    assert stats.table_warnings("in_treatment", at(0), 10, 180, now=at(16)) == "running long"


@pytest.mark.parametrize("first, zone, step, start", [
    # The chart's marks are whole steps of the event's wall clock: an hour in Kolkata (UTC+5:30) starts at :30 UTC.
    (datetime(2026, 5, 3, 3, 50), "Asia/Kolkata", timedelta(hours=1), datetime(2026, 5, 3, 3, 30)),
    (datetime(2026, 5, 3, 3, 50), "UTC", timedelta(hours=1), datetime(2026, 5, 3, 3, 0)),
    (datetime(2026, 5, 3, 3, 20), "Asia/Kathmandu", timedelta(minutes=15), datetime(2026, 5, 3, 3, 15)),
    (datetime(2026, 5, 3, 7, 7, 31), "Europe/Berlin", timedelta(minutes=15), datetime(2026, 5, 3, 7, 0)),
    # The night the clocks go forward (02:00 is 03:00 in Berlin): 03:10 there rounds down to 03:00, 01:00 UTC.
    (datetime(2026, 3, 29, 1, 10), "Europe/Berlin", timedelta(hours=1), datetime(2026, 3, 29, 1, 0)),
])
def test_the_day_chart_starts_on_a_whole_step_of_the_event_clock(first, zone, step, start):
    assert stats.first_mark(first, ZoneInfo(zone), step) == start
