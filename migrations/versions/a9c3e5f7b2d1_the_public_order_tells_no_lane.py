"""the public order tells no lane: tickets.pub, indexed per service

The board, its deltas and the phones order waiting tickets by a public key instead of `seq`, whose turn part named
a priority lane's joiners (queue_app/rules/order_keys.py). Tickets made before keep their seq as their key: it
sorts like their seq, as it always did.

Revision ID: a9c3e5f7b2d1
Revises: e5c1a9d3b7f2
Create Date: 2026-12-01 22:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a9c3e5f7b2d1"
down_revision = "e5c1a9d3b7f2"
branch_labels = None
depends_on = None


def upgrade():
    """Every ticket's public key is its seq until it next enters a queue (a database made whole by create_all,
    before migrations, has the column and its index already)."""
    inspector = sa.inspect(op.get_bind())
    if "pub" not in {c["name"] for c in inspector.get_columns("tickets")}:
        with op.batch_alter_table("tickets") as batch_op:
            batch_op.add_column(sa.Column("pub", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                                          nullable=True))
    op.execute("UPDATE tickets SET pub = seq WHERE pub IS NULL")
    if "public_order" not in {i["name"] for i in inspector.get_indexes("tickets")}:
        op.create_index("public_order", "tickets", ["service_id", "pub"])


def downgrade():
    """The public order is seq again."""
    op.drop_index("public_order", table_name="tickets")
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_column("pub")
