"""The core-loop contract tests once more, against a real server process running under ASYNC_MODE=gevent."""

import pytest

from tests.contract import test_core_loop as core_loop
from tests.support.clients import RemoteSite
from tests.support.server import ServerProcess

# Every core-loop contract test, collected here again so new ones run against a gevent server too.
globals().update({name: test for name, test in vars(core_loop).items() if name.startswith("test_")})


@pytest.fixture
def site(tmp_path):
    """A real `python wsgi.py` process under gevent on a free port with its own SQLite file."""
    process = ServerProcess(tmp_path, env={"ASYNC_MODE": "gevent"})
    process.start()
    assert "Async mode:       gevent" in process.log()
    yield RemoteSite(process.url, process.database)
    process.stop()
