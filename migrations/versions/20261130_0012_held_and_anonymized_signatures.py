"""held and anonymized signatures: abuse holds kept and named; when retention erased a signer

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 04:00:00

Existing signatures are held by nothing, so every count stays as it is.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("signatures") as batch_op:
        batch_op.add_column(sa.Column("held_by", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("anonymized_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_signatures_campaign_held",
        "signatures",
        ["campaign_id", "held_by"],
        postgresql_where=sa.text("held_by IS NOT NULL"),
        sqlite_where=sa.text("held_by IS NOT NULL"),
    )


def downgrade():
    op.drop_index("ix_signatures_campaign_held", table_name="signatures")
    with op.batch_alter_table("signatures") as batch_op:
        batch_op.drop_column("anonymized_at")
        batch_op.drop_column("held_by")
