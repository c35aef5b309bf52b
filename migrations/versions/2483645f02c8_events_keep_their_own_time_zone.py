"""events keep their own time zone: events.time_zone

Revision ID: 2483645f02c8
Revises: b9d1f3a5c724
Create Date: 2026-11-26 10:00:00
"""

import sqlalchemy as sa
from alembic import op

from queue_app.clock import default_zone_name
from queue_app.clock import zone_names

revision = "2483645f02c8"
down_revision = "b9d1f3a5c724"
branch_labels = None
depends_on = None


def upgrade():
    """Events made before this read their opening hours on the server's clock: they keep that clock as their zone
    (EVENT_TIME_ZONE if set, else the server's own zone, else UTC), so no window moves by the upgrade."""
    if "time_zone" in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("events")}:
        return
    with op.batch_alter_table("events") as batch_op:
        batch_op.add_column(sa.Column("time_zone", sa.String(length=64), nullable=False, server_default="UTC"))
    zone = {name.casefold(): name for name in zone_names()}.get(default_zone_name().casefold())
    if zone is not None:  # a misspelt EVENT_TIME_ZONE leaves UTC here, and stops the server at start-up
        op.get_bind().execute(sa.text("UPDATE events SET time_zone = :zone"), {"zone": zone})


def downgrade():
    """Hours on the server's clock again."""
    with op.batch_alter_table("events") as batch_op:
        batch_op.drop_column("time_zone")
