"""organizer workflow: campaign owners, co-organizers, revisions, updates, delivery and victory

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 19:03:21.002607

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "campaign_organizers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("email_normalized", sa.String(length=254), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_organizers_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["users.id"],
            name=op.f("fk_campaign_organizers_invited_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_campaign_organizers_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_organizers")),
        sa.UniqueConstraint(
            "campaign_id",
            "email_normalized",
            name=op.f("uq_campaign_organizers_campaign_id_email_normalized"),
        ),
    )
    with op.batch_alter_table("campaign_organizers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_campaign_organizers_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "campaign_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("demand", sa.Text(), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_campaign_revisions_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_revisions_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_revisions")),
    )
    with op.batch_alter_table("campaign_revisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_campaign_revisions_campaign_id"), ["campaign_id"], unique=False
        )

    op.create_table(
        "campaign_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mailed_through_id", sa.Integer(), nullable=False),
        sa.Column("recipient_count", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_campaign_updates_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_updates_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_updates")),
    )
    with op.batch_alter_table("campaign_updates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_campaign_updates_campaign_id"), ["campaign_id"], unique=False
        )

    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("rejection_reason", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("won_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("victory_story", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("delivered_to", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("delivery_note", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_campaigns_owner_id"), ["owner_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_campaigns_owner_id_users"),
            "users",
            ["owner_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_campaigns_owner_id_users"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_campaigns_owner_id"))
        batch_op.drop_column("edited_at")
        batch_op.drop_column("delivery_note")
        batch_op.drop_column("delivered_to")
        batch_op.drop_column("delivered_at")
        batch_op.drop_column("victory_story")
        batch_op.drop_column("won_at")
        batch_op.drop_column("rejection_reason")
        batch_op.drop_column("owner_id")

    with op.batch_alter_table("campaign_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_updates_campaign_id"))

    op.drop_table("campaign_updates")
    with op.batch_alter_table("campaign_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_revisions_campaign_id"))

    op.drop_table("campaign_revisions")
    with op.batch_alter_table("campaign_organizers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_organizers_user_id"))

    op.drop_table("campaign_organizers")
