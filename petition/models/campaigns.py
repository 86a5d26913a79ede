"""Campaigns (demands), the people they are aimed at, and their signatures."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from markupsafe import Markup
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
    text,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship, validates

from petition.clock import now
from petition.localtime import FALLBACK_ZONE, default_zone_name
from petition.markup import render_markdown
from petition.models.base import Base, SanitizedHTML


class CampaignStatus(enum.StrEnum):
    DRAFT = "draft"
    PENDING = "pending"  # waiting for moderation
    LIVE = "live"
    CLOSED = "closed"
    WON = "won"
    # An admin took it down (petition.takedown): the public address shows a notice.
    TAKEN_DOWN = "taken_down"


PUBLIC_STATUSES = (CampaignStatus.LIVE, CampaignStatus.CLOSED, CampaignStatus.WON)
# The goal a new demand or pledge starts with, until its organizers set one.
DEFAULT_GOAL = 1000


def accepts_signatures(status: str, closes_at: datetime | None) -> bool:
    """Whether a campaign with this status and closing time is open right now."""
    if status != CampaignStatus.LIVE:
        return False
    return closes_at is None or now() < closes_at


class OpenOrNot:
    """``is_public`` and ``is_open``, from a ``status`` and a ``closes_at``.

    For ``Campaign``, and for the rows the hot paths read instead of loading
    one (``petition.signing.services``).
    """

    __slots__ = ()

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES  # type: ignore[attr-defined]

    @property
    def is_open(self) -> bool:
        """Whether the campaign accepts signatures right now."""
        return accepts_signatures(self.status, self.closes_at)  # type: ignore[attr-defined]


class Campaign(OpenOrNot, Base):
    __tablename__ = "campaigns"
    __table_args__ = (
        CheckConstraint(
            "status IN ('draft', 'pending', 'live', 'closed', 'won', 'taken_down')",
            name="status_known",
        ),
        CheckConstraint("signature_goal > 0", name="signature_goal_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    # Markdown; ``demand_html`` is its sanitized rendering, made when it is set.
    demand: Mapped[str] = mapped_column(Text)
    demand_html: Mapped[Markup] = mapped_column(SanitizedHTML)
    status: Mapped[str] = mapped_column(String(16), default=CampaignStatus.DRAFT, index=True)
    signature_goal: Mapped[int] = mapped_column(default=DEFAULT_GOAL)
    zip_required: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
    published_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # Organizer workflow (petition.organizers). Demo and legacy campaigns have
    # no owner; only organizers reach a campaign through the dashboard.
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # Why a moderator sent the campaign back to draft; cleared on the next publish.
    rejection_reason: Mapped[str | None] = mapped_column(String(500))
    won_at: Mapped[datetime | None]
    victory_story: Mapped[str | None] = mapped_column(Text)
    victory_story_html: Mapped[Markup | None] = mapped_column(SanitizedHTML)
    delivered_at: Mapped[datetime | None]
    delivered_to: Mapped[str | None] = mapped_column(String(200))
    delivery_note: Mapped[str | None] = mapped_column(Text)
    delivery_note_html: Mapped[Markup | None] = mapped_column(SanitizedHTML)
    # Under PETITION_MODERATION the story and the note wait for a moderator
    # (petition.organizers.held_content): while set, no public reader shows them.
    victory_story_held_at: Mapped[datetime | None]
    delivery_note_held_at: Mapped[datetime | None]
    # When the demand or targets last changed after people had signed; the
    # earlier wording is kept in campaign_revisions.
    edited_at: Mapped[datetime | None]
    # Signatures collected on paper without an email, vouched for by an
    # organizer (petition.apikeys.paper): shown beside the count, never in it.
    paper_signature_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # IANA name its pages and mail show times in (petition.localtime).
    time_zone: Mapped[str] = mapped_column(
        String(64), default=default_zone_name, server_default=FALLBACK_ZONE
    )
    # Set with status taken_down; the public notice shows both.
    taken_down_at: Mapped[datetime | None]
    take_down_reason: Mapped[str | None] = mapped_column(String(500))

    # Loaded when used; lists of campaigns load them with selectinload, so a
    # signature or a count never pays for the targets.
    targets: Mapped[list[Target]] = relationship(
        back_populates="campaign",
        order_by="Target.position",
        cascade="all, delete-orphan",
    )

    if TYPE_CHECKING:
        # Confirmed, not withdrawn signatures: the sum of the campaign's count
        # shards, read in the same SELECT as the campaign (mapped below).
        signature_count: int

    @validates("demand", "victory_story", "delivery_note")
    def _render_markdown(self, key: str, value: str | None) -> str | None:
        setattr(self, f"{key}_html", None if value is None else render_markdown(value))
        return value

    @property
    def public_victory_story_html(self) -> Markup | None:
        """The story as the public may read it: None while it waits for review."""
        return None if self.victory_story_held_at else self.victory_story_html

    @property
    def public_delivery_note_html(self) -> Markup | None:
        """The delivery note as the public may read it: None while it waits for review."""
        return None if self.delivery_note_held_at else self.delivery_note_html

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
        # Held signatures are few: a partial index finds them without
        # touching the rest (the public "held for review" figure, the dashboard).
        Index(
            "ix_signatures_campaign_held",
            "campaign_id",
            "held_by",
            postgresql_where=text("held_by IS NOT NULL"),
            sqlite_where=text("held_by IS NOT NULL"),
        ),
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
    # New with each signing (the first, and each after a withdrawal), and part
    # of the links mailed for it: a link acts on the signing it was sent for,
    # never on a later one, nor on another signature that reuses this row's id.
    # Empty on signatures from before nonces, whose links carry none.
    token_nonce: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=now)
    confirmed_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    # The abuse rule this signing tripped (petition.signing.rules): kept, left
    # out of the count and shown as held for review until an organizer restores it.
    held_by: Mapped[str | None] = mapped_column(String(32))
    # When the retention run erased the signer's personal data (petition.retention).
    anonymized_at: Mapped[datetime | None]
    # When we last mailed this address about this campaign (confirm link or
    # "already signed"); throttles repeat mail to a stranger's inbox.
    last_mailed_at: Mapped[datetime | None]
    unsubscribed_at: Mapped[datetime | None]
    # "online", or "paper": collected at a rally and entered by an organizer
    # with an API key; it still needs its email confirmed to count.
    source: Mapped[str] = mapped_column(String(16), default="online", server_default="online")
    # The language the signer signed in ("en", "es"; petition.i18n): their
    # confirmation and every update are mailed in it.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")

    campaign: Mapped[Campaign] = relationship()

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None and self.withdrawn_at is None

    @property
    def is_counted(self) -> bool:
        """Whether this signature is in the public count: confirmed and not held."""
        return self.is_confirmed and self.held_by is None

    def __repr__(self) -> str:
        return f"<Signature {self.id} campaign={self.campaign_id}>"


class SignatureCountShard(Base):
    """One slice of a campaign's signature count.

    A confirmation adds one to shard ``signature_id % COUNT_SHARDS`` and a
    withdrawal takes it from the same shard, so on PostgreSQL concurrent
    confirmations of one viral campaign update different rows instead of
    queueing on a single counter row. The count is the sum of the shards, and
    each shard equals its confirmed signatures, which ``flask counts verify``
    checks and can repair.
    """

    __tablename__ = "signature_count_shards"
    __table_args__ = (CheckConstraint("signatures >= 0", name="signatures_not_negative"),)

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    shard: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    signatures: Mapped[int] = mapped_column(default=0)


COUNT_SHARDS = 16

Campaign.signature_count = column_property(
    select(func.coalesce(func.sum(SignatureCountShard.signatures), 0))
    .where(SignatureCountShard.campaign_id == Campaign.id)
    .correlate_except(SignatureCountShard)
    .scalar_subquery()
)
