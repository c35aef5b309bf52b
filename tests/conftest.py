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
