"""The staffing planner's pure parts: the replay, its hourly figures and the fewest tables, and what it reads."""

import io

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from queue_app.planner import day as plan_day
from queue_app.planner import output
from queue_app.planner import replay as plan_replay
from queue_app.planner import search
from queue_app.rules.errors import ValidationError

SERVICES = {"pre": (10, 180), "post": (15, 180)}
PLAIN = plan_replay.Assumptions({"pre": 10, "post": 15}, {"pre": 180, "post": 180}, walk_seconds=60, clean_seconds=60,
                             no_show_rate=0, seed=1)


def arrivals(*moments):
    """Arrivals from (seconds, service) pairs, bibs 1, 2, ..."""
    return tuple(plan_replay.Arrival(at, code, str(index + 1)) for index, (at, code) in enumerate(moments))


def test_one_table_calls_three_runners_who_came_together_one_after_another():
    """Walk-over 1 min, massage 10, cleaning 1: the table calls again every 12 minutes."""
    day = arrivals((0, "pre"), (0, "pre"), (0, "pre"))
    replay = plan_replay.replay(day, ["pre", "post"], 1, PLAIN)
    assert [(call.at, call.runner, call.wait) for call in replay.calls] == [(0, 0, 0), (720, 1, 720), (1440, 2, 1440)]
    assert [state.status for state in replay.states] == ["done"] * 3
    (hour,) = search.outcome(day, replay, 1).hours
    assert hour == search.HourFigures(0, 3, 2, 12.0, 24.0, 0.5)


def test_a_table_takes_turns_between_services_as_the_app_does():
    """pre, pre, post waiting at one table: it calls pre, then post, then pre (rules/calling.py)."""
    day = arrivals((0, "pre"), (0, "pre"), (0, "post"))
    replay = plan_replay.replay(day, ["pre", "post"], 1, PLAIN)
    assert [call.service for call in replay.calls] == ["pre", "post", "pre"]


def test_a_runner_who_does_not_come_holds_the_table_for_the_grace_time_only():
    """Everyone a no-show: the table calls again as each grace time ends, with nothing to clean."""
    day = arrivals((0, "pre"), (0, "pre"), (0, "pre"))
    everyone_absent = plan_replay.Assumptions(PLAIN.minutes, PLAIN.grace_seconds, 60, 60, no_show_rate=1, seed=1)
    replay = plan_replay.replay(day, ["pre", "post"], 1, everyone_absent)
    assert [call.at for call in replay.calls] == [0, 180, 360]
    assert [state.status for state in replay.states] == ["no_show"] * 3


def test_the_same_runners_miss_their_call_whatever_the_number_of_tables():
    """No-shows are drawn once per runner from the seed."""
    assert plan_replay.no_shows(1000, 0.05, 7) == plan_replay.no_shows(1000, 0.05, 7)
    assert 20 < len(plan_replay.no_shows(1000, 0.05, 7)) < 80
    assert plan_replay.no_shows(1000, 0.05, 7) != plan_replay.no_shows(1000, 0.05, 8)


def test_the_fewest_tables_keep_each_hours_p90_within_the_target():
    """Three at once: one table makes the last wait 24 min, two make it 12, three make nobody wait."""
    day = arrivals((0, "pre"), (0, "pre"), (0, "pre"))
    assert search.fewest_tables(search.Replays(day, ["pre", "post"], PLAIN), 12) == {0: 2}
    assert search.fewest_tables(search.Replays(day, ["pre", "post"], PLAIN), 0) == {0: 3}
    assert search.fewest_tables(search.Replays(day, ["pre", "post"], PLAIN), 30) == {0: 1}


def test_hours_read_as_clock_times_or_from_the_start_gun():
    assert [search.hour_label(hour, False) for hour in (-2, -1, 0, 4)] == ["-2:00", "-1:00", "+0:00", "+4:00"]
    assert search.hour_label(13, True) == "13:00"
    assert search.moment_label(-20 * 60, False) == "-0:20"
    assert search.moment_label(4 * 3600 + 5 * 60 + 59, False) == "+4:05"
    assert search.moment_label(13 * 3600 + 5 * 60, True) == "13:05"


@settings(max_examples=60, deadline=None)
@given(moments=st.lists(st.tuples(st.integers(-3600, 7200), st.sampled_from(["pre", "post"])), max_size=40),
       tables=st.integers(1, 6), walk=st.integers(0, 120), clean=st.integers(0, 120),
       rate=st.sampled_from([0, 0.1, 0.5]))
