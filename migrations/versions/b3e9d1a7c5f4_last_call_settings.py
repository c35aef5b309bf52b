"""last call: services.keep_open (keep taking runners past the tent's reach), services.last_join_at (a fixed
last-join time on the event's clock) and services.surge_minutes (the wait past which the dashboard says how many
tables would bring it back)

Revision ID: b3e9d1a7c5f4
Revises: d7a1f3c5e9b2
Create Date: 2026-12-02 01:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "b3e9d1a7c5f4"
down_revision = "d7a1f3c5e9b2"
branch_labels = None
depends_on = None


def upgrade():
    """Services from before close to new runners at their reach, with no fixed last-join time and no surge hint."""
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("services")}
    with op.batch_alter_table("services") as batch_op:
        if "keep_open" not in columns:
            batch_op.add_column(sa.Column("keep_open", sa.Boolean(), nullable=False, server_default="0"))
        if "last_join_at" not in columns:
            batch_op.add_column(sa.Column("last_join_at", sa.Time(), nullable=True))
        if "surge_minutes" not in columns:
            batch_op.add_column(sa.Column("surge_minutes", sa.Integer(), nullable=True))


def downgrade():
    """The three settings go."""
    with op.batch_alter_table("services") as batch_op:
        batch_op.drop_column("surge_minutes")
        batch_op.drop_column("last_join_at")
        batch_op.drop_column("keep_open")
