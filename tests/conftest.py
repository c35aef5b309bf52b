"""Fixtures shared by every tier: a real server process on a free port, and HTTP/Socket.IO clients for it."""

import pytest

from tests.support.server import ServerProcess


@pytest.fixture
def server(tmp_path):
    """A real `python wsgi.py` process on a free port with its own SQLite file; stopped after the test."""
    process = ServerProcess(tmp_path)
    process.start()
    yield process
    process.stop()
