"""Edits to a live campaign that wait for a moderator (``PETITION_MODERATION=1``)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from markupsafe import Markup
from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from petition.clock import now
from petition.markup import render_markdown
from petition.models.base import Base, SanitizedHTML
from petition.models.campaigns import Campaign


class PendingCampaignEdit(Base):
    """The wording an organizer proposed for a live campaign, not public until approved.

    One per campaign: editing again replaces the proposal. The public page
    keeps showing the approved title, demand and targets meanwhile.
    """

    __tablename__ = "pending_campaign_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), unique=True
    )
    title: Mapped[str] = mapped_column(String(200))
    demand: Mapped[str] = mapped_column(Text)
    demand_html: Mapped[Markup] = mapped_column(SanitizedHTML)
    # [{"name", "office", "jurisdiction", "email", "website"}, ...] in order.
    targets: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(default=now)

    campaign: Mapped[Campaign] = relationship()

    @validates("demand")
    def _render_markdown(self, key: str, value: str) -> str:
        self.demand_html = render_markdown(value)
        return value

    @property
    def version(self) -> str:
        """A fingerprint of the proposed wording, so a decision binds to the text read."""
        wording = json.dumps([self.title, self.demand, self.targets], sort_keys=True)
        return hashlib.sha256(wording.encode()).hexdigest()

    def __repr__(self) -> str:
        return f"<PendingCampaignEdit {self.id} campaign={self.campaign_id}>"
