"""tables take turns between services (massage_tables.last_service); a service's pace from its latest massages

Revision ID: b7e2d4a91c35
Revises: 9c1e4b7d2a10
Create Date: 2026-11-25 15:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "b7e2d4a91c35"
down_revision = "9c1e4b7d2a10"
branch_labels = None
depends_on = None


def upgrade():
    """The service each table called from last (none yet: its next call starts with the first service), and an
    index for each service's latest finished massages."""
    inspector = sa.inspect(op.get_bind())
    # A database made from the models of this revision (create_all) has both already.
    if "last_service" not in {c["name"] for c in inspector.get_columns("massage_tables")}:
        with op.batch_alter_table("massage_tables") as batch_op:
            batch_op.add_column(sa.Column("last_service", sa.String(length=20), nullable=True))
    if "finished" not in {i["name"] for i in inspector.get_indexes("tickets")}:
        op.create_index("finished", "tickets", ["service_id", "status", "ended_at"])


def downgrade():
    """Tables without turns."""
    op.drop_index("finished", table_name="tickets")
    with op.batch_alter_table("massage_tables") as batch_op:
        batch_op.drop_column("last_service")
