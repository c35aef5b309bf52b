"""Fixtures shared by every tier: a real server process on a free port, and HTTP/Socket.IO clients for it."""

import pytest
from hypothesis import HealthCheck
from hypothesis import settings

from tests.support.server import NEXT_TEST
from tests.support.server import Spares
from tests.support.server import next_test_needs_the_same

# No timing in tests: on two workers a property test may share the machine with a browser test, so Hypothesis's
# per-example deadline and its "generation is slow" check would fail on load, not on behaviour.
settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")


# The files that take longest, slowest first but the idle phones (seconds of one worker in a run on four workers; the
# crash test's time depends on where its random kills fall, the fuzz tests' on what Hypothesis draws). The test
# command hands out whole files (`--dist loadfile`) in collection order (`--no-loadscope-reorder`, in pyproject's
# addopts: xdist's own order puts the files with most tests first, so a long file of one test started last while
# the other workers had nothing left); every file not named here follows, in the usual order.
LONGEST_FIRST = [
    "tests/faults/test_idle_phones.py",        # 47 s; first, beside no browser: its server answers 3,000 pings
    "tests/live/test_fuzz.py",                 # 108 s
    "tests/live/test_protections.py",          # 96 s
    "tests/faults/test_concurrency.py",        # 89 s
    "tests/integration/test_places.py",        # 88 s
    "tests/browser/test_organiser.py",         # 84 s
    "tests/scaled/test_two_processes.py",      # 69 s
    "tests/browser/test_dashboard_phone.py",   # 65 s
    "tests/faults/test_crash.py",              # 62 s
    "tests/engines/test_gecko.py",             # 59 s
    "tests/browser/test_the_call.py",          # 57 s
    "tests/browser/test_languages.py",         # 53 s
    "tests/browser/test_first_day.py",         # 50 s
    "tests/browser/test_runner.py",            # 49 s
    "tests/browser/test_report.py",            # 49 s
    "tests/engines/test_webkit.py",            # 48 s
    "tests/browser/test_truth.py",             # 47 s
    "tests/browser/test_table_alarms.py",      # 46 s
    "tests/live/test_listener.py",             # 45 s
]


def pytest_collection_modifyitems(items):
    """Put the longest files first (LONGEST_FIRST), keeping the order of tests within each file."""
    rank = {path: index for index, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    """Let a test's fixtures see which test this process runs next (for launching its server ahead)."""
    item.stash[NEXT_TEST] = nextitem


@pytest.fixture(scope="session")
def spare_servers(tmp_path_factory):
    """Fresh servers launched one test ahead (tests/support/server.py Spares); stopped at the end of the run."""
    spares = Spares(lambda: tmp_path_factory.mktemp("server"))
    yield spares
    spares.stop_all()


@pytest.fixture
def server(request, spare_servers):
    """A real `python wsgi.py` process on a free port with its own SQLite file, fresh for this test (started while
    the test before ran, if that one had a server too); stopped after the test."""
    process = spare_servers.take({}, launch_next=next_test_needs_the_same(request))
    yield process
    process.stop()
