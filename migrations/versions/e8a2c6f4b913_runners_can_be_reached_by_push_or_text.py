"""runners can be reached by Web Push or text message: runner_alerts

Revision ID: e8a2c6f4b913
Revises: d5f1a8c3e620
Create Date: 2026-11-25 16:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "e8a2c6f4b913"
down_revision = "d5f1a8c3e620"
branch_labels = None
depends_on = None


def upgrade():
    """Push subscriptions and phone numbers, per ticket."""
    if "runner_alerts" in sa.inspect(op.get_bind()).get_table_names():
        return  # made from the models of this revision (create_all)
    op.create_table(
        "runner_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("p256dh", sa.String(length=200), nullable=True),
        sa.Column("auth", sa.String(length=100), nullable=True),
        sa.Column("close_at", sa.Integer(), nullable=False),
        sa.Column("close_sent", sa.Boolean(), nullable=False),
        sa.Column("turn_sent", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"]),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ticket_id", "kind", "address"),
    )
    op.create_index(op.f("ix_runner_alerts_event_id"), "runner_alerts", ["event_id"])
    op.create_index(op.f("ix_runner_alerts_ticket_id"), "runner_alerts", ["ticket_id"])


def downgrade():
    """No way to reach runners away from the page."""
    op.drop_index(op.f("ix_runner_alerts_ticket_id"), table_name="runner_alerts")
    op.drop_index(op.f("ix_runner_alerts_event_id"), table_name="runner_alerts")
    op.drop_table("runner_alerts")
