"""The staffing planner's replays in a process of their own, bounded: one at a time per installation, at most
PLANNER_SECONDS of time and PLANNER_MEMORY_MB of memory (RLIMIT_AS), so a hostile or huge request can neither
stall the server's event loop nor exhaust the machine (a replay is pure CPU: planner/search.py).

The server (and the `plan` command) checks the file and options, then hands the day to this module, run as the
worker's main (WORKER), as JSON on its standard input and reads the figures back as JSON.
"""

import fcntl
import json
import os
import resource
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from ..rules.errors import Conflict
from ..rules.errors import ValidationError
from ..rules.words import N_
from ..rules.words import Message
from . import search
from .replay import Arrival
from .replay import Assumptions

ROOT = Path(__file__).resolve().parents[2]  # the checkout, where the worker runs
# The worker's program: this module as __main__ under a bare `queue_app` package, so that queue_app/__init__.py
# (Flask, the extensions, the blueprints: 2.4 s of imports on the 2-core machine) is never run; the planner imports
# only planner/ and rules/, which import nothing of the app. It starts in about 0.15 s.
WORKER = ("import runpy, sys, types; package = types.ModuleType('queue_app'); package.__path__ = ['queue_app']; "
          "sys.modules['queue_app'] = package; runpy.run_module('queue_app.planner.process', run_name='__main__')")
OUT_OF_MEMORY = 3  # the worker's exit status when its memory ran out


def for_app(app):
    """The bounded planner of this installation: its PLANNER_SECONDS and PLANNER_MEMORY_MB, and its lock in the
    instance folder."""
    return bounded(app.config["PLANNER_SECONDS"], app.config["PLANNER_MEMORY_MB"],
                   Path(app.instance_path) / "planner.lock")


def bounded(seconds, memory_mb, lock_path):
    """A planner (as reads/planning.py's plan takes one) that replays in a worker process within these bounds."""

    def make(day, services, tables, assumptions, target, pause=None):
        with _one_at_a_time(lock_path):
            return _replay_apart(day, services, tables, assumptions, target, seconds, memory_mb)

    return make


@contextmanager
def _one_at_a_time(lock_path):
    """Hold the installation's planner lock (a file lock: every process on the machine shares it), or refuse."""
    Path(lock_path).parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            # Staff:
            raise Conflict(N_("A plan is being made; try again in a minute.")) from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _replay_apart(day, services, tables, assumptions, target, seconds, memory_mb):
    """The Plan, from a worker process given `seconds` and `memory_mb`; ValidationError past either."""
    request = {"arrivals": [[a.at, a.service, a.bib, a.line] for a in day.arrivals], "clock": day.clock,
               "services": list(services), "tables": list(tables), "target": target,
               "assumptions": {"minutes": dict(assumptions.minutes), "grace_seconds": dict(assumptions.grace_seconds),
                               "walk_seconds": assumptions.walk_seconds, "clean_seconds": assumptions.clean_seconds,
                               "no_show_rate": assumptions.no_show_rate, "seed": assumptions.seed}}
    command = [sys.executable, "-c", WORKER, str(memory_mb), str(seconds)]
    try:
        done = subprocess.run(command, input=json.dumps(request), capture_output=True, text=True, timeout=seconds,
                              cwd=ROOT, check=False)
    except Exception as error:  # run() has killed the worker
        if not isinstance(error, subprocess.TimeoutExpired) and type(error).__name__ != "TimeoutExpired":
            raise  # (eventlet's green subprocess raises a TimeoutExpired of its own copy of the module)
        # Staff:
        raise ValidationError(Message(N_("This plan would take longer than %(seconds)s seconds, the planner's most. "
                                         "Try fewer numbers of tables, a larger target or a shorter day."),
                                      seconds=f"{seconds:g}"), field="arrivals") from None
    if done.returncode == OUT_OF_MEMORY or (done.returncode != 0 and "MemoryError" in done.stderr):
        # Staff:
        raise ValidationError(Message(N_("This plan would need more than %(mb)s MB of memory, the planner's most. "
                                         "Try a shorter day or fewer numbers of tables."), mb=memory_mb),
                              field="arrivals")
    if done.returncode != 0:
        raise RuntimeError(f"the planner's worker failed: {done.stderr[-2000:]}")
    answer = json.loads(done.stdout)
    by_tables = {int(count): search.Outcome(tuple(search.HourFigures(*row) for row in outcome["hours"]),
                                            outcome["last_call"])
                 for count, outcome in answer["by_tables"].items()}
    fewest = {int(hour): tables for hour, tables in answer["fewest"]}
    return search.Plan(day, tuple(services), assumptions, target, by_tables, fewest)


def _work(request):
    """The worker's part: the figures of the day in `request` (the JSON _replay_apart sends)."""
    day = search.Day(tuple(Arrival(*row) for row in request["arrivals"]), request["clock"])
    given = request["assumptions"]
    assumptions = Assumptions(**given)
    plan = search.plan(day, request["services"], tuple(request["tables"]), assumptions, request["target"])
    return {"by_tables": {count: {"hours": [[f.hour, f.arrivals, f.peak_waiting, f.wait_p50, f.wait_p90,
                                             f.utilisation] for f in outcome.hours],
                                  "last_call": outcome.last_call} for count, outcome in plan.by_tables.items()},
            "fewest": list(plan.fewest.items())}


def main(memory_mb, seconds):
    """Run one plan from standard input to standard output within `memory_mb` of address space and `seconds` of
    CPU (the server's own timeout kills it sooner, by the clock)."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 2 ** 20, resource.RLIM_INFINITY))
    resource.setrlimit(resource.RLIMIT_CPU, (int(seconds) + 5, resource.RLIM_INFINITY))
    try:
        answer = _work(json.load(sys.stdin))
    except MemoryError:
        os._exit(OUT_OF_MEMORY)  # noqa: SLF001 - nothing more can be done in a process out of memory
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main(int(sys.argv[1]), float(sys.argv[2]))
