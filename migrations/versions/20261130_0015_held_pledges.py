"""held pledges

Under moderation a new pledge linked to a published demand waits for an
admin: pledges.held_at is set until approved, held_reason says why not.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 04:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("pledges") as batch_op:
        batch_op.add_column(sa.Column("held_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("held_reason", sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table("pledges") as batch_op:
        batch_op.drop_column("held_reason")
        batch_op.drop_column("held_at")
