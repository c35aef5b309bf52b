"""An app bound to a fresh SQLite file, for calling services and store directly."""

from datetime import datetime

import pytest

from queue_app import create_app
from queue_app.actions import setup
from tests.support.inprocess import QUICK_HASH

PIN = "135790"
T0 = datetime(2026, 5, 3, 8, 0, 0)


@pytest.fixture
def app(tmp_path):
    """The real app factory with its own database and the demo event."""
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'queue.db'}", "ASYNC_MODE": "threading",
                      "SECRET_KEY": "integration", "TESTING": True,
                      "PASSWORD_HASH_METHOD": QUICK_HASH})
    with app.app_context():
        setup.ensure_demo(PIN, T0)
        yield app
