"""A tent's worth of idle phones on one real server (issue 12, break 3).

3,000 phones hold a WebSocket each, a thousand following their own ticket and the rest the board, doing nothing but
answer Engine.IO's pings, while a signed-in table calls, starts and finishes runners for 20 s: two of the server's
ping rounds after every phone is in. Every action must be answered (200); how quickly is printed, not asserted (a
test asserts no time: bench/idle_phones.py and bench/raceday.py measure it beside a floor). The phones are lean
raw-WebSocket clients in a process of their own (tests/support/phones.py); the server is `python wsgi.py` under
eventlet, as a race day runs it. For a longer hold, and figures instead of a verdict, run bench/idle_phones.py.
"""

import os

import pytest

from tests.support.clients import Staff
from tests.support.crowd import Phones
from tests.support.crowd import work_the_tables
from tests.support.faults import seed_waiting
from tests.support.faults import version
from tests.support.server import ServerProcess

PHONES = 3_000
FOLLOWING_TICKETS = 1_000
# The server pings every 10 s (queue_app/__init__.py) and drops a phone whose answer is 10 s late: 20 s of work
# is two full ping rounds for every phone, each of which a stalled server or a lost pong would fail.
HOLD_SECONDS = 20
# A phone that heard no ping for 15 s is no longer served.
PINGED_WITHIN_SECONDS = 15


@pytest.fixture
def crowded(tmp_path):
    """A real server whose demo event has FOLLOWING_TICKETS runners waiting for the pre-race service."""
    process = ServerProcess(tmp_path)
    tokens = seed_waiting(process, FOLLOWING_TICKETS)
    process.start()
    yield process, tokens
    process.stop()


def test_three_thousand_idle_phones_stay_connected_while_a_table_works(crowded):
    """Proves: with 3,000 phones on WebSockets that only answer pings, every one is still connected, still
    pinged and has heard the last change after two ping rounds of work, and every call, start and finish of the
    table meanwhile is answered."""
    server, tokens = crowded
    auths = [{"ticket": token} for token in tokens] + [{"event": "demo"}] * (PHONES - len(tokens))
    phones = Phones(server.url, auths)
    try:
        ready = phones.answer(within=180)
        assert ready["connected"] == PHONES, ready
        took = work_the_tables(Staff(server.url), HOLD_SECONDS)
        last = version(server.url)
        phones.tell({"version": last, "pinged_within": PINGED_WITHIN_SECONDS, "wait": 10})
        reports = phones.answer(within=30)
    finally:
        phones.close()
    dropped = [report["close_reason"] for report in reports if report["dropped"]]
    assert dropped == [], f"{len(dropped)} of {PHONES} phones were dropped, e.g. {dropped[:3]}"
    assert sum(not report["pinged_lately"] for report in reports) == 0
    assert sum(report["version"] != last for report in reports) == 0
    took.sort()
    print(f"{PHONES} phones connected in {ready['seconds']} s; {len(took)} actions: median "
          f"{took[len(took) // 2] * 1000:.0f} ms, slowest {[round(t * 1000) for t in took[-5:]]} ms; "
          f"load {os.getloadavg()[0]:.1f}")
