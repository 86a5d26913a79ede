"""local time zones: each campaign and race shows its times in its own IANA zone

Revision ID: 0012
Revises: 0006
Create Date: 2026-11-30 03:50:00

Existing rows take the server default, America/Chicago (the movement's first
cities: New Orleans, Dallas, Chicago); organizers can change it in the editors.
New rows get PETITION_DEFAULT_TIME_ZONE from the application.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = ("campaigns", "pledges")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(
                sa.Column(
                    "time_zone",
                    sa.String(length=64),
                    server_default="America/Chicago",
                    nullable=False,
                )
            )


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("time_zone")
