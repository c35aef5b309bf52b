"""The in-process tier: the real app in the test's own process, on its own SQLite file.

`app`, `client` (Flask's test client) and `socket_client` (Flask-SocketIO's test client sharing `client`'s
cookies) are the plain fixtures; `site` drives the same app through tests/support/clients.py's helpers.
Real server processes stay for what needs them: concurrency, crashes, the network, several processes, browsers.
"""

import shutil
from datetime import datetime

import pytest

from queue_app import create_app
from queue_app.actions import setup
from queue_app.extensions import db
from tests.support.clients import ORGANISER_PASSWORD
from tests.support.inprocess import BASE_URL
from tests.support.inprocess import QUICK_HASH
from tests.support.inprocess import InProcessSite
from tests.support.server import PIN

T0 = datetime(2026, 5, 3, 7, 0)


SETTINGS = {"ASYNC_MODE": "threading", "TESTING": True, "SECRET_KEY": "contract-tests", "PUBLIC_URL": BASE_URL,
            "RATE_LIMITS": False, "RATELIMIT_ENABLED": False, "PASSWORD_HASH_METHOD": QUICK_HASH}


@pytest.fixture(scope="session")
def first_start(tmp_path_factory):
    """The folder of an app started once, without the demo event: its database migrated to the newest revision,
    and its instance folder with the compiled catalogs and push keys. Each test's app starts from a copy of both,
    which skips a quarter of a second of the same work per test and shares nothing between tests."""
    folder = tmp_path_factory.mktemp("first-start")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("INSTANCE_PATH", str(folder / "instance"))
        create_app({**SETTINGS, "DATABASE_URL": f"sqlite:///{folder / 'queue.db'}"})
    db.engine.dispose()
    return folder


@pytest.fixture
def app(tmp_path, monkeypatch, first_start):
    """The app as `python wsgi.py` builds it (threading instead of eventlet), with the demo event and passwords."""
    shutil.copytree(first_start / "instance", tmp_path / "instance")
    database = tmp_path / "queue.db"
    shutil.copyfile(first_start / "queue.db", database)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({**SETTINGS, "DATABASE_URL": f"sqlite:///{database}"})
    app.config["DATABASE_FILE"] = database
    with app.app_context():
        setup.ensure_demo(PIN, T0)
        setup.ensure_organiser_password(ORGANISER_PASSWORD, T0)
    yield app
    db.engine.dispose()


@pytest.fixture
def client(app):
    """Flask's test client: one browser, keeping its cookies."""
    return app.test_client()


@pytest.fixture
def socket_client(app, client):
    """Connect a Flask-SocketIO test client with `auth`, sharing `client`'s cookies (its sign-in)."""
    opened = []

    def connect(auth):
        from queue_app.extensions import socketio

        connection = socketio.test_client(app, auth=auth, flask_test_client=client)
        opened.append(connection)
        return connection

    yield connect
    for connection in opened:
        if connection.is_connected():
            connection.disconnect()


@pytest.fixture
def site(app):
    """The app behind the helpers of tests/support/clients.py (join, Staff, Organiser) and `site.listen`."""
    return InProcessSite(app, app.config["DATABASE_FILE"])


