"""runners read their own language: tickets.language, events.language (the event's default)

Revision ID: d8e4b2f6a193
Revises: c4e6a8b0d2f1
Create Date: 2026-11-25 19:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "d8e4b2f6a193"
down_revision = "c4e6a8b0d2f1"
branch_labels = None
depends_on = None


def upgrade():
    """Events speak English until their organiser says otherwise; tickets made before read the event's."""
    inspector = sa.inspect(op.get_bind())
    if "language" not in {c["name"] for c in inspector.get_columns("events")}:
        with op.batch_alter_table("events") as batch_op:
            batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=False, server_default="en"))
    if "language" not in {c["name"] for c in inspector.get_columns("tickets")}:
        with op.batch_alter_table("tickets") as batch_op:
            batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))


def downgrade():
    """One language for all."""
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("events") as batch_op:
        batch_op.drop_column("language")
