"""Which client manager an app's Socket.IO server gets from SOCKETIO_MESSAGE_QUEUE and SOCKETIO_CHANNEL."""

import pytest
from socketio import PubSubManager

from queue_app import create_app
from queue_app.extensions import db
from queue_app.extensions import socketio
from queue_app.live.message_queue import RedisManager
from tests.contract.conftest import SETTINGS
from tests.support.scaled import REDIS_URL


def build(tmp_path, monkeypatch, **settings):
    """An app on a fresh SQLite file with `settings`."""
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({**SETTINGS, "DATABASE_URL": f"sqlite:///{tmp_path / 'queue.db'}", **settings})
    db.engine.dispose()
    return app


def test_an_app_on_redis_gets_the_slicing_manager_on_its_channel_and_the_next_app_without_one_none(
        tmp_path, monkeypatch):
    build(tmp_path, monkeypatch, SOCKETIO_MESSAGE_QUEUE=REDIS_URL, SOCKETIO_CHANNEL="tent-a")
    assert isinstance(socketio.server.manager, RedisManager)
    assert socketio.server.manager.channel == "tent-a"
    # Flask-SocketIO keeps an earlier init_app's options: the next app, without a queue, must not inherit it.
    build(tmp_path, monkeypatch)
    assert not isinstance(socketio.server.manager, PubSubManager)


def test_a_message_queue_that_is_not_redis_is_refused_by_name(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="must be a redis:// or rediss:// URL, not amqp://"):
        build(tmp_path, monkeypatch, SOCKETIO_MESSAGE_QUEUE="amqp://guest:guest@127.0.0.1:5672//")
