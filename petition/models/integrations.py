"""What other tools use: organizer API keys, paper signatures and signed webhooks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from petition.clock import now
from petition.models.base import Base


class ApiKey(Base):
    """An organizer's key for the API: stored as a hash, shown once.

    The token reads ``ptn_<prefix>_<secret>``; ``prefix`` finds the row, and
    the SHA-256 of the whole token is compared in constant time.
    """

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=now)
    revoked_at: Mapped[datetime | None]

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class PaperSignature(Base):
    """A signature collected on paper without an email address, vouched for by an organizer.

    It is never part of the online count: the campaign shows it in a separate
    "paper, verified by organizer" tally (``Campaign.paper_signature_count``).
    """

    __tablename__ = "paper_signatures"
    __table_args__ = (
        # A script that retries after a lost answer sends the same reference
        # (the sheet and line): the signature is recorded, and counted, once.
        UniqueConstraint("campaign_id", "reference"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    zip_code: Mapped[str | None] = mapped_column(String(5))
    comment: Mapped[str | None] = mapped_column(String(500))
    # The organizer's own reference for the entry, like "rally-0303/sheet-4/line-12".
    reference: Mapped[str | None] = mapped_column(String(100))
    # Who vouched for it; kept when the organizer's account goes.
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=now)


class WebhookEndpoint(Base):
    """An HTTPS address an organizer asked us to tell about their campaigns' events."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    # The HMAC key, shown once; it must be stored as is to sign with it.
    secret: Mapped[str] = mapped_column(String(64))
    # Space-separated event types this endpoint wants.
    events: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=now)
    disabled_at: Mapped[datetime | None]

    @property
    def event_list(self) -> list[str]:
        return self.events.split()


class WebhookDelivery(Base):
    """One event for one endpoint: its fixed body, and how delivering it went.

    The body is written once, when the event happens, in the same
    transaction; every retry posts the same bytes under the same event id.
    """

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_due", "delivered_at", "failed_at", "next_attempt_at"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        # One event reaches one endpoint once: an event emitted twice (a
        # milestone two confirmations both saw) is queued only the first time.
        UniqueConstraint("endpoint_id", "event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[str] = mapped_column(String(40))
    event_type: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)
    next_attempt_at: Mapped[datetime] = mapped_column(default=now)
    attempts: Mapped[int] = mapped_column(default=0)
    last_status: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    claimed_until: Mapped[datetime | None]
    claim_token: Mapped[str | None] = mapped_column(String(32))
    delivered_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]

    @property
    def status(self) -> str:
        if self.delivered_at is not None:
            return "delivered"
        if self.failed_at is not None:
            return "failed"
        return "retrying" if self.attempts else "queued"
