"""runner texts in each language: events.texts (the announcement and where the medical tent is, per language) and
services.names (a service's name per language)

Service names and the announcement were shown in the organiser's words only, English on a German phone; the
medical referral from a table named no place. Each is now a JSON object {language: text}; empty means the
organiser's one text (in the event's language) everywhere.

Revision ID: b3e7c1d9f2a4
Revises: a9c3e5f7b2d1
Create Date: 2026-12-01 23:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "b3e7c1d9f2a4"
down_revision = "a9c3e5f7b2d1"
branch_labels = None
depends_on = None


def upgrade():
    """Nothing is translated yet: every event keeps the texts it has."""
    inspector = sa.inspect(op.get_bind())
    if "texts" not in {c["name"] for c in inspector.get_columns("events")}:
        with op.batch_alter_table("events") as batch_op:
            batch_op.add_column(sa.Column("texts", sa.JSON(), nullable=True))
    if "names" not in {c["name"] for c in inspector.get_columns("services")}:
        with op.batch_alter_table("services") as batch_op:
            batch_op.add_column(sa.Column("names", sa.JSON(), nullable=True))


def downgrade():
    """The translations go; the organiser's own texts stay."""
    with op.batch_alter_table("services") as batch_op:
        batch_op.drop_column("names")
    with op.batch_alter_table("events") as batch_op:
        batch_op.drop_column("texts")
