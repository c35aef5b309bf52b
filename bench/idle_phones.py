"""Idle phones held for a long time (issue 12, break 3): the long run of tests/faults/test_idle_phones.py.

    .venv/bin/python bench/idle_phones.py [--phones 3000] [--following 1000] [--hold 60,300] [--async-mode …]

For each hold: our server (`python wsgi.py`) with `--following` runners waiting, `--phones` lean WebSocket phones
(tests/support/phones.py, one asyncio process; `--following` of them on their own ticket, the rest on the board)
that only answer Engine.IO's pings, while tables 1-6 call, start and finish a runner once a second for the hold.
Prints seconds to connect everyone; the actions' p50 / p99 / max and the share over 500 ms (the test allows one
in twenty); phones dropped, not pinged in the last 15 s, or behind the last change; server CPU and peak memory.
Asserts nothing: the test in the suite holds 20 s; this shows what a longer hold does to the same figures.
"""

import argparse
import os
import tempfile

from common import Sampler
from common import conditions
from common import database_url
from common import launch
from common import make_server
from common import seed_tickets
from common import summary

from tests.support.clients import Staff
from tests.support.crowd import Phones
from tests.support.crowd import work_the_tables
from tests.support.faults import version

PINGED_WITHIN_SECONDS = 15
LATE_MS = 500


def run(phones, following, hold, async_mode):
    """One server, `phones` phones held for `hold` seconds while the tables work; the figures as a dict."""
    server = make_server(tempfile.mkdtemp(prefix="bench-idle-phones-"), async_mode)
    tokens = seed_tickets(database_url(server), following)
    launch(server)
    crowd = None
    try:
        sampler = Sampler(server.process.pid)
        auths = [{"ticket": token} for token in tokens] + [{"event": "demo"}] * (phones - len(tokens))
        crowd = Phones(server.url, auths)
        ready = crowd.answer(within=600)
        took = [seconds * 1000 for seconds in work_the_tables(Staff(server.url), hold)]
        last = version(server.url)
        crowd.tell({"version": last, "pinged_within": PINGED_WITHIN_SECONDS, "wait": 30})
        reports = crowd.answer(within=120)
        server_use = sampler.stop()
    finally:
        if crowd is not None:
            crowd.close()
        server.stop()
    return {
        "hold_s": hold, "connected": ready["connected"], "connect_s": ready["seconds"], "failed": ready["failed"],
        "actions_ms": summary(took), "late_share": round(sum(ms >= LATE_MS for ms in took) / max(1, len(took)), 3),
        "dropped": sum(r["dropped"] for r in reports), "not_pinged": sum(not r["pinged_lately"] for r in reports),
        "behind": sum(r["version"] != last for r in reports), "server": server_use,
        "load_at_end": round(os.getloadavg()[0], 2),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=3000)
    parser.add_argument("--following", type=int, default=1000)
    parser.add_argument("--hold", default="60,300", help="seconds of work, comma-separated: one run each")
    parser.add_argument("--async-mode", default="eventlet", choices=["eventlet", "gevent"])
    args = parser.parse_args()
    print(conditions(bench="idle_phones", phones=args.phones, following=args.following, async_mode=args.async_mode,
                     database="SQLite"), flush=True)
    for hold in [int(seconds) for seconds in args.hold.split(",")]:
        print(run(args.phones, min(args.following, args.phones), hold, args.async_mode), flush=True)


if __name__ == "__main__":
    main()
