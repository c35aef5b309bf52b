"""Alembic owns the schema: start-up upgrades SQLite and PostgreSQL alike, and the revisions match models.py."""

import sqlite3
import threading
from contextlib import contextmanager
from datetime import datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine
from sqlalchemy import text

from queue_app import create_app
from queue_app.actions import runner as runner_actions
from queue_app.data.engine import MIGRATIONS
from queue_app.data.models import Base
from queue_app.extensions import db
from queue_app.reads import snapshots
from tests.support.scaled import fresh_postgres_database
from tests.support.server import ServerProcess

T0 = datetime(2026, 5, 3, 7, 0)


def head_revision():
    """The newest revision in migrations/versions."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def differences(url):
    """What models.py has that the migrated database lacks, or the other way round (empty when they agree)."""
    engine = create_engine(url)
    with engine.connect() as connection:
        found = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        revision = MigrationContext.configure(connection).get_current_revision()
    engine.dispose()
    return revision, found


def on_backend(backend, tmp_path, check):
    """Run `check(url)` on a fresh SQLite file or a fresh PostgreSQL database."""
    if backend == "sqlite":
        check(f"sqlite:///{tmp_path / 'queue.db'}")
    else:
        with fresh_postgres_database() as url:
            check(url)


@contextmanager
def at_revision(url, revision):
    """A connection to `url` migrated up to `revision`, its transaction committed on leaving (for rows of then)."""
    engine = create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        yield connection
    engine.dispose()


def start_app(url, tmp_path):
    """Build the app on `url` as a server would at start-up."""
    return create_app({"DATABASE_URL": url, "ASYNC_MODE": "threading", "SECRET_KEY": "migrations",
                       "TESTING": True})


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_start_up_migrates_a_fresh_database_to_exactly_what_the_models_say(backend, tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'queue.db'}"
        start_app(url, tmp_path)
        revision, found = differences(url)
    else:
        with fresh_postgres_database() as url:
            start_app(url, tmp_path)
            revision, found = differences(url)
    # A difference here means models.py changed without a revision: see migrations/README for the command.
    assert found == []
    assert revision == head_revision()


def test_a_database_made_before_migrations_is_adopted_and_keeps_its_rows(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    engine.dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("INSERT INTO settings (key, value) VALUES ('kept', 'yes')")
    start_app(f"sqlite:///{path}", tmp_path)
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [(head_revision(),)]
        assert connection.execute("SELECT value FROM settings WHERE key = 'kept'").fetchall() == [("yes",)]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_events_from_before_time_zones_keep_the_clock_their_hours_were_read_on(backend, tmp_path, monkeypatch):
    """Their hours were read on the server's clock: the upgrade gives them the server's zone (EVENT_TIME_ZONE
    here), and later events say their own."""
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("EVENT_TIME_ZONE", "America/Sao_Paulo")

    def check(url):
        with at_revision(url, "b9d1f3a5c724") as connection:  # the revision before events had a zone
            connection.execute(text("INSERT INTO events (slug, name, pin_hash, version, next_seq, created_at, "
                                    "staff_generation) VALUES ('old', 'Old Race', 'x', 0, 1, '2026-05-03', 0)"))
        start_app(url, tmp_path)
        engine = create_engine(url)
        with engine.connect() as connection:
            zones = dict(connection.execute(text("SELECT slug, time_zone FROM events")).all())
        engine.dispose()
        assert zones == {"old": "America/Sao_Paulo"}
        assert differences(url) == (head_revision(), [])

    on_backend(backend, tmp_path, check)


def test_two_servers_starting_together_on_a_fresh_postgresql_database_both_come_up(tmp_path):
    with fresh_postgres_database() as url:
        servers = [ServerProcess(tmp_path, env={"DATABASE_URL": url}) for _ in range(2)]
        failures = []

        def start(server):
            try:
                server.start()
            except RuntimeError as error:
                failures.append(str(error))

        threads = [threading.Thread(target=start, args=(server,)) for server in servers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        try:
            assert failures == []
            assert differences(url) == (head_revision(), [])
        finally:
            for server in servers:
                server.stop()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_queue_from_before_lanes_upgrades_in_place_and_new_joiners_go_behind_it(backend, tmp_path, monkeypatch):
    """Lanes widen tickets.seq: on SQLite that must not rebuild the tickets table, which the audit log points at
    (start-up checks foreign keys), and the runners waiting keep their order, ahead of anyone who joins after."""
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))

    def check(url):
        with at_revision(url, "a7d3f5b9c1e2") as connection:  # the revision before lanes
            event = "(SELECT id FROM events WHERE slug = 'old')"
            connection.execute(text(
                "INSERT INTO events (slug, name, pin_hash, version, next_seq, created_at, staff_generation) "
                "VALUES ('old', 'Old Race', 'x', 4, 3, '2026-05-03', 0)"))
            connection.execute(text(
                "INSERT INTO services (event_id, code, name, prefix, minutes, status, grace_seconds, next_number, "
                f"position) VALUES ({event}, 'pre', 'Pre-race', 'P', 10, 'open', 180, 3, 0)"))
            for number in (1, 2):
                connection.execute(text(
                    "INSERT INTO tickets (event_id, service_id, number, label, token, bib, first_name, medical_flag, "
                    f"walk_in, status, seq, requeues, created_at) VALUES ({event}, (SELECT id FROM services), :n, "
                    ":label, :token, :bib, 'Old', false, false, 'waiting', :n, 0, '2026-05-03')"
                ).bindparams(n=number, label=f"P-00{number}", token=f"token-{number}", bib=str(number)))
                connection.execute(text(
                    "INSERT INTO ticket_events (event_id, ticket_id, at, actor, to_status, version) VALUES "
                    f"({event}, (SELECT id FROM tickets WHERE token = :token), '2026-05-03', 'runner', 'waiting', :n)"
                ).bindparams(n=number, token=f"token-{number}"))
        app = start_app(url, tmp_path)
        with app.app_context():
            joined = runner_actions.join("old", {"bib": "3", "first_name": "New", "service": "pre",
                                                 "screening": {"unwell": False, "injury": False,
                                                               "medical_condition": False}}, T0)["ticket"]
            places = [snapshots.ticket(token)[1]["place"] for token in ("token-1", "token-2", joined["token"])]
        db.engine.dispose()
        assert places == [1, 2, 3]
        assert differences(url) == (head_revision(), [])

    on_backend(backend, tmp_path, check)
