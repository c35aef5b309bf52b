"""Fixtures shared by every tier: a real server process on a free port, and HTTP/Socket.IO clients for it."""

import pytest
from hypothesis import HealthCheck
from hypothesis import settings

from tests.support.server import ServerProcess

# No timing in tests: on two workers a property test may share the machine with a browser test, so Hypothesis's
# per-example deadline and its "generation is slow" check would fail on load, not on behaviour.
settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")


@pytest.fixture
def server(tmp_path):
    """A real `python wsgi.py` process on a free port with its own SQLite file; stopped after the test."""
    process = ServerProcess(tmp_path)
    process.start()
    yield process
    process.stop()
