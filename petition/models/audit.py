"""The audit log: who did what to which campaign or pledge, and when. Append-only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DDL, JSON, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column

from petition.clock import now
from petition.models.base import Base


class AuditEvent(Base):
    """One organizer's or admin's action, as it happened.

    Rows are only ever inserted (``petition.audit.record``); a trigger refuses
    any UPDATE, and on PostgreSQL any DELETE except the one cascading from a
    deleted draft.
    ``detail`` never holds a supporter's personal data: ids and counts only.
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_campaign_id_id", "campaign_id", "id"),
        Index("ix_audit_events_pledge_id_id", "pledge_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=now)
    # Empty for the system (the CLI, a worker). No ON DELETE: an account with
    # a history is kept, since clearing the column would rewrite the log.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    # A deleted draft takes its few events with it (nothing public ever happened).
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    pledge_id: Mapped[int | None] = mapped_column(ForeignKey("pledges.id", ondelete="CASCADE"))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.action}>"


# The database itself refuses to rewrite history: the same statements run in
# the migration (0007) and when tests create the schema from the models.
# SQLite refuses UPDATE only: a DELETE trigger that tells a draft's cascade
# apart must name campaigns and pledges, and SQLite then fails every later
# migration that rebuilds either table (Alembic's batch mode renames them).
_ORPHANED = (
    "(OLD.campaign_id IS NULL OR NOT EXISTS (SELECT 1 FROM campaigns WHERE id = OLD.campaign_id))"
    " AND (OLD.pledge_id IS NULL OR NOT EXISTS (SELECT 1 FROM pledges WHERE id = OLD.pledge_id))"
    " AND (OLD.campaign_id IS NOT NULL OR OLD.pledge_id IS NOT NULL)"
)
APPEND_ONLY_SQLITE = [
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
]
APPEND_ONLY_POSTGRESQL = [
    "CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN IF TG_OP = 'DELETE' AND {_ORPHANED} THEN RETURN OLD; END IF; "
    "RAISE EXCEPTION 'audit_events is append-only'; END $$",
    "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
]
for _statement in APPEND_ONLY_SQLITE:
    event.listen(AuditEvent.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in APPEND_ONLY_POSTGRESQL:
    event.listen(
        AuditEvent.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql")
    )
