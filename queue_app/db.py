"""The database connection: one engine per app, and short explicit transactions."""

from contextlib import contextmanager

from sqlalchemy import create_engine
from sqlalchemy import event
from sqlalchemy.orm import sessionmaker

from .models import Base


class Database:
    """Binds an engine to the app and opens transactions; every read and write goes through `transaction()`."""

    def __init__(self):
        self.engine = None
        self._sessions = None

    def init_app(self, app):
        """Create the engine for DATABASE_URL and the tables if they are missing."""
        url = app.config["DATABASE_URL"]
        if url.startswith("sqlite"):
            self.engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
            _tune_sqlite(self.engine)
        else:
            # Each green thread holds a connection only for one short transaction; 30 cover a burst of staff actions.
            self.engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        Base.metadata.create_all(self.engine)
        app.extensions["db"] = self

    @contextmanager
    def transaction(self):
        """A session inside one transaction: committed if the block ends normally, rolled back if it raises."""
        with self._sessions() as session, session.begin():
            yield session


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
        connection.exec_driver_sql("BEGIN IMMEDIATE")
