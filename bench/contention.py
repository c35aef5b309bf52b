"""Writers to one event: does the event-row lock in services._apply limit PostgreSQL with two processes?

    .venv/bin/python bench/contention.py [--tables 1,8,32] [--seconds 15]

Every change locks its event's row (FOR UPDATE) until commit, so changes to one event take turns, across
processes too. For each number of tables pressing call-next then no-show as fast as they can, spread over
two processes on one fresh PostgreSQL database and one Redis channel, prints changes per second and the
action latency p50/p99: if throughput stays flat as tables grow, the lock is the limit.
"""

import argparse
import json
import secrets
import statistics
import tempfile

from common import BENCH
from common import PIN
from common import NodeClients
from common import conditions
from common import launch
from common import make_server
from common import seed_tickets
from common import summary

from tests.support.scaled import REDIS_URL
from tests.support.scaled import fresh_postgres_database


def run(tables, seconds, processes, async_mode):
    """One round on a fresh database: `tables` tables over `processes` servers for `seconds`."""
    with fresh_postgres_database() as url:
        env = {"DATABASE_URL": url, "SOCKETIO_MESSAGE_QUEUE": REDIS_URL,
               "SOCKETIO_CHANNEL": f"bench-{secrets.token_hex(4)}"}
        folder = tempfile.mkdtemp(prefix="bench-contention-")
        servers = [make_server(folder, async_mode, env) for _ in range(processes)]
        seed_tickets(url, 2000, tables=max(tables, 6))
        for server in servers:
            launch(server)
        try:
            clients = NodeClients("contention.js", {"urls": [s.url for s in servers], "tables": tables,
                                                    "seconds": seconds, "pin": PIN})
            result = clients.read("result", timeout=seconds + 120)
            clients.close()
        finally:
            for server in servers:
                server.stop()
    return {"tables": tables, "processes": processes, "changes_per_s": round(result["changes"] / result["seconds"], 1),
            "action_ms": summary(result["latencies"]), "errors": result["errors"],
            "error_sample": result["error_sample"],
            "median_ms": round(statistics.median(result["latencies"]), 1) if result["latencies"] else None}


def main():
    """Run each number of tables and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", default="1,8,32")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--async-mode", default="eventlet", choices=["eventlet", "gevent"])
    args = parser.parse_args()
    print(conditions(bench="contention", async_mode=args.async_mode, processes=args.processes,
                     database="PostgreSQL", seconds=args.seconds), flush=True)
    rows = []
    for tables in [int(n) for n in args.tables.split(",")]:
        row = run(tables, args.seconds, args.processes, args.async_mode)
        rows.append(row)
        print(json.dumps(row), flush=True)
        print(f"{tables} tables on {args.processes} processes: {row['changes_per_s']} changes/s, actions "
              f"p50/p99 {row['action_ms']['p50']}/{row['action_ms']['p99']} ms, errors {row['errors']}", flush=True)
    (BENCH / "results").mkdir(exist_ok=True)
    (BENCH / "results" / f"contention-{args.async_mode}.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
