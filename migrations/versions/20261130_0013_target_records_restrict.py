"""A target with evidence entries cannot be deleted: its record is append-only.

The foreign key from evidence entries to targets was ON DELETE CASCADE, so an
edit that dropped a target deleted what the record said about them. Now the
database refuses (RESTRICT); the editor refuses first with a message.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

FK = "fk_evidence_entries_target_id_targets"


def _point_target_fk(ondelete: str) -> None:
    # SQLite alters a constraint by copying the table (batch mode); PostgreSQL in place.
    with op.batch_alter_table("evidence_entries") as batch_op:
        batch_op.drop_constraint(op.f(FK), type_="foreignkey")
        batch_op.create_foreign_key(op.f(FK), "targets", ["target_id"], ["id"], ondelete=ondelete)


def upgrade() -> None:
    _point_target_fk("RESTRICT")


def downgrade() -> None:
    _point_target_fk("CASCADE")
