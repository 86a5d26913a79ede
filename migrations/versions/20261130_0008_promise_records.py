"""promise records: election results, append-only evidence entries, targets' answers to demands

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 03:50:00

Three new tables; nothing existing changes. Evidence and answers are
append-only: a correction is a new row whose corrects_id names the old one.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

RATINGS = "'not_yet_rated', 'in_the_works', 'kept', 'compromise', 'stalled', 'broken'"
KINDS = "'no_response', 'statement', 'meeting', 'policy_change', 'refusal'"


def upgrade():
    op.create_table(
        "election_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pledge_id", sa.Integer(), nullable=False),
        sa.Column("winner_id", sa.Integer(), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["pledge_id"],
            ["pledges.id"],
            name=op.f("fk_election_results_pledge_id_pledges"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["winner_id"],
            ["candidates.id"],
            name=op.f("fk_election_results_winner_id_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_election_results_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_election_results")),
        sa.UniqueConstraint("pledge_id", name=op.f("uq_election_results_pledge_id")),
    )

    op.create_table(
        "evidence_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=True),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=False),
        sa.Column("rating", sa.String(length=16), nullable=False),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(f"rating IN ({RATINGS})", name=op.f("ck_evidence_entries_rating_known")),
        sa.CheckConstraint(
            "(candidate_id IS NULL) <> (target_id IS NULL)",
            name=op.f("ck_evidence_entries_one_official"),
        ),
        sa.CheckConstraint(
            "length(summary) <= 2000", name=op.f("ck_evidence_entries_summary_length")
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_evidence_entries_candidate_id_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["targets.id"],
            name=op.f("fk_evidence_entries_target_id_targets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["corrects_id"],
            ["evidence_entries.id"],
            name=op.f("fk_evidence_entries_corrects_id_evidence_entries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_evidence_entries_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_entries")),
    )
    with op.batch_alter_table("evidence_entries") as batch_op:
        batch_op.create_index(
            "ix_evidence_entries_candidate_happened", ["candidate_id", "happened_on"]
        )
        batch_op.create_index("ix_evidence_entries_target_happened", ["target_id", "happened_on"])
        batch_op.create_index(batch_op.f("ix_evidence_entries_corrects_id"), ["corrects_id"])

    op.create_table(
        "target_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(f"kind IN ({KINDS})", name=op.f("ck_target_answers_kind_known")),
        sa.CheckConstraint(
            "kind = 'no_response' OR source_url IS NOT NULL",
            name=op.f("ck_target_answers_source_given"),
        ),
        sa.CheckConstraint(
            "length(summary) <= 2000", name=op.f("ck_target_answers_summary_length")
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_target_answers_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_target_answers_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_answers")),
    )
    with op.batch_alter_table("target_answers") as batch_op:
        batch_op.create_index("ix_target_answers_campaign_answered", ["campaign_id", "answered_on"])


def downgrade():
    op.drop_table("target_answers")
    op.drop_table("evidence_entries")
    op.drop_table("election_results")
