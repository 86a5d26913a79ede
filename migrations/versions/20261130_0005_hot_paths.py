"""hot paths: sharded signature counts, Markdown rendered when saved, mail rendered by the worker

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 00:30:00

- ``signature_count_shards`` replaces ``campaigns.signature_count``: a
  confirmation adds to shard ``signature id % 16``, so concurrent confirmations
  of one campaign no longer queue on one row. Each shard is filled from the
  confirmed signatures, which is exactly what the counter promised to hold.
  ``campaigns.last_signed_at`` was written on every confirmation (the same hot
  row) and read nowhere, so it goes.
- Every Markdown column gets a ``*_html`` twin holding its sanitized rendering,
  filled here with the application's own renderer (petition.markup). This is
  the one revision that imports application code: the HTML must be exactly
  what the app would store, under the sanitizer's current allow-list.
- Outbox messages may be stored unrendered, with the ids their renderer needs,
  and a claim carries a token, so a worker whose claim lapsed sends nothing.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SHARDS = 16
# (table, Markdown column, nullable)
MARKDOWN = [
    ("campaigns", "demand", False),
    ("campaigns", "victory_story", True),
    ("campaigns", "delivery_note", True),
    ("campaign_revisions", "demand", False),
    ("campaign_updates", "body", False),
    ("pledges", "text", False),
]


def upgrade():
    from petition.markup import render_markdown

    op.create_table(
        "signature_count_shards",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("shard", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("signatures", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "signatures >= 0", name=op.f("ck_signature_count_shards_signatures_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_signature_count_shards_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("campaign_id", "shard", name=op.f("pk_signature_count_shards")),
    )
    op.execute(
        "INSERT INTO signature_count_shards (campaign_id, shard, signatures) "
        f"SELECT campaign_id, id % {SHARDS}, count(*) FROM signatures "
        "WHERE confirmed_at IS NOT NULL AND withdrawn_at IS NULL "
        f"GROUP BY campaign_id, id % {SHARDS}"
    )
    with op.batch_alter_table("campaigns") as batch_op:
        batch_op.drop_constraint(op.f("ck_campaigns_signature_count_not_negative"), type_="check")
        batch_op.drop_column("signature_count")
        batch_op.drop_column("last_signed_at")

    connection = op.get_bind()
    for table, column, nullable in MARKDOWN:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column(f"{column}_html", sa.Text(), nullable=True))
        rows = connection.execute(
            sa.text(f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL")
        ).all()
        for row_id, source in rows:
            connection.execute(
                sa.text(f"UPDATE {table} SET {column}_html = :html WHERE id = :id"),
                {"html": str(render_markdown(source)), "id": row_id},
            )
        if not nullable:
            with op.batch_alter_table(table) as batch_op:
                batch_op.alter_column(f"{column}_html", existing_type=sa.Text(), nullable=False)

    with op.batch_alter_table("outbox_messages") as batch_op:
        batch_op.add_column(sa.Column("params", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("claim_token", sa.String(length=32), nullable=True))
    connection.execute(sa.text("UPDATE outbox_messages SET params = :empty"), {"empty": "{}"})
    with op.batch_alter_table("outbox_messages") as batch_op:
        batch_op.alter_column("params", existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column("subject", existing_type=sa.String(length=200), nullable=True)
        batch_op.alter_column("body_text", existing_type=sa.Text(), nullable=True)
        batch_op.alter_column("body_html", existing_type=sa.Text(), nullable=True)


def downgrade():
    connection = op.get_bind()
    _drop_waiting_mail(connection)
    with op.batch_alter_table("outbox_messages") as batch_op:
        batch_op.alter_column("subject", existing_type=sa.String(length=200), nullable=False)
        batch_op.alter_column("body_text", existing_type=sa.Text(), nullable=False)
        batch_op.alter_column("body_html", existing_type=sa.Text(), nullable=False)
        batch_op.drop_column("params")
        batch_op.drop_column("claim_token")

    for table, column, _ in reversed(MARKDOWN):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column(f"{column}_html")

    with op.batch_alter_table("campaigns") as batch_op:
        batch_op.add_column(
            sa.Column("signature_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("last_signed_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE campaigns SET signature_count = COALESCE((SELECT sum(signatures) "
        "FROM signature_count_shards WHERE campaign_id = campaigns.id), 0)"
    )
    with op.batch_alter_table("campaigns") as batch_op:
        batch_op.alter_column("signature_count", existing_type=sa.Integer(), server_default=None)
        batch_op.create_check_constraint(
            op.f("ck_campaigns_signature_count_not_negative"), "signature_count >= 0"
        )
    op.drop_table("signature_count_shards")


def _drop_waiting_mail(connection) -> None:
    """Drop the mail still waiting for the worker, and let its signers ask again at once.

    The old schema keeps rendered mail only, and a revision cannot render it:
    the app's models of today need not match this schema. So the waiting
    messages go, and their signatures forget when they were last mailed, so
    that signing again sends a fresh link immediately instead of being
    throttled. How many were dropped is printed for the operator.
    """
    waiting = sa.text(
        "SELECT count(*) FROM outbox_messages WHERE body_text IS NULL AND sent_at IS NULL"
    )
    dropped = connection.execute(waiting).scalar()
    connection.execute(
        sa.text(
            "UPDATE signatures SET last_mailed_at = NULL WHERE confirmed_at IS NULL "
            "AND withdrawn_at IS NULL AND last_mailed_at IS NOT NULL"
        )
    )
    connection.execute(sa.text("DELETE FROM outbox_messages WHERE body_text IS NULL"))
    if dropped:
        print(
            f"Dropped {dropped} unsent signing emails the old schema cannot hold; their "
            "signers get a fresh link at once when they sign again."
        )
