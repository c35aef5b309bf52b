"""runners may let others go first: services.step_back_places, tickets.stepped_back

Revision ID: f2b7d9e1a468
Revises: e8a2c6f4b913
Create Date: 2026-11-25 16:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "f2b7d9e1a468"
down_revision = "e8a2c6f4b913"
branch_labels = None
depends_on = None


def upgrade():
    """Up to 3 places by default; no runner has stepped back yet."""
    inspector = sa.inspect(op.get_bind())
    if "step_back_places" not in {c["name"] for c in inspector.get_columns("services")}:
        with op.batch_alter_table("services") as batch_op:
            batch_op.add_column(sa.Column("step_back_places", sa.Integer(), nullable=False, server_default="3"))
    if "stepped_back" not in {c["name"] for c in inspector.get_columns("tickets")}:
        with op.batch_alter_table("tickets") as batch_op:
            batch_op.add_column(sa.Column("stepped_back", sa.Integer(), nullable=False, server_default="0"))


def downgrade():
    """No stepping back."""
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_column("stepped_back")
    with op.batch_alter_table("services") as batch_op:
        batch_op.drop_column("step_back_places")
