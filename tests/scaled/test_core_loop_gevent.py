"""The live core-loop tests once more, with the server running under ASYNC_MODE=gevent."""

import pytest

from tests.live import test_core_loop as core_loop
from tests.support.server import ServerProcess

# Every test of the eventlet core loop, collected here again so new ones run under gevent too.
globals().update({name: test for name, test in vars(core_loop).items() if name.startswith("test_")})


@pytest.fixture
def server(tmp_path):
    """A real `python wsgi.py` process under gevent on a free port with its own SQLite file."""
    process = ServerProcess(tmp_path, env={"ASYNC_MODE": "gevent"})
    process.start()
    assert "Async mode:       gevent" in process.log()
    yield process
    process.stop()
