"""The core-loop contract tests once more, against a real server process running under ASYNC_MODE=gevent."""

import pytest

from tests.contract import test_core_loop as core_loop
from tests.support.clients import RemoteSite
from tests.support.server import next_test_needs_the_same

# Every core-loop contract test, collected here again so new ones run against a gevent server too.
globals().update({name: test for name, test in vars(core_loop).items() if name.startswith("test_")})


@pytest.fixture
def site(request, spare_servers):
    """A real `python wsgi.py` process under gevent on a free port with its own SQLite file (launched while the
    test before ran, as the server fixture does)."""
    process = spare_servers.take({"ASYNC_MODE": "gevent"}, launch_next=next_test_needs_the_same(request))
    assert "Async mode:       gevent" in process.log()
    yield RemoteSite(process.url, process.database)
    process.stop()
