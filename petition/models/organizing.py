"""Running a campaign: co-organizers, the record of edits, and updates to signers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from markupsafe import Markup
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from petition.clock import now
from petition.markup import render_markdown
from petition.models.accounts import User
from petition.models.base import Base, SanitizedHTML, new_token_nonce
from petition.models.campaigns import Campaign


class CampaignOrganizer(Base):
    """A co-organizer of a campaign: invited by email, active once they accept.

    The owner is ``Campaign.owner_id`` and has no row here. An invitation is a
    row with ``user_id`` empty; accepting it while logged in with the invited
    address fills ``user_id`` and ``accepted_at``.
    """

    __tablename__ = "campaign_organizers"
    __table_args__ = (UniqueConstraint("campaign_id", "email_normalized"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    email_normalized: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=now)
    accepted_at: Mapped[datetime | None]
    # Part of the invitation link, so a link for a deleted invitation never
    # opens another one that got its id. Empty on invitations from before.
    token_nonce: Mapped[str | None] = mapped_column(String(16), default=new_token_nonce)

    campaign: Mapped[Campaign] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    @property
    def is_active(self) -> bool:
        return self.user_id is not None and self.accepted_at is not None

    def __repr__(self) -> str:
        return f"<CampaignOrganizer {self.id} campaign={self.campaign_id}>"


class CampaignRevision(Base):
    """The demand and targets as they read until an edit replaced them.

    People signed a particular text: once a campaign has signatures, every
    change to what it asks, or of whom, leaves the earlier version here.
    """

    __tablename__ = "campaign_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    demand: Mapped[str] = mapped_column(Text)
    demand_html: Mapped[Markup] = mapped_column(SanitizedHTML)
    # [{"name", "office", "jurisdiction", "email", "website"}, ...] in order.
    targets: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # When this version was replaced, and by whom.
    created_at: Mapped[datetime] = mapped_column(default=now)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @validates("demand")
    def _render_markdown(self, key: str, value: str) -> str:
        self.demand_html = render_markdown(value)
        return value

    def __repr__(self) -> str:
        return f"<CampaignRevision {self.id} campaign={self.campaign_id}>"


class CampaignUpdate(Base):
    """News from the organizers: shown on the campaign page and mailed to signers."""

    __tablename__ = "campaign_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    subject: Mapped[str] = mapped_column(String(200))
    # Markdown; ``body_html`` is its sanitized rendering, made when it is set.
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[Markup] = mapped_column(SanitizedHTML)
    created_at: Mapped[datetime] = mapped_column(default=now)
    # Mail goes out in batches of signers by ascending id: the first with the
    # request, the rest from the outbox worker. ``mailed_through_id`` is the
    # last signature id queued so far; ``sent_at`` is set once all are queued.
    mailed_through_id: Mapped[int] = mapped_column(default=0)
    recipient_count: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None]
    # Under PETITION_MODERATION: when it was posted for review. While set, it
    # is neither shown publicly nor mailed (petition.organizers.review).
    held_at: Mapped[datetime | None]

    campaign: Mapped[Campaign] = relationship()

    @validates("body")
    def _render_markdown(self, key: str, value: str) -> str:
        self.body_html = render_markdown(value)
        return value

    @property
    def is_sending(self) -> bool:
        return self.sent_at is None and self.held_at is None

    @property
    def is_held(self) -> bool:
        return self.held_at is not None

    def __repr__(self) -> str:
        return f"<CampaignUpdate {self.id} campaign={self.campaign_id}>"