def test_every_runner_is_called_once_in_their_queues_order_by_a_free_table(moments, tables, walk, clean, rate):
    """Whatever the day: each runner is called exactly once, never before joining; each service's runners are called
    in the order they joined; and a table never calls while it still has a runner (or is being cleaned)."""
    day = arrivals(*moments)
    assumptions = plan_replay.Assumptions(PLAIN.minutes, PLAIN.grace_seconds, walk, clean, rate, seed=3)
    replay = plan_replay.replay(day, ["pre", "post"], tables, assumptions)
    assert sorted(call.runner for call in replay.calls) == list(range(len(day)))
    assert all(call.wait >= 0 and call.at == day[call.runner].at + call.wait for call in replay.calls)
    for code in ("pre", "post"):
        called = [call.runner for call in replay.calls if call.service == code]
        assert called == sorted(called, key=lambda runner: (day[runner].at, runner))
    ready = {}
    for call in replay.calls:
        assert call.at >= ready.get(call.table, float("-inf"))
        state = replay.states[call.runner]
        ready[call.table] = state.ended_at + (0 if state.status == "no_show" else clean)


ARRIVALS = "seconds_from_start_gun,bib,service\n-300,12,pre\n5400,13,post\n\n5400,14,post\n"


def test_an_arrivals_file_is_read_as_seconds_from_the_gun():
    day = plan_day.read_day(io.StringIO("\ufeff" + ARRIVALS), SERVICES)
    assert not day.clock
    assert [(a.at, a.service, a.bib, a.line) for a in day.arrivals] == [
        (-300, "pre", "12", 2), (5400, "post", "13", 3), (5400, "post", "14", 5)]


EXPORT = (
    "ticket,service,bib,first_name,walk_in,medical_flag,note,final_status,joined_at,at,time_zone,from_status,"
    "to_status,table,actor,version,detail,at_utc\n"
    "P-001,pre,12,Ada,False,False,,done,2026-05-03 08:55:00,2026-05-03 08:55:00,Europe/Berlin,,waiting,,runner,2,,"
    "2026-05-03T06:55:00Z\n"
    "P-001,pre,12,Ada,False,False,,done,2026-05-03 08:55:00,2026-05-03 09:00:00,Europe/Berlin,waiting,called,1,"
    "table 1,3,,2026-05-03T07:00:00Z\n"
    "R-001,post,,,False,False,,waiting,2026-05-03 13:10:30,2026-05-03 13:10:30,Europe/Berlin,,waiting,,runner,4,,"
    "2026-05-03T11:10:30Z\n"
)


def test_the_apps_export_is_read_as_each_tickets_joining_on_the_events_clock():
    day = plan_day.read_day(io.StringIO(EXPORT), SERVICES)
    assert day.clock
    assert [(a.at, a.service, a.bib, a.line) for a in day.arrivals] == [
        (8 * 3600 + 55 * 60, "pre", "12", 2), (13 * 3600 + 10 * 60 + 30, "post", "", 4)]


@pytest.mark.parametrize("text, message", [
    ("seconds,bib,service\n10,1,pre\n", "Line 1: the columns are seconds, bib, service."),
    ("seconds_from_start_gun,bib\n10,1\n", "Line 1: the columns are seconds_from_start_gun, bib."),
    ("", "Line 1: the columns are nothing."),
    (ARRIVALS + "12:30,15,post\n", "Line 6: the time '12:30' is not whole seconds from the start gun"),
    (ARRIVALS + "99999999,15,post\n", "Line 6: the time 99999999 is more than a week from the start gun."),
    (ARRIVALS + "60,15,massage\n", "Line 6: there is no service 'massage' at this event (it has pre, post)."),
    (ARRIVALS + "60,15,pre,extra\n", "Line 6: 4 values; each line has 3"),
    ("seconds_from_start_gun,bib,service\n\n", "Line 2: the file has no arrivals after its header."),
    (EXPORT.replace("2026-05-03 13:10:30,2026", "13:10,2026"), "Line 4: joined_at '13:10' is not a date and time"),
    (EXPORT.replace("R-001,post", "R-001,walk"), "Line 4: there is no service 'walk' at this event"),
])
def test_a_bad_arrivals_file_is_refused_naming_its_line(text, message):
    with pytest.raises(ValidationError) as refused:
        plan_day.read_day(io.StringIO(text), SERVICES)
    assert refused.value.message.startswith(message)
    assert refused.value.field == "arrivals"


def test_options_default_to_the_events_services_and_the_documented_assumptions():
    tables, assumptions, target = plan_day.parse_options({"minutes": {"post": "12.5"}}, SERVICES)
    assert tables == (10, 20, 40)
    assert target == 20
    assert assumptions == plan_replay.Assumptions({"pre": 10, "post": 12.5}, {"pre": 180, "post": 180}, 60, 60, 0.05, 1)
    assert plan_day.parse_minutes("pre=10, post=15") == {"pre": "10", "post": "15"}


