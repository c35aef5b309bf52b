"""The staffing planner's answers, hour by hour, from replays of a day (planner/replay.py).

For each number of tables asked about: per hour, the runners who joined; the most runners waiting at any moment;
the median and 90th percentile of the wait (joining to being called, for the runners who joined that hour, in
minutes as the dashboard counts them); and the share of the hour the tables spent massaging (the dashboard's
utilisation). And per hour with arrivals, the fewest tables that, working all day, keep that hour's 90th
percentile wait within the target.
"""

import math
from dataclasses import dataclass
from statistics import median

from ..rules.stats import percentile
from .replay import Assumptions
from .replay import replay as replay_day

HOUR = 3600
# The most tables the search for the fewest tries: no tent has more; past it, "more than 1,000" is the answer.
MOST_TABLES = 1_000


@dataclass(frozen=True)
class HourFigures:
    """One hour of a replay: its index from the day's origin, and what happened in it."""

    hour: int
    arrivals: int
    peak_waiting: int
    wait_p50: float | None
    wait_p90: float | None
    utilisation: float | None


@dataclass(frozen=True)
class Outcome:
    """A day replayed with one number of tables: the figures of each hour from the first arrival's to the last
    arrival's, and when the last runner was called (seconds from the origin; None if nobody was)."""

    hours: tuple
    last_call: float | None


@dataclass(frozen=True)
class Day:
    """A day to plan: its arrivals (replay.Arrival), and whether their seconds count from midnight of the event's
    clock (`clock`) or from the start gun."""

    arrivals: tuple
    clock: bool = False


@dataclass(frozen=True)
class Plan:
    """The planner's answer: the day and assumptions it was asked about, the hourly figures for each number of
    tables (an Outcome each), and the fewest tables for each hour with arrivals."""

    day: Day
    services: tuple
    assumptions: Assumptions
    target_minutes: float
    by_tables: dict
    fewest: dict


def hour_of(seconds):
    """The index of the hour a moment falls in (0: the first hour after the origin; -1: the hour before it)."""
    return math.floor(seconds / HOUR)


def hour_label(hour, clock):
    """An hour as people read it: 13:00 on the event's clock, or +4:00 / -1:00 from the start gun."""
    return moment_label(hour * HOUR, clock)


def moment_label(seconds, clock):
    """A moment to the minute: 13:05 on the event's clock (from midnight of its first day), or +4:05 / -0:20 from
    the start gun."""
    minutes = math.floor(seconds / 60)
    if clock:
        return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"
    return f"{'+' if minutes >= 0 else '-'}{abs(minutes) // 60}:{abs(minutes) % 60:02d}"


def waits_by_hour(arrivals, replay):
    """{hour: [minutes waited by each runner who joined in it]}, one decimal, as the dashboard counts waits."""
    waits = {}
    for call in replay.calls:
        waits.setdefault(hour_of(arrivals[call.runner].at), []).append(round(call.wait / 60, 1))
    return waits


def outcome(arrivals, replay, tables):
    """The Outcome of a replay with `tables` tables: HourFigures for each hour from the first arrival's to the last
    arrival's (what comes after is summed up by when the last runner is called)."""
    if not arrivals:
        return Outcome((), None)
    waits = waits_by_hour(arrivals, replay)
    joined = {}
    for arrival in arrivals:
        joined[hour_of(arrival.at)] = joined.get(hour_of(arrival.at), 0) + 1
    hours = range(min(joined), max(joined) + 1)
    peaks = _peaks(replay.levels, hours)
    busy = _busy_seconds(replay.states, hours)
    figures = tuple(HourFigures(hour, joined.get(hour, 0), peaks[hour],
                                round(median(waits[hour]), 1) if hour in waits else None,
                                percentile(waits.get(hour), 0.9), round(busy[hour] / (tables * HOUR), 3))
                    for hour in hours)
    return Outcome(figures, max((call.at for call in replay.calls), default=None))


