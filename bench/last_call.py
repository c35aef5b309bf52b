"""How many runners join a queue the tent cannot reach before it closes? Replays an arrivals file with a closing
time, without and with the last-call rule (queue_app/rules/last_call.py), and prints both.

    .venv/bin/python bench/last_call.py [--arrivals FILE] [--tables 60] [--closes 7:00] [--gun 09:00] [--pace 1.0]

The same discrete-event replay as bench/estimates.py (every table serves both services, walking over 0.5 to
3 min, the massage its configured length times --pace give or take 20 %, half a minute to turn the table), with
both services closing at --closes after the start gun (--gun is the gun on the event's clock). At closing the
tables stop calling: whoever still waits joined a queue that did not reach them.

- before (the floor, measured in the same run): everyone who comes before closing joins;
- after: each joiner is checked by last_call.reach at the place they would get, with the pace the phones are told
  (measured on the latest massages, else the configured length) and the free tables that call them at once;
  refused ones go home at once instead of after the wait.
"""

import argparse
import heapq
import random
import statistics
import sys
from datetime import datetime
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.estimates import CONFIGURED  # noqa: E402
from bench.estimates import DEFAULT_ARRIVALS  # noqa: E402
from bench.estimates import SERVICES  # noqa: E402
from bench.estimates import TURNAROUND  # noqa: E402
from bench.estimates import read_arrivals  # noqa: E402
from queue_app.rules import calling  # noqa: E402
from queue_app.rules import estimates  # noqa: E402
from queue_app.rules import last_call  # noqa: E402


def clock_of(gun, minutes):
    """The time of day `minutes` after the gun (a datetime on the event's clock)."""
    return (gun + timedelta(minutes=minutes)).time()


def replay(arrivals, tables, pace_factor, seed, closes, gun, rule):
    """One day: answers (joined, refused, reached, not reached, waits of those reached)."""
    pick = random.Random(seed)
    queues = {code: [] for code in SERVICES}
    samples = {code: [] for code in SERVICES}
    last = dict.fromkeys(range(tables))
    free = list(range(tables))
    events = [(t, 0, i, "arrive", code) for i, (t, code) in enumerate(arrivals) if t < closes]
    heapq.heappush(events, (closes, 2, -1, "close", None))
    heapq.heapify(events)
    closes_at = clock_of(gun, closes)
    joined = refused = 0
    waits = []
    while events:
        now, _order, ident, kind, payload = heapq.heappop(events)
        if kind == "close":
            break
        if kind == "arrive":
            code = payload
            if rule:
                busy = {c for c in SERVICES if queues[c]} | {code}
                time = estimates.table_time(samples[code], CONFIGURED[code])
                pace = estimates.pace(time, [estimates.call_share(SERVICES, code, busy)] * tables)
                free_now = estimates.free_calls(code, [(SERVICES, last[t]) for t in free], busy)
                found = last_call.reach(len(queues[code]) + 1, pace.per_place, free_now, closes_at,
                                        clock_of(gun, now))
                if found is not None and not found.reached:
                    refused += 1
                    continue
            joined += 1
            queues[code].append(now)
        else:
            free.append(ident)
        for table in sorted(free):
            code = calling.next_service(SERVICES, {c for c in SERVICES if queues[c]}, last[table])
            if code is None:
                continue
            waits.append(now - queues[code].pop(0))
            walk = pick.uniform(0.5, 3)
            massage = CONFIGURED[code] * pace_factor * pick.uniform(0.8, 1.2)
            samples[code].insert(0, walk + massage)
            last[table] = code
            free.remove(table)
            heapq.heappush(events, (now + walk + massage + TURNAROUND, 1, table, "free", None))
    not_reached = sum(len(queue) for queue in queues.values())
    return joined, refused, len(waits), not_reached, waits


def main():
    """Replay the day without and with the rule; print how many joined a queue that did not reach them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arrivals", default=str(DEFAULT_ARRIVALS), help="CSV: seconds_from_start_gun, bib, service")
    parser.add_argument("--tables", type=int, default=60)
    parser.add_argument("--closes", default="7:00", help="hours:minutes after the start gun")
    parser.add_argument("--gun", default="09:00", help="the start gun on the event's clock")
    parser.add_argument("--pace", type=float, default=1.0, help="real massage length / configured length")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    hours, minutes = (int(part) for part in args.closes.split(":"))
    closes = hours * 60 + minutes
    gun = datetime.combine(datetime(2026, 5, 3), datetime.strptime(args.gun, "%H:%M").time())
    arrivals = read_arrivals(args.arrivals)
    print(f"bench=last_call arrivals={len(arrivals)} before closing={sum(t < closes for t, _ in arrivals)} "
          f"tables={args.tables} closes=+{args.closes} ({clock_of(gun, closes):%H:%M}) pace={args.pace} "
          f"seed={args.seed}")
    for name, rule in (("before (no rule, floor)", False), ("after (last call)", True)):
        joined, refused, reached, not_reached, waits = replay(arrivals, args.tables, args.pace, args.seed, closes,
                                                              gun, rule)
        wait = f"{statistics.median(waits):.1f}" if waits else "-"
        print(f"  {name:<24} joined {joined:5d}  refused at the door {refused:5d}  reached {reached:5d}  "
              f"joined but not reached {not_reached:5d}  median wait {wait} min")


if __name__ == "__main__":
    main()
