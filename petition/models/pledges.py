"""Candidate pledges: the pledge, the candidates asked to take it, and their answers.

Answers are an append-only history. A candidate who changes their mind adds a
row; nothing is overwritten, so the public record can say "pledged on X,
withdrew on Y". Organizers can hide a statement (slurs, threats) with a public
note, but can never edit what a candidate said.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from markupsafe import Markup
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from petition.clock import now
from petition.localtime import FALLBACK_ZONE, default_zone_name
from petition.markup import render_markdown
from petition.models.accounts import User
from petition.models.base import Base, SanitizedHTML, new_token_nonce
from petition.models.campaigns import Campaign


class Answer(enum.StrEnum):
    PLEDGED = "pledged"
    DECLINED = "declined"


class ResponseSource(enum.StrEnum):
    CANDIDATE = "candidate"  # given through the candidate's private link
    ORGANIZER = "organizer"  # recorded by the organizers from a public source


class Pledge(Base):
    __tablename__ = "pledges"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    # Markdown; ``text_html`` is its sanitized rendering, made when it is set.
    text: Mapped[str] = mapped_column(Text)
    text_html: Mapped[Markup] = mapped_column(SanitizedHTML)
    office: Mapped[str] = mapped_column(String(160))
    jurisdiction: Mapped[str] = mapped_column(String(160))
    election_date: Mapped[date] = mapped_column(Date)
    # The race's IANA time zone: its pages and mail show times there.
    time_zone: Mapped[str] = mapped_column(
        String(64), default=default_zone_name, server_default=FALLBACK_ZONE
    )
    # Space-separated 5-digit ZIP codes inside the race's jurisdiction, as the
    # organizer listed them; empty when they did not. See ``zip_codes``.
    jurisdiction_zips: Mapped[str] = mapped_column(Text, default="")
    # The supporters: confirmed signers of this campaign, through the signing flow.
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    # True when the campaign was made for this pledge (its title and text follow
    # the pledge's); False when the organizer linked an existing campaign.
    owns_campaign: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
    # An admin took the pledge down (petition.takedown): its page shows a notice.
    taken_down_at: Mapped[datetime | None]
    take_down_reason: Mapped[str | None] = mapped_column(String(500))
    # Under moderation a new pledge linked to a published demand waits for an
    # admin (petition.pledges.review): not public while set. ``held_reason`` is
    # why an admin did not approve it; an edit by the organizer clears it.
    held_at: Mapped[datetime | None]
    held_reason: Mapped[str | None] = mapped_column(String(500))

    owner: Mapped[User] = relationship()
    campaign: Mapped[Campaign] = relationship(lazy="joined")
    candidates: Mapped[list[Candidate]] = relationship(
        back_populates="pledge",
        order_by="Candidate.id",
        cascade="all, delete-orphan",
    )

    @validates("text")
    def _render_markdown(self, key: str, value: str) -> str:
        self.text_html = render_markdown(value)
        return value

    @property
    def zip_codes(self) -> list[str]:
        return self.jurisdiction_zips.split() if self.jurisdiction_zips else []

    def __repr__(self) -> str:
        return f"<Pledge {self.slug!r}>"


class Candidate(Base):
    __tablename__ = "candidates"
    __table_args__ = (
        CheckConstraint("token_version >= 1", name="token_version_positive"),
        CheckConstraint("contact_count >= 0", name="contact_count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    party: Mapped[str] = mapped_column(String(80), default="nonpartisan")
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(500))
    # Kept for the organizer's records; never loaded by public pages (the CSP
    # and the no-third-party rule forbid hot-linking), which show initials.
    photo_url: Mapped[str | None] = mapped_column(String(500))
    # Response links carry this number; bumping it revokes every earlier link.
    token_version: Mapped[int] = mapped_column(default=1)
    # Part of the response link with the version, so the link is this
    # candidate's alone. Empty on candidates from before nonces.
    token_nonce: Mapped[str | None] = mapped_column(String(16), default=new_token_nonce)
    # The language ("en", "es") the organizer chose for the invitation; reminders follow it.
    invitation_language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    first_invited_at: Mapped[datetime | None]
    last_contacted_at: Mapped[datetime | None]
    contact_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=now)

    pledge: Mapped[Pledge] = relationship(back_populates="candidates")
    responses: Mapped[list[PledgeResponse]] = relationship(
        back_populates="candidate",
        order_by=lambda: (PledgeResponse.answered_at, PledgeResponse.id),
        cascade="all, delete-orphan",
    )
    # Asked in person or by phone, as the organizers recorded it; oldest first.
    # Loaded with the candidate: public pages list them beside the email count.
    contacts: Mapped[list[CandidateContact]] = relationship(
        order_by=lambda: (CandidateContact.contacted_on, CandidateContact.id),
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    @property
    def initials(self) -> str:
        letters = [part[0] for part in self.name.replace("(", " ").split() if part[0].isalpha()]
        return "".join(letters[:2]).upper() or "?"

    @property
    def current_response(self) -> PledgeResponse | None:
        """The answer that stands: the most recently given one."""
        return self.responses[-1] if self.responses else None

    def __repr__(self) -> str:
        return f"<Candidate {self.id} pledge={self.pledge_id}>"


class PledgeResponse(Base):
    __tablename__ = "pledge_responses"
    __table_args__ = (
        CheckConstraint("answer IN ('pledged', 'declined')", name="answer_known"),
        CheckConstraint("source IN ('candidate', 'organizer')", name="source_known"),
        CheckConstraint("length(statement) <= 2000", name="statement_length"),
        # An organizer-recorded answer must say where it came from.
        CheckConstraint(
            "source = 'candidate' OR source_description IS NOT NULL OR source_url IS NOT NULL",
            name="organizer_source_given",
        ),
        Index("ix_pledge_responses_candidate_answered", "candidate_id", "answered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"))
    answer: Mapped[str] = mapped_column(String(16))
    # Plain text, shown escaped; at most 2,000 characters.
    statement: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))
    source_description: Mapped[str | None] = mapped_column(String(300))
    source_url: Mapped[str | None] = mapped_column(String(500))
    # When the candidate gave the answer: the moment they used their link, or
    # the date the organizer says they answered elsewhere. Orders the history.
    answered_at: Mapped[datetime]
    # When the row was written (differs from answered_at for recorded answers).
    created_at: Mapped[datetime] = mapped_column(default=now)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Moderation: the statement is withheld, the note saying why is public.
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(String(300))
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    candidate: Mapped[Candidate] = relationship(back_populates="responses")
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def by_candidate(self) -> bool:
        return self.source == ResponseSource.CANDIDATE

    def __repr__(self) -> str:
        return f"<PledgeResponse {self.id} {self.answer} candidate={self.candidate_id}>"


class ContactMethod(enum.StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"


class CandidateContact(Base):
    """An organizer asked the candidate in person or by phone, on a given day.

    Shown publicly as exactly that ("asked in person on March 3, 2026"),
    apart from the count of emails, which the site sent and can vouch for.
    """

    __tablename__ = "candidate_contacts"
    __table_args__ = (CheckConstraint("method IN ('in_person', 'phone')", name="method_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), index=True
    )
    method: Mapped[str] = mapped_column(String(16))
    contacted_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=now)

    @property
    def method_words(self) -> str:
        return "in person" if self.method == ContactMethod.IN_PERSON else "by phone"

    def __repr__(self) -> str:
        return f"<CandidateContact {self.id} candidate={self.candidate_id}>"
