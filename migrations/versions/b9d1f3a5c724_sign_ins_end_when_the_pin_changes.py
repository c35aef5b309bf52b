"""sign-ins end when the PIN changes: events.staff_generation

Revision ID: b9d1f3a5c724
Revises: a3c5e7f9b182
Create Date: 2026-11-25 16:55:00
"""

import sqlalchemy as sa
from alembic import op

revision = "b9d1f3a5c724"
down_revision = "a3c5e7f9b182"
branch_labels = None
depends_on = None


def upgrade():
    """Every event starts at generation 0 (tablets signed in before this carry none, and sign in again)."""
    if "staff_generation" not in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("events")}:
        with op.batch_alter_table("events") as batch_op:
            batch_op.add_column(sa.Column("staff_generation", sa.Integer(), nullable=False, server_default="0"))


def downgrade():
    """Sign-ins that never end."""
    with op.batch_alter_table("events") as batch_op:
        batch_op.drop_column("staff_generation")
