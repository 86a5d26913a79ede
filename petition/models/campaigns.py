"""Campaigns (demands), the people they are aimed at, and their signatures."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from petition.clock import now
from petition.models.base import Base


class CampaignStatus(enum.StrEnum):
    DRAFT = "draft"
    PENDING = "pending"  # waiting for moderation
    LIVE = "live"
    CLOSED = "closed"
    WON = "won"


PUBLIC_STATUSES = (CampaignStatus.LIVE, CampaignStatus.CLOSED, CampaignStatus.WON)


class Campaign(Base):
    __tablename__ = "campaigns"
    __table_args__ = (
        CheckConstraint(
            "status IN ('draft', 'pending', 'live', 'closed', 'won')", name="status_known"
        ),
        CheckConstraint("signature_count >= 0", name="signature_count_not_negative"),
        CheckConstraint("signature_goal > 0", name="signature_goal_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    # Markdown, rendered and sanitized by petition.markup on display.
    demand: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=CampaignStatus.DRAFT, index=True)
    signature_goal: Mapped[int] = mapped_column(default=1000)
    # Confirmed, not withdrawn signatures; kept in step by petition.signing.services
    # in the same transaction as the change, so reading it never scans signatures.
    signature_count: Mapped[int] = mapped_column(default=0)
    zip_required: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
    published_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    last_signed_at: Mapped[datetime | None]
    # Organizer workflow (petition.organizers). Demo and legacy campaigns have
    # no owner; only organizers reach a campaign through the dashboard.
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # Why a moderator sent the campaign back to draft; cleared on the next publish.
    rejection_reason: Mapped[str | None] = mapped_column(String(500))
    won_at: Mapped[datetime | None]
    victory_story: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None]
    delivered_to: Mapped[str | None] = mapped_column(String(200))
    delivery_note: Mapped[str | None] = mapped_column(Text)
    # When the demand or targets last changed after people had signed; the
    # earlier wording is kept in campaign_revisions.
    edited_at: Mapped[datetime | None]

    targets: Mapped[list[Target]] = relationship(
        back_populates="campaign",
        order_by="Target.position",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_open(self) -> bool:
        """Whether the campaign accepts signatures right now."""
        if self.status != CampaignStatus.LIVE:
            return False
        return self.closes_at is None or now() < self.closes_at

    @property
    def progress_percent(self) -> int:
        return min(100, self.signature_count * 100 // self.signature_goal)

    @property
    def primary_target(self) -> Target | None:
        return self.targets[0] if self.targets else None

    def __repr__(self) -> str:
        return f"<Campaign {self.slug!r} {self.status}>"


class Target(Base):
    """A person a campaign is aimed at: a prosecutor or a candidate for the office."""

    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(120))
    office: Mapped[str] = mapped_column(String(160))
    jurisdiction: Mapped[str] = mapped_column(String(160))
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(500))

    campaign: Mapped[Campaign] = relationship(back_populates="targets")


class Signature(Base):
    __tablename__ = "signatures"
    __table_args__ = (
        # The backstop for "one person, one signature": services check first,
        # this makes a race between two requests harmless.
        UniqueConstraint("campaign_id", "email_normalized"),
        # Recent public signers and activity ranking read this index.
        Index("ix_signatures_campaign_confirmed", "campaign_id", "confirmed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    email_normalized: Mapped[str] = mapped_column(String(254))
    zip_code: Mapped[str | None] = mapped_column(String(5))
    comment: Mapped[str | None] = mapped_column(String(500))
    wants_updates: Mapped[bool] = mapped_column(default=False)
    show_publicly: Mapped[bool] = mapped_column(default=False)
    # HMAC of the client address (petition.netaddr); the raw address is never stored.
    ip_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=now)
    confirmed_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    # When we last mailed this address about this campaign (confirm link or
    # "already signed"); throttles repeat mail to a stranger's inbox.
    last_mailed_at: Mapped[datetime | None]
    unsubscribed_at: Mapped[datetime | None]

    campaign: Mapped[Campaign] = relationship()

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None and self.withdrawn_at is None

    @property
    def public_name(self) -> str:
        """First name and last initial: "Maria S."."""
        parts = self.name.split()
        if not parts:
            return "Anonymous"
        if len(parts) == 1:
            return parts[0]
        return f"{parts[0]} {parts[-1][0]}."

    @property
    def zip_area(self) -> str | None:
        """The first three ZIP digits, which name a region rather than a street."""
        return f"{self.zip_code[:3]}xx" if self.zip_code else None

    def __repr__(self) -> str:
        return f"<Signature {self.id} campaign={self.campaign_id}>"
