"""priority lanes: services.lanes and services.turn, start_list.category, tickets.category and
tickets.distance; tickets.seq is 64 bits on PostgreSQL

A service's lanes decide where a joiner goes in its queue (queue_app/rules/lanes.py); the seq that holds a fair
queue's turn and the join counter outgrows 32 bits. SQLite's INTEGER has 64 bits already: widening it there would
rebuild the tickets table, which the audit log's rows point at. Tickets made before keep their seq: below every new
joiner's, they stay ahead, in their order.

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
        if "turn" not in services:
            batch_op.add_column(sa.Column("turn", sa.BigInteger(), nullable=False, server_default="0"))
    if "category" not in {c["name"] for c in inspector.get_columns("start_list")}:
        with op.batch_alter_table("start_list") as batch_op:
            batch_op.add_column(sa.Column("category", sa.String(length=40), nullable=True))
    tickets = {c["name"]: c for c in inspector.get_columns("tickets")}
    with op.batch_alter_table("tickets") as batch_op:
        for name in ("category", "distance"):
            if name not in tickets:
                batch_op.add_column(sa.Column(name, sa.String(length=40), nullable=True))
    if op.get_bind().dialect.name != "sqlite" and not isinstance(tickets["seq"]["type"], sa.BigInteger):
        op.alter_column("tickets", "seq", type_=sa.BigInteger(), existing_type=sa.Integer(), existing_nullable=False)


def downgrade():
    """First come, first served: each event's tickets get their rank in its queue order as seq (which fits 32 bits),
    and the event's next seq follows the last of them."""
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, event_id FROM tickets ORDER BY event_id, seq, id")).all()
    ranks = {}
    for ticket_id, event_id in rows:
        ranks[event_id] = ranks.get(event_id, 0) + 1
        bind.execute(sa.text("UPDATE tickets SET seq = :rank WHERE id = :id").bindparams(rank=ranks[event_id],
                                                                                         id=ticket_id))
    for event_id, last in ranks.items():
        bind.execute(sa.text("UPDATE events SET next_seq = :next WHERE id = :id").bindparams(next=last + 1,
                                                                                             id=event_id))
    if bind.dialect.name != "sqlite":
        op.alter_column("tickets", "seq", type_=sa.Integer(), existing_type=sa.BigInteger(), existing_nullable=False)
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_column("distance")
        batch_op.drop_column("category")
    with op.batch_alter_table("start_list") as batch_op:
        batch_op.drop_column("category")
    with op.batch_alter_table("services") as batch_op:
        batch_op.drop_column("turn")
        batch_op.drop_column("lanes")
