"""Mail waiting to be sent: written in the same transaction as its cause."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from petition.clock import now
from petition.models.base import Base


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "sent_at", "failed_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # What kind of mail this is ("confirm_signature"); for the dev mailbox and metrics.
    category: Mapped[str] = mapped_column(String(40))
    to_address: Mapped[str] = mapped_column(String(254))
    # Empty until rendered. Mail queued by a hot path (signing) carries only
    # ``params`` and is rendered by the worker; other mail is rendered at once.
    subject: Mapped[str | None] = mapped_column(String(200))
    body_text: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    # What the category's renderer needs to write the message: ids, never text.
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # Fixed at queue time so a retry after an unacknowledged send carries the
    # same Message-ID, letting receiving servers drop the duplicate.
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    next_attempt_at: Mapped[datetime] = mapped_column(default=now)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    # A worker that claims a message owns it until this time; the token says
    # which claim it is, so a worker whose claim lapsed cannot send it again.
    claimed_until: Mapped[datetime | None]
    claim_token: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None]
    # Set when the SMTP server refused the message permanently (5xx).
    failed_at: Mapped[datetime | None]

    @property
    def is_rendered(self) -> bool:
        return self.body_text is not None

    @property
    def status(self) -> str:
        if self.sent_at is not None:
            return "sent"
        if self.failed_at is not None:
            return "failed"
        return "queued"

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.category} {self.status}>"
