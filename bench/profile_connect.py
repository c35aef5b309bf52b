"""Profile our server with py-spy while N phones connect and a table calls: where does the CPU go?

    .venv/bin/python bench/profile_connect.py [--phones 1000] [--async-mode eventlet] [--calls-only | --reconnect]

Prints the functions with the most samples (inclusive), from py-spy's collapsed stacks.
"""

import argparse
import collections
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from common import PIN
from common import NodeClients
from common import database_url
from common import launch
from common import make_server
from common import seed_tickets


def top_functions(collapsed, count=25):
    """Our functions in the most samples (inclusive), and the leaf functions (self time), as (share, name)."""
    ours, leaves = collections.Counter(), collections.Counter()
    samples = 0
    for line in Path(collapsed).read_text().splitlines():
        stack, _, weight = line.rpartition(" ")
        weight = int(weight)
        samples += weight
        frames = stack.split(";")
        leaves[frames[-1]] += weight
        for frame in set(frames):
            if "queue_app/" in frame or "live.py" in frame:
                ours[frame] += weight
    share = lambda counter: [(round(100 * n / samples, 1), name) for name, n in counter.most_common(count)]  # noqa: E731
    return share(ours), share(leaves), samples


def main():
    """Record the server while phones connect and 10 calls go out; print the top functions."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=1000)
    parser.add_argument("--async-mode", default="eventlet")
    parser.add_argument("--calls-only", action="store_true", help="record only while the calls go out")
    parser.add_argument("--reconnect", action="store_true",
                        help="record only while every phone drops and comes back at once, saying its version")
    args = parser.parse_args()
    server = make_server(tempfile.mkdtemp(prefix="bench-profile-"), args.async_mode)
    auths = [{"ticket": token} for token in seed_tickets(database_url(server), args.phones)]
    launch(server)
    output = Path(tempfile.mkdtemp()) / "stacks.txt"
    command = [str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(server.process.pid),
               "--format", "raw", "--output", str(output), "--rate", "200", "--nonblocking"]
    later = args.calls_only or args.reconnect
    spy = None if later else subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        clients = NodeClients("phones.js", {"url": server.url, "auths": auths, "event": "board", "trigger": "ours",
                                            "pin": PIN, "concurrency": 50})
        print(clients.read("ready"), flush=True)
        spy = spy or subprocess.Popen(command, stdout=subprocess.DEVNULL)
        if args.reconnect:
            clients.send({"cmd": "reconnect"})
            print(clients.read("result"), flush=True)
        else:
            clients.send({"cmd": "fire", "calls": 10})
            clients.read("result")
        clients.close()
    finally:
        spy.send_signal(signal.SIGINT)  # py-spy writes its file when interrupted
        spy.wait()
        server.stop()
    ours, leaves, samples = top_functions(output)
    what = "reconnected at once" if args.reconnect else "connected and 10 calls went out"
    print(f"{samples} samples of the server while {args.phones} phones {what}.")
    print("Our functions (inclusive):")
    for share, name in ours:
        print(f"{share:5.1f}%  {name[:150]}")
    print("Leaf functions (self):")
    for share, name in leaves:
        print(f"{share:5.1f}%  {name[:150]}")


if __name__ == "__main__":
    main()
