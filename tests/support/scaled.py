"""The scaled-out setup for tests: a fresh PostgreSQL database, a private Redis channel, several server processes."""

import os
import secrets
from contextlib import contextmanager

import psycopg2
import redis

from tests.support.server import ServerProcess

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _admin_connection():
    """An autocommit connection to the `postgres` database (CREATE/DROP DATABASE cannot run in a transaction)."""
    connection = psycopg2.connect(POSTGRES_ADMIN_URL)
    connection.autocommit = True
    return connection


@contextmanager
def fresh_postgres_database():
    """A new empty database named queue_test_<random>, dropped afterwards; yields its SQLAlchemy URL."""
    name = f"queue_test_{secrets.token_hex(6)}"
    connection = _admin_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {name}")
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with connection.cursor() as cursor:
            # FORCE: a server killed mid-test may leave a connection behind.
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.close()


def redis_is_up():
    """True if the Redis server answers PING (so a failure says what is missing)."""
    return redis.Redis.from_url(REDIS_URL, protocol=2, socket_connect_timeout=2).ping()


def scaled_env(database_url, channel, async_mode):
    """Environment for one of several processes sharing a database and a Redis channel."""
    return {"DATABASE_URL": database_url, "SOCKETIO_MESSAGE_QUEUE": REDIS_URL, "SOCKETIO_CHANNEL": channel,
            "ASYNC_MODE": async_mode}


@contextmanager
def server_group(folder, count, async_mode="eventlet", env=None):
    """`count` server processes on one fresh PostgreSQL database and one private Redis channel (and `env`);
    stopped after."""
    assert redis_is_up(), f"Redis does not answer at {REDIS_URL}"
    channel = f"queue-test-{secrets.token_hex(6)}"
    with fresh_postgres_database() as url:
        servers = [ServerProcess(folder, env={**scaled_env(url, channel, async_mode), **(env or {})})
                   for _ in range(count)]
        try:
            # One after the other: the first creates the schema and the demo event, the others find them.
            for server in servers:
                server.start()
            yield servers
        finally:
            for server in servers:
                server.stop()
