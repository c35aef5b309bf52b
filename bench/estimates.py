"""How right is the wait a runner is told? Replays an arrivals file through the queue's rules and compares.

    .venv/bin/python bench/estimates.py [--arrivals FILE] [--tables 60] [--pace 1.0] [--seed 1]

A discrete-event simulation on the pure rules (rules/calling.py decides who each table calls, rules/estimates.py
the pace), no server. Every table serves both services and works all day. What a table really spends on a
runner is drawn: walking over (0.5 to 3 min), the massage (the configured length times --pace, give or take
20 %), then half a minute to turn the table. Each runner, on joining, is told two estimates:

- configured: what the app said before, place x configured minutes / tables (the floor);
- measured: place x the service's pace from its latest massages and each table's share of calls (the app now).

It prints, for each, the median and 90th percentile of |told - waited| in minutes, and how often the wait fell
inside the range the runner was shown.
"""

import argparse
import csv
import heapq
import random
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from queue_app.rules import calling  # noqa: E402
from queue_app.rules import estimates  # noqa: E402

DEFAULT_ARRIVALS = ROOT.parent / "shared" / "data" / "arrivals.csv"
CONFIGURED = {"pre": 10, "post": 15}
SERVICES = ["pre", "post"]
TURNAROUND = 0.5


def read_arrivals(path):
    """[(minutes from the gun, service), ...] in time order."""
    with Path(path).open() as handle:
        rows = [(int(r["seconds_from_start_gun"]) / 60, r["service"]) for r in csv.DictReader(handle)]
    return sorted(rows)


def percentile(values, share):
    """The `share` percentile by nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def simulate(arrivals, tables, pace_factor, seed):
    """Replay the day; returns one record per runner called: (service, told configured, told measured, range,
    waited)."""
    pick = random.Random(seed)
    queues = {code: [] for code in SERVICES}      # (arrived, runner id, told) per service, in queue order
    samples = {code: [] for code in SERVICES}     # minutes from call to finish, newest first
    last = dict.fromkeys(range(tables))
    free = list(range(tables))
    events = [(t, 0, i, "arrive", code) for i, (t, code) in enumerate(arrivals)]
    heapq.heapify(events)
    records = []
    while events:
        now, _order, ident, kind, payload = heapq.heappop(events)
        if kind == "arrive":
            code = payload
            busy = {c for c in SERVICES if queues[c]} | {code}
            place = len(queues[code]) + 1
            configured_pace = CONFIGURED[code] / tables
            time = estimates.table_time(samples[code], CONFIGURED[code])
            pace = estimates.pace(time, [estimates.call_share(SERVICES, code, busy)] * tables)
            told = (place * configured_pace, estimates.estimate_wait_minutes(place, pace.per_place),
                    estimates.wait_range(place, pace.low, pace.high))
            queues[code].append((now, ident, told))
        else:
            free.append(ident)
        for table in sorted(free):
            code = calling.next_service(SERVICES, {c for c in SERVICES if queues[c]}, last[table])
            if code is None:
                continue
            arrived, _runner, told = queues[code].pop(0)
            records.append((code, told[0], told[1], told[2], now - arrived))
            walk = pick.uniform(0.5, 3)
            massage = CONFIGURED[code] * pace_factor * pick.uniform(0.8, 1.2)
            samples[code].insert(0, walk + massage)
            last[table] = code
            free.remove(table)
            heapq.heappush(events, (now + walk + massage + TURNAROUND, 1, table, "free", None))
    return records


def main():
    """Run the replay and print both estimates' errors."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arrivals", default=str(DEFAULT_ARRIVALS), help="CSV: seconds_from_start_gun, bib, service")
    parser.add_argument("--tables", type=int, default=60)
    parser.add_argument("--pace", type=float, default=1.0, help="real massage length / configured length")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    arrivals = read_arrivals(args.arrivals)
    records = simulate(arrivals, args.tables, args.pace, args.seed)
    waited = [r[4] for r in records]
    print(f"bench=estimates arrivals={len(arrivals)} called={len(records)} tables={args.tables} pace={args.pace} "
          f"seed={args.seed} wait median={statistics.median(waited):.1f} min p90={percentile(waited, 0.9):.1f} min")
    for name, index in (("configured (floor)", 1), ("measured (app)", 2)):
        errors = [abs(r[index] - r[4]) for r in records if r[index] is not None]
        print(f"  {name:<19} |told - waited|: median {statistics.median(errors):5.1f} min, "
              f"p90 {percentile(errors, 0.9):5.1f} min")
    inside = [r for r in records if r[3] is not None and r[3][0] - 0.5 <= r[4] <= r[3][1] + 0.5]
    print(f"  waited within the range shown: {len(inside) / len(records):.0%}")


if __name__ == "__main__":
    main()
