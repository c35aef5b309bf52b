"""a called runner can say they are on the way: tickets.on_way_at

Revision ID: d5f1a8c3e620
Revises: b7e2d4a91c35
Create Date: 2026-11-25 15:55:00
"""

import sqlalchemy as sa
from alembic import op

revision = "d5f1a8c3e620"
down_revision = "b7e2d4a91c35"
branch_labels = None
depends_on = None


def upgrade():
    """When the called runner pressed "I'm on my way" (none yet)."""
    if "on_way_at" not in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("tickets")}:
        with op.batch_alter_table("tickets") as batch_op:
            batch_op.add_column(sa.Column("on_way_at", sa.DateTime(), nullable=True))


def downgrade():
    """Runners without "on my way"."""
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_column("on_way_at")
