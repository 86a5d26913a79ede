"""held public content: victory stories, delivery notes, answers, evidence and photos wait

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 05:00:00

Under PETITION_MODERATION, organizer-written public content is stored with a
``held_at`` time and no public reader shows it until a moderator approves it.
Existing rows were public already, so every column starts NULL (not held).
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

HELD = {
    "campaigns": ("victory_story_held_at", "delivery_note_held_at"),
    "target_answers": ("held_at",),
    "evidence_entries": ("held_at",),
    "candidate_photos": ("held_at",),
}


def upgrade():
    for table, columns in HELD.items():
        with op.batch_alter_table(table) as batch_op:
            for column in columns:
                batch_op.add_column(sa.Column(column, sa.DateTime(timezone=True), nullable=True))


def downgrade():
    for table, columns in HELD.items():
        with op.batch_alter_table(table) as batch_op:
            for column in reversed(columns):
                batch_op.drop_column(column)
