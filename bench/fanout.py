"""Fan-out (benchmarks 1 and 3): how long a table's call takes to reach N phones, against a bare broadcast floor.

    .venv/bin/python bench/fanout.py [--phones 500,2000,5000] [--calls 10] [--async-mode eventlet|gevent]

For each N: our server with N waiting tickets and N phones (one per ticket), then the floor server
(bench/floor_server.py) with N phones in one room. Prints per-phone latency p50/p99/max over all calls,
the median time until the last phone had each call, phones that missed a call or dropped, the ratio
ours/floor, and server memory per connected phone.
"""

import argparse
import json
import statistics
import time

from common import BENCH
from common import PIN
from common import NodeClients
from common import Sampler
from common import conditions
from common import start_with_phones
from common import summary


def run(target, phones, calls, async_mode):
    """One server (ours or the floor) with `phones` phones; returns the figures of `calls` broadcasts."""
    server, auths = start_with_phones(target, phones, async_mode, "bench")
    try:
        sampler = Sampler(server.process.pid)
        time.sleep(1)
        idle_rss = sampler.rss()
        clients = NodeClients("phones.js", {"url": server.url, "auths": auths, "event": "board", "trigger": target,
                                            "pin": PIN, "concurrency": 50})
        ready = clients.read("ready")
        time.sleep(2)  # let connect handlers and first pings settle before measuring memory
        per_phone = (sampler.rss() - idle_rss) / max(1, ready["connected"])
        clients.send({"cmd": "fire", "calls": calls})
        result = clients.read("result")
        clients.close()
        usage = sampler.stop()
    finally:
        server.stop()
    latencies = [ms for run_ in result["runs"] for ms in run_["latencies"]]
    everyone = [run_["all_ms"] for run_ in result["runs"] if run_["all_ms"] is not None]
    return {
        "target": target, "phones": phones, "connected": ready["connected"], "connect_errors": ready["errors"],
        "connect_s": round(ready["connect_s"], 1), "drops": result["drops"],
        "missed": sum(run_["missed"] for run_ in result["runs"]), "per_phone_ms": summary(latencies),
        "all_phones_ms_median": round(statistics.median(everyone), 1) if everyone else None,
        "trigger_answer_ms_median": round(statistics.median(r.get("answer_ms", 0) for r in result["runs"]), 1),
        "kib_per_phone": round(per_phone / 1024, 1), "server": usage,
    }


def ratio(ours, floor, key):
    """ours/floor for one percentile, or None."""
    a, b = ours["per_phone_ms"][key], floor["per_phone_ms"][key]
    return round(a / b, 2) if a and b else None


def main():
    """Run every N against ours and the floor, print the table, and keep the figures in bench/results/."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", default="500,2000,5000")
    parser.add_argument("--calls", type=int, default=10)
    parser.add_argument("--async-mode", default="eventlet", choices=["eventlet", "gevent"])
    args = parser.parse_args()
    print(conditions(bench="fanout", async_mode=args.async_mode, processes=1, database="SQLite",
                     calls_per_size=args.calls, client="Node socket.io-client 4.8.4, one process"), flush=True)
    rows = []
    for phones in [int(n) for n in args.phones.split(",")]:
        ours = run("ours", phones, args.calls, args.async_mode)
        floor = run("floor", phones, args.calls, args.async_mode)
        rows += [ours, floor]
        for row in (ours, floor):
            print(json.dumps(row), flush=True)
        print(f"N={phones} {args.async_mode}: ours p50/p99/max {ours['per_phone_ms']['p50']}/"
              f"{ours['per_phone_ms']['p99']}/{ours['per_phone_ms']['max']} ms, floor "
              f"{floor['per_phone_ms']['p50']}/{floor['per_phone_ms']['p99']}/{floor['per_phone_ms']['max']} ms; "
              f"ratio p50 {ratio(ours, floor, 'p50')}, p99 {ratio(ours, floor, 'p99')}; "
              f"all phones (median over calls) {ours['all_phones_ms_median']} vs {floor['all_phones_ms_median']} ms; "
              f"trigger answered in {ours['trigger_answer_ms_median']} vs {floor['trigger_answer_ms_median']} ms; "
              f"missed {ours['missed']}/{floor['missed']}, dropped {ours['drops']}/{floor['drops']}, "
              f"connected {ours['connected']}/{floor['connected']} of {phones}; "
              f"server memory per phone {ours['kib_per_phone']} vs {floor['kib_per_phone']} KiB", flush=True)
    results = BENCH / "results"
    results.mkdir(exist_ok=True)
    (results / f"fanout-{args.async_mode}.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
