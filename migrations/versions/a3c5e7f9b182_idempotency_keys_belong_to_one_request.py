"""idempotency keys belong to one sign-in, method, path and body: idempotent_results.request_hash

Revision ID: a3c5e7f9b182
Revises: f2b7d9e1a468
Create Date: 2026-11-25 16:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a3c5e7f9b182"
down_revision = "f2b7d9e1a468"
branch_labels = None
depends_on = None


def upgrade():
    """A digest of the request's body beside each stored answer (none for answers stored before)."""
    if "request_hash" not in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("idempotent_results")}:
        with op.batch_alter_table("idempotent_results") as batch_op:
            batch_op.add_column(sa.Column("request_hash", sa.String(length=64), nullable=True))


def downgrade():
    """Keys without their body's digest."""
    with op.batch_alter_table("idempotent_results") as batch_op:
        batch_op.drop_column("request_hash")
