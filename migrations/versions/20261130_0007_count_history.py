"""count history: hourly buckets of confirmations and withdrawals per campaign

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 03:50:00

``signature_count_hours`` holds, per campaign, UTC hour and count shard, how
many signatures were confirmed and how many counted ones were withdrawn. It is
filled here from the signatures themselves: each confirmed signature in the
hour of its ``confirmed_at``, each confirmed then withdrawn one also in the
hour of its ``withdrawn_at``. A signature withdrawn and signed again before
this revision keeps only its latest signing's history (the row was reused).
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SHARDS = 16


def _hour_of(column: str, dialect: str) -> str:
    if dialect == "postgresql":
        return f"date_trunc('hour', {column} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"
    # SQLite stores UTC as naive text in SQLAlchemy's format; keep that format.
    return f"strftime('%Y-%m-%d %H:00:00.000000', {column})"


def upgrade():
    op.create_table(
        "signature_count_hours",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("shard", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("confirmed", sa.Integer(), nullable=False),
        sa.Column("withdrawn", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "confirmed >= 0", name=op.f("ck_signature_count_hours_confirmed_not_negative")
        ),
        sa.CheckConstraint(
            "withdrawn >= 0", name=op.f("ck_signature_count_hours_withdrawn_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_signature_count_hours_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "campaign_id", "hour", "shard", name=op.f("pk_signature_count_hours")
        ),
    )
    dialect = op.get_bind().dialect.name
    confirmed_hour = _hour_of("confirmed_at", dialect)
    withdrawn_hour = _hour_of("withdrawn_at", dialect)
    op.execute(
        "INSERT INTO signature_count_hours (campaign_id, hour, shard, confirmed, withdrawn) "
        "SELECT campaign_id, hour, shard, sum(confirmed), sum(withdrawn) FROM ("
        f"  SELECT campaign_id, {confirmed_hour} AS hour, id % {SHARDS} AS shard,"
        "   1 AS confirmed, 0 AS withdrawn"
        "  FROM signatures WHERE confirmed_at IS NOT NULL"
        "  UNION ALL"
        f"  SELECT campaign_id, {withdrawn_hour}, id % {SHARDS}, 0, 1"
        "  FROM signatures WHERE confirmed_at IS NOT NULL AND withdrawn_at IS NOT NULL"
        ") AS events GROUP BY campaign_id, hour, shard"
    )


def downgrade():
    op.drop_table("signature_count_hours")
