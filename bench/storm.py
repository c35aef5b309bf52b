"""A Wi-Fi blip at a big tent (issue 13): N phones connect, all drop and come back at once, and a table's call
reaches them; ours against the floor, served the same way, in one run.

    .venv/bin/python bench/storm.py [--phones 1000,2000,5000] [--calls 5] [--async-mode eventlet|gevent]

For each N: ours with N waiting tickets and one phone per ticket (auth={"ticket": token}), then the floor
(bench/floor_server.py: one room, a snapshot of our size on every connect, one small broadcast per change).
Prints, for both: seconds until all N are connected with their snapshot; seconds until all N, dropped at once,
are back and up to date (ours sends no snapshot to a phone that says it has the current version; the floor
snapshots every connect); a call's latency to the median and to the last phone (median over the calls); server
memory per phone; phones dropped. Then the ratios ours/floor.
"""

import argparse
import json
import os
import statistics
import time

from common import PIN
from common import NodeClients
from common import Sampler
from common import conditions
from common import start_with_phones


def run(target, phones, calls, async_mode):
    """One server (ours or the floor) with `phones` phones through connect, a blip and `calls` calls."""
    server, auths = start_with_phones(target, phones, async_mode, "bench-storm")
    try:
        sampler = Sampler(server.process.pid)
        time.sleep(1)
        idle_rss = sampler.rss()
        clients = NodeClients("phones.js", {"url": server.url, "auths": auths, "event": "board", "trigger": target,
                                            "pin": PIN, "concurrency": 50, "wait_ms": 60000})
        ready = clients.read("ready", timeout=900)
        time.sleep(2)
        per_phone = (sampler.rss() - idle_rss) / max(1, ready["connected"])
        clients.send({"cmd": "reconnect"})
        back = clients.read("result", timeout=900)
        time.sleep(2)
        clients.send({"cmd": "fire", "calls": calls, "pause_ms": 500})
        fired = clients.read("result", timeout=900)
        clients.close()
        sampler.stop()
    finally:
        server.stop()
    runs = fired["runs"]
    return {
        "target": target, "phones": phones, "connected": ready["connected"], "connect_s": round(ready["connect_s"], 2),
        "reconnect_s": round(back["seconds"], 2), "back": back["back"], "snapshots_on_reconnect": back["snapshots"],
        "call_median_phone_ms": round(statistics.median(statistics.median(r["latencies"]) for r in runs), 1),
        "call_last_phone_ms": round(statistics.median(r["all_ms"] for r in runs if r["all_ms"] is not None), 1)
        if any(r["all_ms"] is not None for r in runs) else None,
        "missed": sum(r["missed"] for r in runs), "drops": fired["drops"],
        "kib_per_phone": round(per_phone / 1024, 1),
    }


def main():
    """Every N against ours and the floor; a line per run and a table row per N."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", default="1000,2000,5000")
    parser.add_argument("--calls", type=int, default=5)
    parser.add_argument("--async-mode", default="eventlet", choices=["eventlet", "gevent"])
    args = parser.parse_args()
    print(conditions(bench="storm", async_mode=args.async_mode, processes=1, database="SQLite",
                     client="Node socket.io-client 4.8.4, one process"), flush=True)
    print("| phones | connect all: ours / floor | reconnect all at once: ours / floor (ratio) | call to median "
          "phone: ours / floor | call to last phone: ours / floor (ratio) | KiB per phone: ours / floor | "
          "dropped | load |", flush=True)
    for phones in [int(n) for n in args.phones.split(",")]:
        ours = run("ours", phones, args.calls, args.async_mode)
        floor = run("floor", phones, args.calls, args.async_mode)
        print(json.dumps(ours), flush=True)
        print(json.dumps(floor), flush=True)
        last = (ours["call_last_phone_ms"] / floor["call_last_phone_ms"]
                if ours["call_last_phone_ms"] and floor["call_last_phone_ms"] else float("nan"))
        print(f"| {phones:,} | {ours['connect_s']} s / {floor['connect_s']} s | {ours['reconnect_s']} s / "
              f"{floor['reconnect_s']} s (×{ours['reconnect_s'] / floor['reconnect_s']:.2f}) | "
              f"{ours['call_median_phone_ms']} / {floor['call_median_phone_ms']} ms | {ours['call_last_phone_ms']} / "
              f"{floor['call_last_phone_ms']} ms (×{last:.2f}) | {ours['kib_per_phone']} / {floor['kib_per_phone']} | "
              f"{ours['drops']} / {floor['drops']} | {os.getloadavg()[0]:.2f} |", flush=True)


if __name__ == "__main__":
    main()
