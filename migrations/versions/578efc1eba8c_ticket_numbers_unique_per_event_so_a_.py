"""ticket numbers unique per event so a moved ticket keeps its number

Revision ID: 578efc1eba8c
Revises: 6b0b2f9c6742
Create Date: 2026-11-25 09:42:27.489585
"""

import sqlalchemy as sa
from alembic import op

revision = "578efc1eba8c"
down_revision = "6b0b2f9c6742"
branch_labels = None
depends_on = None


# The baseline made this constraint without a name: PostgreSQL named it itself, SQLite needs a convention to drop it.
OLD_NAMES = {"postgresql": "tickets_service_id_number_key", "sqlite": "uq_tickets_service_id_number"}
SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_N_name)s"}


def upgrade():
    """Ticket numbers unique per event (by label) instead of per service, so a moved ticket keeps its number."""
    bind = op.get_bind()
    old = [
        c for c in sa.inspect(bind).get_unique_constraints("tickets") if c["column_names"] == ["service_id", "number"]
    ]
    with op.batch_alter_table(
        "tickets", naming_convention=SQLITE_NAMES if bind.dialect.name == "sqlite" else None
    ) as batch_op:
        if old:  # a database made from the models of this revision (create_all) never had it
            batch_op.drop_constraint(old[0]["name"] or OLD_NAMES["sqlite"], type_="unique")
        batch_op.create_unique_constraint("uq_tickets_event_label", ["event_id", "label"])


def downgrade():
    """Back to numbers unique per service."""
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_constraint("uq_tickets_event_label", type_="unique")
        batch_op.create_unique_constraint("tickets_service_id_number_key", ["service_id", "number"])
