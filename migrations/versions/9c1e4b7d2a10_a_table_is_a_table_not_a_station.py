"""a table is a table, not a station: stations -> massage_tables, tickets.station_id -> table_id

Revision ID: 9c1e4b7d2a10
Revises: 578efc1eba8c
Create Date: 2026-11-25 15:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "9c1e4b7d2a10"
down_revision = "578efc1eba8c"
branch_labels = None
depends_on = None

# PostgreSQL named these after the old table and column itself; SQLite keeps them inside the table's definition.
POSTGRES_NAMES = (
    ("CONSTRAINT", "massage_tables", "stations_pkey", "massage_tables_pkey"),
    ("CONSTRAINT", "massage_tables", "stations_event_id_number_key", "massage_tables_event_id_number_key"),
    ("CONSTRAINT", "massage_tables", "stations_event_id_fkey", "massage_tables_event_id_fkey"),
    ("CONSTRAINT", "tickets", "tickets_station_id_fkey", "tickets_table_id_fkey"),
)


def upgrade():
    """Rename the table and the column in place (both databases rename indexes and foreign keys with them)."""
    if "stations" not in sa.inspect(op.get_bind()).get_table_names():
        return  # a database made from the models of this revision (create_all) has the new names already
    op.execute("ALTER TABLE stations RENAME TO massage_tables")
    op.execute("ALTER TABLE tickets RENAME COLUMN station_id TO table_id")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER SEQUENCE stations_id_seq RENAME TO massage_tables_id_seq")
        for kind, table, old, new in POSTGRES_NAMES:
            op.execute(f"ALTER TABLE {table} RENAME {kind} {old} TO {new}")


def downgrade():
    """Back to stations and station_id."""
    if op.get_bind().dialect.name == "postgresql":
        for kind, table, old, new in POSTGRES_NAMES:
            op.execute(f"ALTER TABLE {table} RENAME {kind} {new} TO {old}")
        op.execute("ALTER SEQUENCE massage_tables_id_seq RENAME TO stations_id_seq")
    op.execute("ALTER TABLE tickets RENAME COLUMN table_id TO station_id")
    op.execute("ALTER TABLE massage_tables RENAME TO stations")
