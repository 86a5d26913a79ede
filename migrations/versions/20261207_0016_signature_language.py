"""signature language

A signer's language (petition.i18n: "en", "es") is stored with the
signature, so the confirmation and updates are mailed in it. Signatures from
before languages were English.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 14:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("signatures") as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=8), server_default="en", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("signatures") as batch_op:
        batch_op.drop_column("language")
