"""Mail waiting to be sent: written in the same transaction as its cause."""

from datetime import datetime

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
    subject: Mapped[str] = mapped_column(String(200))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # Fixed at queue time so a retry after an unacknowledged send carries the
    # same Message-ID, letting receiving servers drop the duplicate.
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    next_attempt_at: Mapped[datetime] = mapped_column(default=now)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    # A worker that claims a message owns it until this time.
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    # Set when the SMTP server refused the message permanently (5xx).
    failed_at: Mapped[datetime | None]

    @property
    def status(self) -> str:
        if self.sent_at is not None:
            return "sent"
        if self.failed_at is not None:
            return "failed"
        return "queued"

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.category} {self.status}>"
