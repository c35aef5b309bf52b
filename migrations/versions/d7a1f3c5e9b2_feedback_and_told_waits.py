"""the day's story: feedback (one tap after the massage: a face and an optional comment) and tickets.told_low,
told_high, told_minutes (the wait a runner was told when they joined, to hold against what followed)

Revision ID: d7a1f3c5e9b2
Revises: c4f8a2e6b1d3
Create Date: 2026-12-01 23:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "d7a1f3c5e9b2"
down_revision = "c4f8a2e6b1d3"
branch_labels = None
depends_on = None


def upgrade():
    """Tickets from before keep no told wait: the report counts only those that have one."""
    inspector = sa.inspect(op.get_bind())
    if "feedback" not in inspector.get_table_names():
        op.create_table(
            "feedback",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("event_id", sa.Integer(), sa.ForeignKey("events.id"), nullable=False),
            sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id"), nullable=False, unique=True),
            sa.Column("rating", sa.Integer(), nullable=False),
            sa.Column("comment", sa.String(length=280), nullable=True),
            sa.Column("at", sa.DateTime(), nullable=False),
        )
        op.create_index("ix_feedback_event_id", "feedback", ["event_id"])
    columns = {c["name"] for c in inspector.get_columns("tickets")}
    with op.batch_alter_table("tickets") as batch_op:
        for name in ("told_low", "told_high", "told_minutes"):
            if name not in columns:
                batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))


def downgrade():
    """The feedback and the told waits go."""
    with op.batch_alter_table("tickets") as batch_op:
        for name in ("told_minutes", "told_high", "told_low"):
            batch_op.drop_column(name)
    op.drop_table("feedback")
