"""a start list comes into force in one change: start_list (was runners) with generation, and
events.start_list_generation

An import writes its lines a batch at a time under a new generation and then switches the event to it, so no
transaction is long and joins never see half a list.

Revision ID: c4e6a8b0d2f1
Revises: 2483645f02c8
Create Date: 2026-11-25 18:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c4e6a8b0d2f1"
down_revision = "2483645f02c8"
branch_labels = None
depends_on = None

LINE_COLUMNS = "id, event_id, bib, first_name, last_name, distance"


def _tables():
    return set(sa.inspect(op.get_bind()).get_table_names())


def upgrade():
    """Move the start list into `start_list` as generation 0, which every event has in force."""
    if "start_list_generation" not in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("events")}:
        with op.batch_alter_table("events") as batch_op:
            batch_op.add_column(sa.Column("start_list_generation", sa.Integer(), nullable=False, server_default="0"))
    if "start_list" in _tables():
        return  # made by create_all with the current models
    op.create_table(
        "start_list",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("bib", sa.String(length=10), nullable=False),
        sa.Column("first_name", sa.String(length=80), nullable=False),
        sa.Column("last_name", sa.String(length=80), nullable=True),
        sa.Column("distance", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "generation", "bib", name="uq_start_list_event_generation_bib"),
    )
    op.create_index("ix_start_list_event_id", "start_list", ["event_id"])
    if "runners" in _tables():
        op.execute(f"INSERT INTO start_list ({LINE_COLUMNS}, generation) SELECT {LINE_COLUMNS}, 0 FROM runners")
        op.drop_table("runners")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('start_list', 'id'), COALESCE(MAX(id), 0) + 1, false) "
                   "FROM start_list")


def downgrade():
    """Back to one list per event: the lines in force stay, other generations go."""
    op.create_table(
        "runners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("bib", sa.String(length=10), nullable=False),
        sa.Column("first_name", sa.String(length=80), nullable=False),
        sa.Column("last_name", sa.String(length=80), nullable=True),
        sa.Column("distance", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "bib"),
    )
    op.create_index("ix_runners_event_id", "runners", ["event_id"])
    in_force = ", ".join("s." + column.strip() for column in LINE_COLUMNS.split(","))
    op.execute(f"INSERT INTO runners ({LINE_COLUMNS}) SELECT {in_force} "
               "FROM start_list s JOIN events e ON e.id = s.event_id AND e.start_list_generation = s.generation")
    op.drop_table("start_list")
    with op.batch_alter_table("events") as batch_op:
        batch_op.drop_column("start_list_generation")
