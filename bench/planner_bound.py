"""The staffing planner on a hostile request (issue 21, item 4): an arrivals file of 20,000 lines (0.34 MB, eight
copies of arrivals.csv, jittered) with eight table counts and a target p90 of 0 minutes, through the pure rules in
this process: wall time and peak memory (ru_maxrss). `--limit-seconds` stops it (SIGALRM) if it runs longer.

    .venv/bin/python bench/planner_bound.py [--copies 8] [--limit-seconds 120]
"""

import argparse
import io
import random
import resource
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from queue_app.planner import day as plan_day  # noqa: E402
from queue_app.planner import search  # noqa: E402

ARRIVALS = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "arrivals.csv"
SERVICES = {"pre": (10, 180), "post": (15, 180)}


def hostile_file(copies, seed=1):
    """`copies` of arrivals.csv, each time moved by up to a minute: the text of one file."""
    draw = random.Random(seed)
    rows = [line.split(",") for line in ARRIVALS.read_text().splitlines()[1:]]
    out = ["seconds_from_start_gun,bib,service"]
    for copy in range(copies):
        out += [f"{int(at) + draw.randint(-60, 60)},{copy}-{bib},{service}" for at, bib, service in rows]
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=8)
    parser.add_argument("--limit-seconds", type=int, default=120)
    args = parser.parse_args()
    text = hostile_file(args.copies)
    print(f"conditions: load {open('/proc/loadavg').read().split()[0]}; file {len(text) / 1e6:.2f} MB, "
          f"{text.count(chr(10)) - 1} arrivals; tables=1,2,3,5,8,13,21,34 target_p90=0")
    day = plan_day.read_day(io.StringIO(text), list(SERVICES))
    tables, assumptions, target = plan_day.parse_options(
        {"tables": "1,2,3,5,8,13,21,34", "target_p90": "0"}, SERVICES)
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError()))
    signal.alarm(args.limit_seconds)
    started = time.monotonic()
    try:
        plan = search.plan(day, list(SERVICES), tables, assumptions, target)
        outcome = f"answered; fewest at the peak: {max((t or 0) for t in plan.fewest.values())}"
    except TimeoutError:
        outcome = f"stopped after {args.limit_seconds} s"
    print(f"{outcome}; {time.monotonic() - started:.1f} s; peak memory "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
