"""Alembic's entry point: migrate the database the app uses, on a connection the app lends or on DATABASE_URL."""

import os
from logging.config import fileConfig
from pathlib import Path

from alembic import context
from sqlalchemy import create_engine

from queue_app.data.models import Base

config = context.config
if config.config_file_name is not None and config.attributes.get("connection") is None:
    # Only the `alembic` command sets up logging; the app keeps its own when it migrates at start-up.
    fileConfig(config.config_file_name)


def database_url():
    """DATABASE_URL, or the app's default SQLite file under instance/ (INSTANCE_PATH if set)."""
    instance = os.environ.get("INSTANCE_PATH") or Path(__file__).resolve().parents[1] / "instance"
    return os.environ.get("DATABASE_URL") or f"sqlite:///{Path(instance) / 'queue.db'}"


def run(connection):
    """Run the pending migrations on `connection`; SQLite needs batch mode to alter tables."""
    context.configure(connection=connection, target_metadata=Base.metadata, compare_type=True,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


def run_online():
    """Migrate through the app's connection when it lends one, else through a new engine."""
    connection = config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    engine = create_engine(database_url())
    with engine.connect() as connection:
        run(connection)
    engine.dispose()


if context.is_offline_mode():
    context.configure(url=database_url(), target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_online()
