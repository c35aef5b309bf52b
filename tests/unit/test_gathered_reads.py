"""Reads that callers arriving together share (queue_app/reads/gathered.py), under eventlet as the server runs and
with plain threads as the tests' in-process app runs."""

import json
import subprocess
import sys
import textwrap
import threading

from queue_app.reads.gathered import GatheredReads

UNDER_EVENTLET = textwrap.dedent("""
    import json
    import eventlet
    eventlet.monkey_patch()
    from queue_app.reads.gathered import GatheredReads

    reads, started = [], eventlet.event.Event()

    def read_all(keys):
        reads.append(sorted(keys))
        if not started.ready():
            started.send()
        eventlet.sleep(0.05)  # the database's round trip: other greenlets run meanwhile
        if "broken" in keys:
            raise ValueError("the database went away")
        return {key: key.upper() for key in keys if not key.startswith("unknown")}

    shared = GatheredReads(read_all)

    def ask(key):
        try:
            return shared.get(key)
        except ValueError as error:
            return f"error: {error}"

    pool = eventlet.GreenPool()
    first = [pool.spawn(ask, key) for key in [f"k{n}" for n in range(200)] + ["unknown-1"]]
    started.wait()  # the first read has begun: these come after it
    later = [pool.spawn(ask, key) for key in ["late-1", "late-2"]]
    pool.waitall()
    failing = [pool.spawn(ask, key) for key in ["broken", "k1"]]
    pool.waitall()
    again = pool.spawn(ask, "k1").wait()
    killed = pool.spawn(ask, "killed")
    eventlet.sleep(0)  # it leads a read, and lets the callers ready to run ask too
    killed.kill()
    after_killed = eventlet.with_timeout(5, lambda: pool.spawn(ask, "k2").wait(), timeout_value="hung")
    print(json.dumps({"reads": reads, "first": [g.wait() for g in first], "later": [g.wait() for g in later],
                      "failing": [g.wait() for g in failing], "again": again, "after_killed": after_killed}))
""")


def test_under_eventlet_callers_together_share_one_read_and_one_arriving_after_it_began_waits_for_the_next():
    """Also: a failed read is shared and not kept; a leader killed before reading blocks nobody after it."""
    ran = subprocess.run([sys.executable, "-c", UNDER_EVENTLET], capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    seen = json.loads(ran.stdout.strip().splitlines()[-1])
    first_keys = sorted([f"k{n}" for n in range(200)] + ["unknown-1"])
    assert seen["reads"] == [first_keys, ["late-1", "late-2"], ["broken", "k1"], ["k1"], ["k2"]]
    assert seen["first"] == [f"K{n}" for n in range(200)] + [None]
    assert seen["later"] == ["LATE-1", "LATE-2"]
    assert seen["failing"] == ["error: the database went away"] * 2
    assert seen["again"] == "K1"  # a failed read is not kept: the next caller reads again
    assert seen["after_killed"] == "K2"  # a leader killed before its read leaves no batch behind to wait on


def test_with_threads_every_caller_gets_its_own_value_and_every_key_is_read_once():
    reads, lock = [], threading.Lock()

    def read_all(keys):
        with lock:
            reads.append(set(keys))
        return {key: key * 2 for key in keys}

    shared = GatheredReads(read_all)
    answers = {}
    start = threading.Barrier(40)

    def ask(n):
        start.wait()
        answers[n] = shared.get(n)

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert answers == {n: n * 2 for n in range(40)}
    assert sorted(key for keys in reads for key in keys) == list(range(40))
