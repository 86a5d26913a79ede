"""local time zones and candidate photos

Each campaign and race shows its times in its own IANA zone; organizers can
upload a candidate's photo, stored re-encoded in candidate_photos.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 03:50:00

Existing rows take the server default, America/Chicago (the movement's first
cities: New Orleans, Dallas, Chicago); organizers can change it in the editors.
New rows get PETITION_DEFAULT_TIME_ZONE from the application.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TABLES = ("campaigns", "pledges")


def upgrade():
    op.create_table(
        "candidate_photos",
        sa.Column("candidate_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("content_type", sa.String(length=16), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("etag", sa.String(length=64), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "content_type IN ('image/jpeg', 'image/png')",
            name=op.f("ck_candidate_photos_content_type_known"),
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_candidate_photos_candidate_id_candidates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("candidate_id", name=op.f("pk_candidate_photos")),
    )
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
    op.drop_table("candidate_photos")
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("time_zone")
