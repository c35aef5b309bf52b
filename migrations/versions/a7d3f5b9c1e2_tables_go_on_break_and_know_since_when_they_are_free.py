"""tables go on break and know since when they are free: massage_tables.on_break, massage_tables.free_since

A table on break keeps its therapist's sign-in (staffed) but counts toward no wait; free_since is the idle-table
alarm's clock.

Revision ID: a7d3f5b9c1e2
Revises: d8e4b2f6a193
Create Date: 2026-11-26 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a7d3f5b9c1e2"
down_revision = "d8e4b2f6a193"
branch_labels = None
depends_on = None


def upgrade():
    """No table is on break; a table's idle clock starts when it is next taken, resumed or freed."""
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("massage_tables")}
    with op.batch_alter_table("massage_tables") as batch_op:
        if "on_break" not in columns:
            batch_op.add_column(sa.Column("on_break", sa.Boolean(), nullable=False, server_default=sa.false()))
        if "free_since" not in columns:
            batch_op.add_column(sa.Column("free_since", sa.DateTime(), nullable=True))


def downgrade():
    """Tables without breaks of their own nor an idle clock: a table on break becomes not staffed, as breaks were."""
    op.execute(sa.text("UPDATE massage_tables SET staffed = :no WHERE on_break = :yes").bindparams(no=False, yes=True))
    with op.batch_alter_table("massage_tables") as batch_op:
        batch_op.drop_column("free_since")
        batch_op.drop_column("on_break")
