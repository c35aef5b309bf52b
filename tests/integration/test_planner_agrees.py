"""The staffing planner tells the truth: replaying a day, it calls the same runners to the same tables at the same
moments as the real app does, so its waits are the app's waits.

The app is driven through its actions with the clock as a parameter, the way a tent whose tablets press Call next
as soon as they can would drive it: each runner joins at their time; a free table calls; a called runner reaches
the table after the walk-over time, the massage takes the service's minutes, the table is cleaned, and it calls
again; a runner who does not come is marked a no-show when the grace time is up. At one moment, everything due then
happens first, then the free tables press Call next, lowest number first. The planner (planner/replay.py) replays
the same arrivals with the same durations, with no app at all; both must agree on every call. The app's export of
that day, read back as the planner's input, must give the same day again.
"""

import csv
import heapq
import io
import itertools
from datetime import datetime
from datetime import timedelta

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from queue_app.actions import organiser
from queue_app.actions import runner
from queue_app.actions import setup
from queue_app.actions import tables
from queue_app.planner import day as plan_day
from queue_app.planner import replay as plan_replay
from queue_app.reads import export
from queue_app.rules.setup import EventSpec
from queue_app.rules.setup import demo_services

T0 = datetime(2026, 5, 3, 7, 0)
SERVICES = ("pre", "post")
OK = {"unwell": False, "injury": False, "medical_condition": False}
slugs = itertools.count(1)


def new_event(tables_count, minutes, grace):
    """A fresh event with the usual two services, their minutes and grace time, and `tables_count` tables."""
    slug = f"day-{next(slugs)}"
    setup.create_event(EventSpec(slug, "Replayed day", "135790", demo_services(), tables=tables_count), T0)
    for code in SERVICES:
        organiser.update_service(slug, code, {"minutes": str(minutes[code]), "grace_seconds": str(grace)}, T0)
    return slug


def drive(slug, arrivals, tables_count, assumptions):
    """Play the day on the real app, each table calling whenever it is free; the no-shows are the planner's draw."""
    absent = {arrivals[i].bib for i in plan_replay.no_shows(len(arrivals), assumptions.no_show_rate, assumptions.seed)}
    timeline, order = [], itertools.count()
    for arrival in sorted(arrivals, key=lambda a: a.at):
        heapq.heappush(timeline, (arrival.at, next(order), "join", arrival))
    free = set(range(1, tables_count + 1))
    while timeline:
        now = timeline[0][0]
        at = T0 + timedelta(seconds=now)
        while timeline and timeline[0][0] == now:
            _, _, what, subject = heapq.heappop(timeline)
            if what == "join":
                runner.join(slug, {"bib": subject.bib, "first_name": "Runner", "service": subject.service,
                                   "screening": OK}, at)
            elif what == "start":
                answer = tables.start(slug, subject, at)
                minutes = assumptions.minutes[answer["ticket"]["service"]]
                heapq.heappush(timeline, (now + minutes * 60, next(order), "finish", subject))
            elif what == "finish":
                tables.finish(slug, subject, at)
                heapq.heappush(timeline, (now + assumptions.clean_seconds, next(order), "free", subject))
            elif what == "no_show":
                tables.no_show(slug, subject, at)
                free.add(subject)
            else:
                free.add(subject)
        for table in sorted(free):
            ticket = tables.call_next(slug, table, at)["ticket"]
            if ticket is None:
                continue
            free.discard(table)
            if ticket["bib"] in absent:
                heapq.heappush(timeline, (now + assumptions.grace_seconds[ticket["service"]], next(order),
                                          "no_show", table))
            else:
                heapq.heappush(timeline, (now + assumptions.walk_seconds, next(order), "start", table))


def app_calls(text):
    """The calls the app recorded, in the order it made them: (seconds from T0, table, bib, wait in seconds)."""
    calls = []
    for row in csv.DictReader(io.StringIO(text)):
        if row["to_status"] == "called":
            called = datetime.fromisoformat(row["at_utc"].replace("Z", ""))
            joined = datetime.fromisoformat(row["joined_at"])
            calls.append(((called - T0).total_seconds(), int(row["table"]), row["bib"],
                          (called - joined).total_seconds()))
    return calls


def planner_calls(arrivals, replay):
    """The planner's calls in the same form."""
    return [(call.at, call.table, arrivals[call.runner].bib, call.wait) for call in replay.calls]


def check_day(app, moments, tables_count, minutes, walk, clean, rate, seed):
    """Replay one day both ways and compare every call, then read the app's export back as the planner's input."""
    grace = 60
    arrivals = tuple(plan_replay.Arrival(at, code, str(100 + index)) for index, (at, code) in enumerate(moments))
    assumptions = plan_replay.Assumptions(minutes, dict.fromkeys(SERVICES, grace), walk, clean, rate, seed)
    with app.app_context():
        slug = new_event(tables_count, minutes, grace)
        drive(slug, arrivals, tables_count, assumptions)
        text = export.export_csv(slug)
    replay = plan_replay.replay(arrivals, SERVICES, tables_count, assumptions)
    assert planner_calls(arrivals, replay) == app_calls(text)
    assert len(replay.calls) == len(arrivals)

    day = plan_day.read_day(io.StringIO(text), SERVICES)
    seven = (T0 - datetime(2026, 5, 3)).total_seconds()
    assert day.clock
    assert sorted((a.at - seven, a.service, a.bib) for a in day.arrivals) == sorted(
        (a.at, a.service, a.bib) for a in arrivals)


def test_a_busy_morning_is_called_the_same_by_the_planner_and_the_app(app):
    """Two tables, both services, runners joining together and a no-show: the same calls, in the same order."""
    moments = [(0, "pre"), (0, "pre"), (0, "post"), (30, "post"), (30, "pre"), (60, "pre"), (600, "post"),
               (600, "pre"), (601, "post"), (1500, "post")]
    check_day(app, moments, 2, {"pre": 3, "post": 5}, walk=60, clean=30, rate=0.2, seed=4)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    moments=st.lists(st.tuples(st.integers(0, 40).map(lambda slot: slot * 30), st.sampled_from(SERVICES)),
                     min_size=1, max_size=12),
    tables_count=st.integers(1, 3),
    minutes=st.fixed_dictionaries({code: st.integers(1, 6) for code in SERVICES}),
    walk=st.sampled_from([0, 30, 60]),
    clean=st.sampled_from([0, 30, 60]),
    rate=st.sampled_from([0.0, 0.3]),
    seed=st.integers(0, 5),
)
def test_random_small_days_are_called_the_same_by_the_planner_and_the_app(app, moments, tables_count, minutes,
                                                                           walk, clean, rate, seed):
    """Any small day, any few tables, any durations: the planner's calls and waits are the app's."""
    check_day(app, moments, tables_count, minutes, walk, clean, rate, seed)
