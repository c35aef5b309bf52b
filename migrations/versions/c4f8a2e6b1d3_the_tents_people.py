"""the tent's people: people (the roster), sign_ins (each tablet's staff sign-in), seats (who was at which table
when) and ticket_events.people (who was at the table for each move)

Revision ID: c4f8a2e6b1d3
Revises: b3e7c1d9f2a4
Create Date: 2026-12-01 22:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c4f8a2e6b1d3"
down_revision = "b3e7c1d9f2a4"
branch_labels = None
depends_on = None


def upgrade():
    """No roster yet: tables work as before, unnamed, until the organiser adds people."""
    inspector = sa.inspect(op.get_bind())
    tables = set(inspector.get_table_names())
    if "people" not in tables:
        op.create_table(
            "people",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("event_id", sa.Integer(), sa.ForeignKey("events.id"), nullable=False),
            sa.Column("name", sa.String(length=120), nullable=True),
            sa.Column("registration", sa.String(length=60), nullable=True),
            sa.Column("role", sa.String(length=12), nullable=False),
            sa.Column("group_name", sa.String(length=60), nullable=True),
            sa.Column("language", sa.String(length=8), nullable=True),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("removed_at", sa.DateTime(), nullable=True),
        )
        op.create_index("ix_people_event_id", "people", ["event_id"])
    if "sign_ins" not in tables:
        op.create_table(
            "sign_ins",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("event_id", sa.Integer(), sa.ForeignKey("events.id"), nullable=False),
            sa.Column("key", sa.String(length=32), nullable=False, unique=True),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("ended_at", sa.DateTime(), nullable=True),
        )
        op.create_index("ix_sign_ins_event_id", "sign_ins", ["event_id"])
    if "seats" not in tables:
        op.create_table(
            "seats",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("event_id", sa.Integer(), sa.ForeignKey("events.id"), nullable=False),
            sa.Column("table_id", sa.Integer(), sa.ForeignKey("massage_tables.id"), nullable=False),
            sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=False),
            sa.Column("sign_in_id", sa.Integer(), sa.ForeignKey("sign_ins.id"), nullable=True),
            sa.Column("since", sa.DateTime(), nullable=False),
            sa.Column("until", sa.DateTime(), nullable=True),
            sa.Column("break_seconds", sa.Integer(), nullable=False, server_default="0"),
            sa.Column("break_since", sa.DateTime(), nullable=True),
        )
        op.create_index("ix_seats_event_id", "seats", ["event_id"])
        op.create_index("seats_at_table", "seats", ["table_id", "until"])
        op.create_index("one_table_per_person", "seats", ["person_id"], unique=True,
                        sqlite_where=sa.text("until IS NULL"), postgresql_where=sa.text("until IS NULL"))
    if "people" not in {c["name"] for c in inspector.get_columns("ticket_events")}:
        with op.batch_alter_table("ticket_events") as batch_op:
            batch_op.add_column(sa.Column("people", sa.String(length=60), nullable=True))


def downgrade():
    """The roster and its history go; the queue stays."""
    with op.batch_alter_table("ticket_events") as batch_op:
        batch_op.drop_column("people")
    op.drop_table("seats")
    op.drop_table("sign_ins")
    op.drop_table("people")