def _peaks(levels, hours):
    """{hour: the most runners waiting at any moment in it}, from (seconds, waiting) after each moment, in order."""
    peaks, index, waiting = {}, 0, 0
    for hour in hours:
        peak = waiting  # those still waiting as the hour begins
        while index < len(levels) and levels[index][0] < (hour + 1) * HOUR:
            waiting = levels[index][1]
            peak = max(peak, waiting)
            index += 1
        peaks[hour] = peak
    return peaks


def _busy_seconds(states, hours):
    """{hour: seconds of massage given in it, all tables together}."""
    busy = dict.fromkeys(hours, 0.0)
    for state in states:
        if state.started_at is None or state.ended_at is None:
            continue
        for hour in range(hour_of(state.started_at), hour_of(state.ended_at) + 1):
            if hour in busy:
                overlap = min(state.ended_at, (hour + 1) * HOUR) - max(state.started_at, hour * HOUR)
                busy[hour] += max(overlap, 0)
    return busy


class Replays:
    """Replays of one day with any number of tables, each run once: the figures asked for and the search for the
    fewest tables share them. Of each replay only its hours' 90th percentile waits are kept: a replay holds every
    runner's moves, and the search may make dozens."""

    def __init__(self, arrivals, services, assumptions, pause=None):
        self.arrivals, self.services, self.assumptions, self.pause = arrivals, services, assumptions, pause
        self.p90s = {}

    def replay(self, tables):
        """The day replayed with `tables` tables (made again if asked again)."""
        done = replay_day(self.arrivals, self.services, tables, self.assumptions, self.pause)
        self.p90s[tables] = {hour: percentile(waits, 0.9)
                             for hour, waits in waits_by_hour(self.arrivals, done).items()}
        return done

    def p90(self, tables, hour):
        """The 90th percentile wait (minutes) of the runners who joined in `hour`, with `tables` tables."""
        if tables not in self.p90s:
            self.replay(tables)
        return self.p90s[tables].get(hour)


def fewest_tables(replays, target_minutes, most=None):
    """{hour: the fewest tables that, working all day, keep the 90th percentile wait of the runners who joined in
    that hour within `target_minutes`, or None if even `most` (default: one per runner) do not}, for every hour
    with arrivals.

    A search on the assumption that more tables never lengthen a wait: every replay answers for every hour, so
    each hour starts between the most tables already seen to fall short and the fewest seen to do; then doubling,
    then halving."""
    most = min(most or len(replays.arrivals), max(1, len(replays.arrivals)))
    answer = {}
    for hour in sorted({hour_of(arrival.at) for arrival in replays.arrivals}):
        seen = {tables: replays.p90(tables, hour) <= target_minutes for tables in replays.p90s}
        low = max([tables for tables, ok in seen.items() if not ok], default=0)  # too few (0 always is)
        high = min([tables for tables, ok in seen.items() if ok and tables > low], default=None)
        while high is None and low < most:
            tables = min(max(1, low * 2), most)
            if replays.p90(tables, hour) <= target_minutes:
                high = tables
            else:
                low = tables
        while high is not None and high - low > 1:
            middle = (low + high) // 2
            low, high = (low, middle) if replays.p90(middle, hour) <= target_minutes else (middle, high)
        answer[hour] = high
    return answer


def plan(day, services, tables, assumptions, target_minutes, pause=None, most=MOST_TABLES):
    """The planner's answer for `day` with each number of `tables`, and the fewest tables per hour, up to `most`
    (`pause`: see replay.replay)."""
    replays = Replays(day.arrivals, services, assumptions, pause)
    by_tables = {count: outcome(day.arrivals, replays.replay(count), count) for count in tables}
    return Plan(day, tuple(services), assumptions, target_minutes, by_tables,
                fewest_tables(replays, target_minutes, most))


def busiest_hours(day, services):
    """{service: (hour, arrivals)}: the hour each service has most arrivals (the earliest, on a tie)."""
    counts = {}
    for arrival in day.arrivals:
        key = (arrival.service, hour_of(arrival.at))
        counts[key] = counts.get(key, 0) + 1
    answer = {}
    for (code, hour), count in sorted(counts.items(), key=lambda item: item[0][1]):  # by hour: the earliest wins
        if code in services and count > answer.get(code, (None, 0))[1]:
            answer[code] = (hour, count)
    return answer
