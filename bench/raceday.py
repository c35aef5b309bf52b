"""Race day (benchmark 2): replay ../shared/data/arrivals.csv at 60x with tables working at service durations.

    .venv/bin/python bench/raceday.py [--speed 60] [--tables 60] [--async-mode eventlet|gevent] [--postgres]
                                      [--window 12600,19800] [--arrivals FILE]

Every runner joins over the JSON API at their (sped-up) arrival time and keeps a phone connected to their
ticket until it ends; each table calls, waits for the runner to walk over, starts, massages for the
service's minutes (10 pre, 15 post, sped up) and finishes. The tables start spread over the first poll
interval, as tablets at a working tent do, not in one millisecond (bench/README.md, section 7). Prints errors,
join and staff-action latency p50/p99, the server's peak memory and CPU. Bounded: stops after the replay plus
two minutes at most.
"""

import argparse
import csv
import json
import os
import statistics
import tempfile
from pathlib import Path

from common import BENCH
from common import PIN
from common import ROOT
from common import NodeClients
from common import Sampler
from common import conditions
from common import database_url
from common import launch
from common import make_server
from common import seed_tickets
from common import summary

# The team's sample day lies beside the repository; --arrivals (or ARRIVALS) names another file.
DEFAULT_ARRIVALS = ROOT.parent / "shared" / "data" / "arrivals.csv"
MINUTES = {"pre": 10, "post": 15}


def arrivals(path):
    """[[seconds from the gun, bib, service], ...] in time order, from an arrivals CSV file."""
    with Path(path).open() as handle:
        rows = [[int(r["seconds_from_start_gun"]), int(r["bib"]), r["service"]] for r in csv.DictReader(handle)]
    return sorted(rows)


def main():
    """Run the replay once and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed", type=float, default=60)
    parser.add_argument("--tables", type=int, default=60)
    parser.add_argument("--async-mode", default="eventlet", choices=["eventlet", "gevent"])
    parser.add_argument("--postgres", action="store_true", help="a fresh PostgreSQL database instead of SQLite")
    parser.add_argument("--max-wall-seconds", type=int, default=900)
    parser.add_argument("--window", help="replay only arrivals between these seconds from the gun, e.g. the peak")
    parser.add_argument("--arrivals", default=os.environ.get("ARRIVALS", str(DEFAULT_ARRIVALS)),
                        help="arrivals CSV (seconds_from_start_gun, bib, service); default ../shared/data/arrivals.csv")
    args = parser.parse_args()
    rows = arrivals(args.arrivals)
    if args.window:
        start, end = (int(value) for value in args.window.split(","))
        rows = [row for row in rows if start <= row[0] <= end]
    print(conditions(bench="raceday", window=args.window or "whole day", async_mode=args.async_mode,
                     processes=1, speed=f"{args.speed:g}x",
                     tables=args.tables, arrivals=len(rows), database="PostgreSQL" if args.postgres else "SQLite"),
          flush=True)
    if args.postgres:
        from tests.support.scaled import fresh_postgres_database

        with fresh_postgres_database() as url:
            result, usage = replay(args, rows, {"DATABASE_URL": url})
    else:
        result, usage = replay(args, rows, {})
    report(args, result, usage)


def replay(args, rows, env):
    """Start a server with `tables` tables, run raceday.js against it, sample the server meanwhile."""
    server = make_server(tempfile.mkdtemp(prefix="bench-raceday-"), args.async_mode, env)
    seed_tickets(database_url(server), 0, tables=args.tables)
    launch(server)
    try:
        sampler = Sampler(server.process.pid)
        clients = NodeClients("raceday.js", {
            "url": server.url, "pin": PIN, "speed": args.speed, "tables": args.tables, "arrivals": rows,
            "minutes": MINUTES, "walkSeconds": 60, "pollSeconds": 300, "maxWallSeconds": args.max_wall_seconds})
        result = clients.read("result", timeout=args.max_wall_seconds + 300)
        clients.close()
        usage = sampler.stop()
    finally:
        server.stop()
    return result, usage


def report(args, result, usage):
    """Print the figures and keep them in bench/results/."""
    staff = [ms for values in result["staff_ms"].values() for ms in values]
    figures = {
        "async_mode": args.async_mode, "postgres": args.postgres, "window": args.window,
        "speed": args.speed, "tables": args.tables,
        "joins": result["joins"], "errors": len(result["errors"]), "error_sample": result["errors"][:5],
        "refused_409": result["refused"], "refused_sample": result["refused_sample"],
        "join_ms": summary(result["join_ms"]), "staff_ms": summary(staff),
        "staff_ms_by_action": {action: summary(values) for action, values in result["staff_ms"].items()},
        "phones_peak": result["phones_peak"], "phone_drops": result["phone_drops"],
        "served": result["served"], "left_in_queue": result["left_in_queue"], "wall_s": round(result["wall_s"], 1),
        "server": usage,
    }
    print(json.dumps(figures, indent=1), flush=True)
    print(f"race day {args.speed:g}x {args.async_mode}: errors {figures['errors']}, joins {figures['joins']} "
          f"p50/p99 {figures['join_ms']['p50']}/{figures['join_ms']['p99']} ms, staff actions "
          f"p50/p99 {figures['staff_ms']['p50']}/{figures['staff_ms']['p99']} ms (n={figures['staff_ms']['n']}), "
          f"peak RSS {usage['peak_rss_mib']} MiB, CPU {usage['cpu_pct_of_one_core']}% of one core "
          f"(median join {statistics.median(result['join_ms']) if result['join_ms'] else None})", flush=True)
    (BENCH / "results").mkdir(exist_ok=True)
    suffix = "-postgres" if args.postgres else ""
    suffix += "-window" if args.window else ""
    (BENCH / "results" / f"raceday-{args.async_mode}{suffix}.json").write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
