"""A server with a big event: enough tables for the tent's rush hour, as many as the tests press at once."""

import pytest

from tests.support.clients import Staff
from tests.support.faults import Tablet
from tests.support.faults import add_event
from tests.support.server import ServerProcess

RACE_PIN = "135791"
RACE_TABLES = 50


@pytest.fixture
def race(tmp_path):
    """A real server whose database also holds the event `race` with 50 tables serving both services."""
    process = ServerProcess(tmp_path)
    add_event(process, "race", RACE_PIN, RACE_TABLES)
    process.start()
    yield process
    process.stop()


@pytest.fixture
def tablets(race):
    """One signed-in tablet per table of `race`, each with its own HTTP session (one sign-in, shared cookie)."""
    staff = Staff(race.url, event="race", pin=RACE_PIN)
    return [Tablet(staff, number) for number in range(1, RACE_TABLES + 1)]
