"""signing link nonces: a confirmation or withdrawal link acts only on the signing it was mailed for

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 02:40:00

Existing signatures keep an empty nonce, and their links (which carry none)
keep working; every new signing gets one.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("signatures") as batch_op:
        batch_op.add_column(sa.Column("token_nonce", sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table("signatures") as batch_op:
        batch_op.drop_column("token_nonce")
