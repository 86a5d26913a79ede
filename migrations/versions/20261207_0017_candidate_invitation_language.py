"""candidate invitation language

The organizer chooses the language a candidate's invitation is mailed in;
reminders follow it. Candidates invited before this were mailed in English.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 14:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("candidates") as batch_op:
        batch_op.add_column(
            sa.Column(
                "invitation_language", sa.String(length=2), nullable=False, server_default="en"
            )
        )


def downgrade():
    with op.batch_alter_table("candidates") as batch_op:
        batch_op.drop_column("invitation_language")
