"""The report's pure figures with plain values: the spans tables worked, their use over time, the tables per hour,
runners per service per hour, and next year's answer beside the tables that worked."""

from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

from queue_app.rules import report

UTC = ZoneInfo("UTC")
BERLIN = ZoneInfo("Europe/Berlin")
T0 = datetime(2026, 5, 3, 9, 0)


def at(minutes):
    """Minutes after 09:00 UTC."""
    return T0 + timedelta(minutes=minutes)


def ticket(service, status, joined, called=None, ended=None, told=None):
    """A ticket row as reads/report.py reads it."""
    return report.ReportTicket(service, status, at(joined), called and at(called), ended and at(ended),
                               None, None, told)


def test_a_table_works_while_a_runner_is_called_or_on_it_and_while_someone_sits_at_it():
    moves = [(1, at(0), "waiting", None), (1, at(2), "called", 1), (1, at(3), "in_treatment", 1),
             (1, at(13), "done", 1),
             (2, at(1), "waiting", None), (2, at(13), "called", 1), (2, at(16), "no_show", 1),
             (3, at(5), "waiting", None), (3, at(20), "called", 2), (3, at(21), "in_treatment", 2)]  # still on it
    seats = [(3, at(30), at(45)), (2, at(0), None)]
    spans = report.table_spans(moves, seats, now=at(40))
    assert sorted(spans) == sorted([
        report.TableSpan(1, at(2), at(3), False), report.TableSpan(1, at(3), at(13), True),
        report.TableSpan(1, at(13), at(16), False), report.TableSpan(2, at(20), at(21), False),
        report.TableSpan(2, at(21), at(40), True), report.TableSpan(3, at(30), at(45), False),
        report.TableSpan(2, at(0), at(40), False)])


def test_tables_over_time_count_the_tables_working_and_the_share_massaging_each_quarter_hour():
    spans = [report.TableSpan(1, at(0), at(15), True), report.TableSpan(2, at(5), at(20), False),
             report.TableSpan(2, at(20), at(27.5), True)]
    origin = report.midnight([at(0)], UTC)
    tables = report.tables_over_time(spans, UTC, origin, now=at(24 * 60))  # read the next day: no span runs on
    assert tables["slots"] == [
        {"at": "09:00", "minute": 540, "working": 2, "massaging": 1.0, "use": 0.5},
        {"at": "09:15", "minute": 555, "working": 1, "massaging": 0.5, "use": 0.5},
    ]
    assert (tables["most"], tables["most_at"], tables["use"]) == (2, "09:00", 0.5)


def test_a_live_day_draws_a_table_still_at_work_up_to_now_and_a_stale_one_stops_at_its_last_move():
    spans = report.table_spans([(1, at(0), "waiting", None), (1, at(1), "called", 1)], [], now=at(40))
    origin = report.midnight([at(0)], UTC)
    live = report.tables_over_time(spans, UTC, origin, now=at(40))
    assert [slot["at"] for slot in live["slots"]] == ["09:00", "09:15", "09:30"]
    stale = report.table_spans([(1, at(0), "waiting", None), (1, at(1), "called", 1), (1, at(50), "done", 1),
                                (2, at(50), "waiting", None), (2, at(51), "called", 1)], [], now=at(600))
    assert len(report.tables_over_time(stale, UTC, origin, now=at(600))["slots"]) == 4  # to 09:50, not 19:00


def test_tables_per_hour_are_the_tables_that_worked_in_each_hour_on_the_events_clock():
    spans = [report.TableSpan(1, at(0), at(70), False), report.TableSpan(2, at(50), at(55), True),
             report.TableSpan(1, at(130), at(131), True)]
    assert report.tables_per_hour(spans, UTC) == {"09:00": 2, "10:00": 1, "11:00": 1}
    assert report.tables_per_hour(spans, BERLIN) == {"11:00": 2, "12:00": 1, "13:00": 1}  # summer time, UTC+2


def test_runners_are_counted_per_service_in_the_hour_that_joined_or_ended_them():
    tickets = [ticket("pre", "done", 0, 5, 20), ticket("pre", "no_show", 10, 30, 65),
               ticket("post", "sent_to_medical", 50, 55, 58), ticket("post", "left", 59, None, 61),
               ticket("post", "waiting", 62)]
    hours = report.per_service_hour(tickets, UTC, ["pre", "post", "elite"])
    zero = dict.fromkeys(report.HOURLY, 0)
    assert hours == {
        "pre": [{"hour": "09:00", **zero, "joined": 2, "served": 1}, {"hour": "10:00", **zero, "no_shows": 1}],
        "post": [{"hour": "09:00", **zero, "joined": 2, "sent_to_medical": 1},
                 {"hour": "10:00", **zero, "joined": 1, "left": 1}],
        "elite": [],
    }


def test_next_year_sets_the_tables_needed_beside_those_that_worked_and_says_when_it_has_no_answer():
    answer = report.next_year({"09:00": 3, "10:00": None}, {"09:00": 2, "11:00": 1}, 20)
    assert answer == {"status": "planned", "target_minutes": 20, "most_needed": 3, "most_worked": 2, "hours": [
        {"hour": "09:00", "needed": 3, "worked": 2, "planned": True},
        {"hour": "10:00", "needed": None, "worked": 0, "planned": True},  # more than the planner tries
        {"hour": "11:00", "needed": None, "worked": 1, "planned": False}]}  # nobody joined: nothing to plan
    assert report.not_planned("no_arrivals", {}, 20) == {"status": "no_arrivals", "target_minutes": 20,
                                                          "most_needed": None, "most_worked": 0, "hours": []}


def test_waits_by_quarter_hold_the_median_told_against_the_median_real():
    tickets = [ticket("pre", "done", 0, 10, 20, told=8), ticket("pre", "done", 5, 25, 35, told=12),
               ticket("pre", "done", 14, 40, 50, told=30), ticket("pre", "left", 16, None, 30, told=5),
               ticket("pre", "done", 16, 46, 56)]
    origin = report.midnight([at(0)], UTC)
    assert report.waits_by_quarter(tickets, UTC, origin) == [
        {"at": "09:00", "minute": 540, "called": 3, "real": 20.0, "told": 12},
        {"at": "09:15", "minute": 555, "called": 1, "real": 30.0, "told": None}]