@pytest.mark.parametrize("values, field", [
    ({"tables": "0"}, "tables"), ({"tables": "10,x"}, "tables"), ({"tables": "1,2,3,4,5,6,7,8,9"}, "tables"),
    ({"minutes": {"walk": "5"}}, "minutes"), ({"minutes": {"pre": "0"}}, "minutes-pre"),
    ({"minutes": {"pre": "121"}}, "minutes-pre"),
    ({"no_show_rate": "1.5"}, "no_show_rate"), ({"no_show_rate": "nan"}, "no_show_rate"),
    ({"walk_seconds": "-1"}, "walk_seconds"), ({"target_p90": "inf"}, "target_p90"), ({"seed": "1.5"}, "seed"),
])
def test_a_bad_option_is_refused_naming_it(values, field):
    with pytest.raises(ValidationError) as refused:
        plan_day.parse_options(values, SERVICES)
    assert refused.value.field == field


def test_the_answer_prints_a_table_per_number_of_tables_and_the_fewest_per_hour():
    day = search.Day(arrivals((0, "pre"), (0, "pre"), (0, "pre"), (3700, "post")))
    plan = search.plan(day, ["pre", "post"], (1, 2), PLAIN, 12)
    text = output.render_text(plan)
    assert "1 table\nhour    arrivals  waiting at peak  wait p50  wait p90  utilisation\n+0:00" in text
    assert "+0:00          3                2      12.0      24.0          50%" in text
    assert "The last runner is called at +1:01." in text
    assert "hour    arrivals  tables\n+0:00          3       2\n+1:00          1       1\n" in text
    assert "Busiest hour of pre: +0:00 (3 arrivals): 2 tables keep its p90 wait within 12 min." in text
    values = output.as_values(plan)
    assert values["fewest"] == [{"hour": 0, "label": "+0:00", "tables": 2, "tables_text": "2"},
                                {"hour": 1, "label": "+1:00", "tables": 1, "tables_text": "1"}]
    assert values["tables"]["2"]["hours"][0]["wait_p90"] == 12.0


def test_a_file_longer_than_any_race_day_is_refused_before_anything_is_replayed():
    text = "seconds_from_start_gun,bib,service\n" + "60,1,pre\n" * (plan_day.MOST_ARRIVALS + 1)
    with pytest.raises(ValidationError) as refused:
        plan_day.read_day(io.StringIO(text), SERVICES)
    assert refused.value.message == "Line 20002: more than 20,000 arrivals; plan one day at a time."


def test_past_the_most_tables_the_fewest_is_none_and_the_answer_says_so():
    """Issue 21, item 4: a target of 0 searched up to one table per runner, doubling, and kept every replay."""
    day = search.Day(tuple(plan_replay.Arrival(0, "pre") for _ in range(6)))
    assumptions = plan_replay.Assumptions(minutes={"pre": 10}, grace_seconds={"pre": 180}, no_show_rate=0)
    answer = search.plan(day, ["pre"], (1,), assumptions, 0, most=3)
    assert answer.fewest == {0: None}
    text = output.render_text(answer)
    assert "+0:00          6   >1000" in text
    assert "not even 1,000 tables keep its p90 wait within 0 min." in text
    assert output.as_values(answer)["fewest"][0]["tables_text"] == ">1,000"


def export_line(ticket, joined, utc, version):
    """A ticket's first line of the export (its arrival), joined at wall-clock `joined` and UTC `utc`."""
    return (f"{ticket},pre,,,False,False,,done,{joined},{joined},Europe/Berlin,,waiting,,runner,{version},,"
            f"{utc}\n")


def test_an_export_across_the_autumn_change_of_clocks_is_replayed_in_the_order_runners_came():
    """Issue 21, item 10: on 25 October 2026 Berlin's clocks go back from 03:00 to 02:00; runners were replayed by
    wall-clock time, so one who came at 02:10 after the change went before one who came at 02:50 before it."""
    header = EXPORT.splitlines()[0] + "\n"
    text = (header + export_line("P-001", "2026-10-25 02:50:00", "2026-10-25T00:50:00Z", 1)
            + export_line("P-002", "2026-10-25 02:10:00", "2026-10-25T01:10:00Z", 2)
            + export_line("P-003", "2026-10-25 02:30:00", "2026-10-25T01:30:00Z", 3))
    day = plan_day.read_day(io.StringIO(text), SERVICES)
    at = {arrival.line: arrival.at for arrival in day.arrivals}
    assert at[2] < at[3] < at[4]
    assert (at[3] - at[2], at[4] - at[3]) == (20 * 60, 20 * 60)
    assumptions = plan_replay.Assumptions(minutes={"pre": 10, "post": 15}, grace_seconds={"pre": 180, "post": 180},
                                       no_show_rate=0)
    calls = plan_replay.replay(day.arrivals, SERVICES, 1, assumptions).calls
    assert [day.arrivals[call.runner].line for call in calls] == [2, 3, 4]
