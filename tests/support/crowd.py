"""Driving a crowd of idle phones (tests/support/phones.py, in a process of their own) and a tent's tables beside
them: used by tests/faults/test_idle_phones.py and, for longer holds, bench/idle_phones.py."""

import itertools
import json
import select
import subprocess
import sys
import time

from tests.support.server import ROOT

# Three times a busy tent's pace: 80 tables, a massage each every 12 minutes.
ACTION_EVERY_SECONDS = 1.0


class Phones:
    """The process holding the phones: told what to do and answering on one JSON line each."""

    def __init__(self, url, auths):
        self.process = subprocess.Popen([sys.executable, "-m", "tests.support.phones"], cwd=ROOT, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.tell({"url": url, "auths": auths})

    def tell(self, orders):
        """Send one line of orders."""
        self.process.stdin.write(json.dumps(orders) + "\n")
        self.process.stdin.flush()

    def answer(self, within):
        """The next line the phones print, as JSON; fails if none comes `within` seconds."""
        ready, _, _ = select.select([self.process.stdout], [], [], within)
        assert ready, f"the phones said nothing within {within}s"
        return json.loads(self.process.stdout.readline())

    def close(self):
        """Hang up every phone at once."""
        self.process.kill()
        self.process.wait()


def work_the_tables(staff, seconds):
    """Tables 1-6 in turn call, start and finish a runner, an action every ACTION_EVERY_SECONDS for `seconds`;
    the answer time of each action."""
    took = []
    deadline = time.monotonic() + seconds
    actions = itertools.cycle([(table, action) for table in range(1, 7) for action in ("call-next", "start",
                                                                                      "finish")])
    while time.monotonic() < deadline:
        table, action = next(actions)
        sent = time.monotonic()
        answer = staff.act(table, action)
        took.append(time.monotonic() - sent)
        assert answer.status_code == 200, (table, action, answer.text)
        time.sleep(max(0, sent + ACTION_EVERY_SECONDS - time.monotonic()))
    return took
