"""priority lanes: services.lanes and services.lane_state, start_list.category, tickets.category and
tickets.distance; tickets.seq is 64 bits

A service's lanes decide where a joiner goes in its queue (queue_app/rules/lanes.py); the seq that holds a fair
queue's turn and the join counter outgrows 32 bits. Tickets made before keep their seq: below every new joiner's,
they stay ahead, in their order.

Revision ID: e5c1a9d3b7f2
Revises: a7d3f5b9c1e2
Create Date: 2026-11-25 21:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "e5c1a9d3b7f2"
down_revision = "a7d3f5b9c1e2"
branch_labels = None
depends_on = None


def upgrade():
    """No service has lanes yet; nobody has a category until the start list is imported again."""
    inspector = sa.inspect(op.get_bind())
    services = {c["name"] for c in inspector.get_columns("services")}
    with op.batch_alter_table("services") as batch_op:
        if "lanes" not in services:
            batch_op.add_column(sa.Column("lanes", sa.Text(), nullable=False, server_default=""))
        if "lane_state" not in services:
            batch_op.add_column(sa.Column("lane_state", sa.Text(), nullable=False, server_default=""))
    if "category" not in {c["name"] for c in inspector.get_columns("start_list")}:
        with op.batch_alter_table("start_list") as batch_op:
            batch_op.add_column(sa.Column("category", sa.String(length=40), nullable=True))
    tickets = {c["name"]: c for c in inspector.get_columns("tickets")}
    with op.batch_alter_table("tickets") as batch_op:
        for name in ("category", "distance"):
            if name not in tickets:
                batch_op.add_column(sa.Column(name, sa.String(length=40), nullable=True))
        if not isinstance(tickets["seq"]["type"], sa.BigInteger):
            batch_op.alter_column("seq", type_=sa.BigInteger(), existing_type=sa.Integer(), existing_nullable=False)


def downgrade():
    """First come, first served: each waiting ticket's seq becomes its rank in its queue order, which fits 32 bits."""
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id FROM tickets ORDER BY seq, id")).all()
    for rank, (ticket_id,) in enumerate(rows, start=1):
        bind.execute(sa.text("UPDATE tickets SET seq = :rank WHERE id = :id").bindparams(rank=rank, id=ticket_id))
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.alter_column("seq", type_=sa.Integer(), existing_type=sa.BigInteger(), existing_nullable=False)
        batch_op.drop_column("distance")
        batch_op.drop_column("category")
    with op.batch_alter_table("start_list") as batch_op:
        batch_op.drop_column("category")
    with op.batch_alter_table("services") as batch_op:
        batch_op.drop_column("lane_state")
        batch_op.drop_column("lanes")
