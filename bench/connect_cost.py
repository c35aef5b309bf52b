"""Server CPU per phone connect, against the length of the queue (issue 13: "flat from 100 to 5,000 waiting").

    .venv/bin/python bench/connect_cost.py [--waiting 100,1000,5000] [--phones 500]

For each queue length: our server with that many waiting tickets; `--phones` of them (spread over the queue)
connect with their token and get their snapshot, then all drop and come back at once saying their version
(no snapshot needed). Prints the server's CPU milliseconds per connect for both, from its CPU time.
"""

import argparse
import tempfile
import time

from common import PIN
from common import NodeClients
from common import Sampler
from common import conditions
from common import database_url
from common import launch
from common import make_server
from common import seed_tickets


def measure(waiting, phones, async_mode):
    """(CPU ms per first connect, CPU ms per reconnect) with `waiting` runners queued."""
    server = make_server(tempfile.mkdtemp(prefix="bench-connect-cost-"), async_mode)
    tokens = seed_tickets(database_url(server), waiting)
    launch(server)
    try:
        sampler = Sampler(server.process.pid)
        time.sleep(1)
        step = max(1, waiting // phones)
        auths = [{"ticket": token} for token in tokens[::step][:phones]]
        before = sampler.cpu_seconds()
        clients = NodeClients("phones.js", {"url": server.url, "auths": auths, "event": "board", "trigger": "ours",
                                            "pin": PIN, "concurrency": 20})
        ready = clients.read("ready", timeout=600)
        first = (sampler.cpu_seconds() - before) * 1000 / ready["connected"]
        time.sleep(1)
        before = sampler.cpu_seconds()
        clients.send({"cmd": "reconnect"})
        back = clients.read("result", timeout=600)
        again = (sampler.cpu_seconds() - before) * 1000 / back["back"]
        clients.close()
        sampler.stop()
    finally:
        server.stop()
    return first, again, back["snapshots"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--waiting", default="100,1000,5000")
    parser.add_argument("--phones", type=int, default=500)
    parser.add_argument("--async-mode", default="eventlet", choices=["eventlet", "gevent"])
    args = parser.parse_args()
    print(conditions(bench="connect_cost", phones=args.phones, async_mode=args.async_mode, database="SQLite"),
          flush=True)
    for waiting in [int(n) for n in args.waiting.split(",")]:
        first, again, snapshots = measure(waiting, min(args.phones, waiting), args.async_mode)
        print(f"{waiting:>6,} waiting: {first:5.1f} ms of server CPU per first connect (with its snapshot), "
              f"{again:5.1f} ms per reconnect ({snapshots} snapshots sent)", flush=True)


if __name__ == "__main__":
    main()
