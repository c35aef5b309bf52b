"""What priority lanes cost a join and a call: the same day with no lanes (the floor), a first lane, and shares.

    .venv/bin/python bench/lanes.py [--runners 600] [--rounds 2]

For each setting, a fresh server (`python wsgi.py`, SQLite) with a start list of elite, marathon and 5K runners
takes `--runners` joins over HTTP one after another, then one table calls and marks a no-show for each of them.
A lane is decided at the join (rules/lanes.py: a little JSON state on the service, read and written in the join's
transaction) and moved on at each call; everything else is unchanged. Prints p50/p99 of join and call-next per
setting and their ratios to the floor; the settings take turns, `--rounds` times, so load drifts hit all alike.
"""

import argparse
import statistics
import tempfile
import time

from common import conditions
from common import launch
from common import make_server
from common import summary

from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join

SETTINGS = {"floor (no lanes)": "", "first lane": "elite: first",
            "first lane and a share": "elite: first\nmarathon: 1 in 3"}
CATEGORIES = ("elite", "marathon", "5k", "5k", "marathon", "5k")


def day(lanes, runners):
    """One server, one day: (join milliseconds, call-next milliseconds)."""
    server = make_server(tempfile.mkdtemp(prefix="bench-lanes-"), "eventlet")
    launch(server)
    try:
        organiser = Organiser(server.url)
        start_list = "bib,first_name,category\n" + "".join(
            f"{bib},Runner,{CATEGORIES[bib % len(CATEGORIES)]}\n" for bib in range(1, runners + 1))
        organiser.form("/e/demo/settings/start-list", {}, page="/e/demo/settings",
                       files={"file": ("start.csv", start_list.encode(), "text/csv")})
        assert organiser.api("PATCH", "/services/pre", {"lanes": lanes}).status_code == 200
        joins, calls = [], []
        for bib in range(1, runners + 1):
            began = time.perf_counter()
            answer = join(server.url, bib)
            joins.append((time.perf_counter() - began) * 1000)
            assert answer.status_code == 201, answer.text
        staff = Staff(server.url)
        for _ in range(runners):
            began = time.perf_counter()
            answer = staff.act(1, "call-next")
            calls.append((time.perf_counter() - began) * 1000)
            assert answer.status_code == 200 and answer.json()["ticket"], answer.text
            staff.act(1, "no-show")
        return joins, calls
    finally:
        server.stop()


def main():
    """Run every setting `--rounds` times, taking turns, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runners", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    print(conditions(runners=args.runners, rounds=args.rounds, server="wsgi.py eventlet, SQLite"))
    figures = {name: ([], []) for name in SETTINGS}
    for _ in range(args.rounds):
        for name, lanes in SETTINGS.items():
            joins, calls = day(lanes, args.runners)
            figures[name][0].extend(joins)
            figures[name][1].extend(calls)
    floor_join, floor_call = (statistics.median(values) for values in figures["floor (no lanes)"])
    for name, (joins, calls) in figures.items():
        print(f"{name:>24}: join {summary(joins)} ×{statistics.median(joins) / floor_join:.2f}; "
              f"call-next {summary(calls)} ×{statistics.median(calls) / floor_call:.2f}")


if __name__ == "__main__":
    main()
