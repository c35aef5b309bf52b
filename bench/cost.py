"""Cost of a change (benchmark 4): server CPU per queue change with N phones connected, deltas vs full state.

    .venv/bin/python bench/cost.py [--phones 2000] [--changes 40] [--full-state-changes 6] [--async-mode eventlet]

Our server broadcasts a small versioned delta per change; bench/fullstate_server.py sends every phone the
whole public queue on each change. Each change is a call-next or a no-show, waited for on every phone.
CPU per change = (server CPU during the changes - the idle rate x their duration) / changes. The full-state
design gets fewer changes: each one writes the whole queue to every phone and takes seconds.
"""

import argparse
import json
import tempfile
import time

from common import BENCH
from common import PIN
from common import NodeClients
from common import Sampler
from common import conditions
from common import database_url
from common import launch
from common import make_server
from common import seed_tickets

IDLE_SECONDS = 5


def run(design, phones, changes, async_mode):
    """Server CPU per change for one design with `phones` phones connected."""
    server = make_server(tempfile.mkdtemp(prefix=f"bench-cost-{design}-"), async_mode)
    auths = [{"ticket": token} for token in seed_tickets(database_url(server), phones)]
    launch(server, "wsgi.py" if design == "deltas" else BENCH / "fullstate_server.py")
    try:
        clients = NodeClients("phones.js", {"url": server.url, "auths": auths, "event": "board", "trigger": "ours",
                                            "pin": PIN, "concurrency": 50, "wait_ms": 120_000})
        ready = clients.read("ready")
        time.sleep(2)
        idle = Sampler(server.process.pid)
        time.sleep(IDLE_SECONDS)
        idle_rate = idle.stop()["cpu_s"] / IDLE_SECONDS
        busy = Sampler(server.process.pid)
        # Each "change" round of phones.js is a call-next and a no-show: two changes.
        clients.send({"cmd": "changes", "count": changes // 2})
        result = clients.read("result")
        usage = busy.stop()
        clients.close()
    finally:
        server.stop()
    spent = usage["cpu_s"] - idle_rate * result["seconds"]
    return {"design": design, "phones": phones, "connected": ready["connected"], "changes": changes,
            "cpu_ms_per_change": round(1000 * spent / changes, 1), "wall_ms_per_change":
            round(1000 * result["seconds"] / changes, 1), "idle_cpu_pct": round(100 * idle_rate, 1),
            "board_payload_bytes": result["payloadBytes"], "drops": result["drops"],
            "peak_rss_mib": usage["peak_rss_mib"]}


def main():
    """Measure both designs and print CPU per change and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=2000)
    parser.add_argument("--changes", type=int, default=40)
    parser.add_argument("--full-state-changes", type=int, default=6)
    parser.add_argument("--async-mode", default="eventlet", choices=["eventlet", "gevent"])
    args = parser.parse_args()
    print(conditions(bench="cost", async_mode=args.async_mode, processes=1, database="SQLite",
                     phones=args.phones, changes=args.changes), flush=True)
    rows = []
    for design, changes in (("deltas", args.changes), ("fullstate", args.full_state_changes)):
        rows.append(run(design, args.phones, changes, args.async_mode))
        print(json.dumps(rows[-1]), flush=True)
    deltas, full = rows
    times = full["cpu_ms_per_change"] / deltas["cpu_ms_per_change"]
    print(f"CPU per change with {args.phones} phones ({args.async_mode}): deltas {deltas['cpu_ms_per_change']} ms, "
          f"full state {full['cpu_ms_per_change']} ms (x{times:.1f}); "
          f"board payload {deltas['board_payload_bytes']} vs {full['board_payload_bytes']} bytes", flush=True)
    (BENCH / "results").mkdir(exist_ok=True)
    (BENCH / "results" / f"cost-{args.async_mode}.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
