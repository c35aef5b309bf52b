"""The database connection: one engine per app, and short explicit transactions."""

from contextlib import contextmanager
from contextlib import nullcontext
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine
from sqlalchemy import event
from sqlalchemy import inspect
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.exc import InterfaceError
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import sessionmaker

from ..rules.errors import Conflict
from ..rules.words import N_

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
# The first revision: what a database made by create_all, before there were migrations, already has.
BASELINE = "6b0b2f9c6742"
# Any numbers work, as long as every process of the app takes the same advisory locks.
MIGRATION_LOCK = 7_321_040
START_UP_LOCK = 7_321_041
# The database could not be reached or dropped the connection (restarting, failing over, a locked SQLite file):
# the web layer answers 503 with Retry-After, and the next request tries again on a fresh connection.
UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeout)
# Seconds to open a connection, and to wait for a free one in the pool, before a request is answered 503.
CONNECT_SECONDS = 3
POOL_WAIT_SECONDS = 10


class Database:
    """Binds an engine to the app and opens transactions: `transaction()` for a change, `read()` for a read."""

    def __init__(self):
        self.engine = None
        self._sessions = None
        self._read_sessions = None

    def init_app(self, app):
        """Create the engine for DATABASE_URL and bring its schema to the newest migration."""
        url = app.config["DATABASE_URL"]
        if url.startswith("sqlite"):
            self.engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
            _tune_sqlite(self.engine)
        else:
            # Each green thread holds a connection only for one short transaction; 30 cover a burst of staff actions.
            # pool_pre_ping finds the connections a database restart closed and opens new ones, so the app
            # recovers by itself; the timeouts make a database that is down a quick 503, not a hang.
            self.engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20,
                                        pool_timeout=POOL_WAIT_SECONDS,
                                        connect_args={"connect_timeout": CONNECT_SECONDS})
            _limit_green_connects(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Reads take no write lock on SQLite (a deferred BEGIN): an export or a snapshot never holds up a join.
        # On PostgreSQL a read sees one snapshot throughout, as SQLite's does, so a board is of one version.
        reading = {"isolation_level": "REPEATABLE READ"} if self.engine.dialect.name == "postgresql" else {}
        self._read_sessions = sessionmaker(self.engine.execution_options(read_only=True, **reading),
                                           expire_on_commit=False)
        upgrade_to_head(self.engine)
        app.extensions["db"] = self

    @property
    def reads_wait(self):
        """True if a read waits on the network (PostgreSQL), so other green threads run meanwhile; SQLite's never
        yields."""
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def one_process_at_a_time(self):
        """Hold a PostgreSQL advisory lock for the block, so processes starting together set up shared rows once."""
        if self.engine.dialect.name != "postgresql":
            yield
            return
        with self.engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": START_UP_LOCK})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": START_UP_LOCK})
                connection.commit()

    @contextmanager
    def transaction(self):
        """A session inside one transaction: committed if the block ends normally, rolled back if it raises.

        A unique index refusing a write (two tablets claiming one runner, one bib joining twice at once) is a
        Conflict the person can retry, not a server error.
        """
        try:
            with self._sessions() as session, session.begin():
                yield session
        except IntegrityError as error:
            raise Conflict(N_("Someone else changed this at the same moment. Please try again.")) from error


    @contextmanager
    def read(self):
        """A session inside one transaction that only reads: on SQLite it takes no write lock, so writers go on."""
        with self._read_sessions() as session, session.begin():
            yield session


def upgrade_to_head(engine):
    """Run every pending Alembic migration in one transaction; adopt a pre-migrations database as the baseline."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Processes starting together: one migrates, the others wait here and then find nothing to do.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        tables = inspect(connection).get_table_names()
        if "events" in tables and "alembic_version" not in tables:
            command.stamp(config, BASELINE)
        command.upgrade(config, "head")


def _limit_green_connects(engine):
    """Give up opening a connection after CONNECT_SECONDS under eventlet or gevent too.

    psycogreen opens connections asynchronously, and libpq ignores connect_timeout then: a database host that
    takes the TCP connection but never answers (a failover half done) held the request forever.
    """

    @event.listens_for(engine, "do_connect")
    def _connect(dialect, _record, cargs, cparams):
        with _green_timeout(CONNECT_SECONDS):
            return dialect.connect(*cargs, **cparams)


def _green_timeout(seconds):
    """A timeout that raises the driver's OperationalError in the waiting green thread, or nothing without one."""
    import psycopg2

    failure = psycopg2.OperationalError(f"no answer from the database within {seconds} s")
    try:
        from gevent import monkey
        if monkey.is_module_patched("socket"):
            import gevent
            return gevent.Timeout(seconds, failure)
    except ImportError:
        pass
    try:
        from eventlet import patcher
        if patcher.is_monkey_patched("socket"):
            import eventlet
            return eventlet.Timeout(seconds, failure)
    except ImportError:
        pass
    return nullcontext()


def _tune_sqlite(engine):
    """WAL, a busy timeout and BEGIN IMMEDIATE: writers queue for the lock instead of failing mid-transaction."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event below issue BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A write takes the lock at BEGIN, so it never fails half-way; a read (db.read()) takes none.
        reading = connection.get_execution_options().get("read_only")
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")
