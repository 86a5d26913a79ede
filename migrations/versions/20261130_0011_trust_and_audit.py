"""trust: audit log, session versions, held edits, link nonces, contacts, take-downs

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 03:50:00

The audit log's triggers are the ones the models attach to the table
(petition/models/audit.py), so tests built from the models and databases
built from migrations refuse the same statements.
"""

import sqlalchemy as sa
from alembic import op

from petition.models.audit import APPEND_ONLY_POSTGRESQL, APPEND_ONLY_SQLITE

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    # Existing invitations and candidates keep an empty nonce, and their links
    # (which carry none) keep working; every new row gets one.
    for table in ("campaign_organizers", "candidates"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("token_nonce", sa.String(length=16), nullable=True))
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), server_default="1", nullable=False)
        )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("pledge_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_audit_events_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_audit_events_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pledge_id"],
            ["pledges.id"],
            name=op.f("fk_audit_events_pledge_id_pledges"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index("ix_audit_events_campaign_id_id", "audit_events", ["campaign_id", "id"])
    op.create_index("ix_audit_events_pledge_id_id", "audit_events", ["pledge_id", "id"])
    op.create_table(
        "pending_campaign_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("demand", sa.Text(), nullable=False),
        sa.Column("demand_html", sa.Text(), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_pending_campaign_edits_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_pending_campaign_edits_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_campaign_edits")),
        sa.UniqueConstraint("campaign_id", name=op.f("uq_pending_campaign_edits_campaign_id")),
    )
    op.create_table(
        "candidate_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("contacted_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "method IN ('in_person', 'phone')", name=op.f("ck_candidate_contacts_method_known")
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_candidate_contacts_candidate_id_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_candidate_contacts_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_contacts")),
    )
    op.create_index(
        op.f("ix_candidate_contacts_candidate_id"), "candidate_contacts", ["candidate_id"]
    )
    with op.batch_alter_table("campaigns") as batch_op:
        batch_op.add_column(sa.Column("taken_down_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("take_down_reason", sa.String(length=500), nullable=True))
        batch_op.drop_constraint(op.f("ck_campaigns_status_known"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_campaigns_status_known"),
            "status IN ('draft', 'pending', 'live', 'closed', 'won', 'taken_down')",
        )
    with op.batch_alter_table("pledges") as batch_op:
        batch_op.add_column(sa.Column("taken_down_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("take_down_reason", sa.String(length=500), nullable=True))
    with op.batch_alter_table("campaign_updates") as batch_op:
        batch_op.add_column(sa.Column("held_at", sa.DateTime(timezone=True), nullable=True))
    dialect = op.get_bind().dialect.name
    statements = APPEND_ONLY_POSTGRESQL if dialect == "postgresql" else APPEND_ONLY_SQLITE
    for statement in statements:
        op.execute(statement)


def downgrade():
    with op.batch_alter_table("campaign_updates") as batch_op:
        batch_op.drop_column("held_at")
    with op.batch_alter_table("pledges") as batch_op:
        batch_op.drop_column("take_down_reason")
        batch_op.drop_column("taken_down_at")
    # The old schema knows no take-downs: such a demand becomes closed.
    op.execute("UPDATE campaigns SET status = 'closed' WHERE status = 'taken_down'")
    with op.batch_alter_table("campaigns") as batch_op:
        batch_op.drop_constraint(op.f("ck_campaigns_status_known"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_campaigns_status_known"),
            "status IN ('draft', 'pending', 'live', 'closed', 'won')",
        )
        batch_op.drop_column("take_down_reason")
        batch_op.drop_column("taken_down_at")
    op.drop_index(op.f("ix_candidate_contacts_candidate_id"), table_name="candidate_contacts")
    op.drop_table("candidate_contacts")
    for table in ("campaign_organizers", "candidates"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("token_nonce")
    op.drop_table("pending_campaign_edits")
    op.drop_index("ix_audit_events_pledge_id_id", table_name="audit_events")
    op.drop_index("ix_audit_events_campaign_id_id", table_name="audit_events")
    op.drop_table("audit_events")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION audit_events_append_only()")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("session_version")
