"""After the election: who won a pledge's race, the winner's promise record, and targets' answers.

All three are append-only histories, like pledge answers. Nothing here is
updated or deleted by the application: a mistake in an evidence entry is
fixed by a new entry that points to it (``corrects_id``), and both stay on
the public record, so a reader can cite either and see what changed.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from petition.clock import now
from petition.models.accounts import User
from petition.models.base import Base
from petition.models.campaigns import Campaign, Target
from petition.models.pledges import Candidate, Pledge


class Rating(enum.StrEnum):
    """A promise tracker's fixed scale, in the order a promise usually moves through it."""

    NOT_YET_RATED = "not_yet_rated"
    IN_THE_WORKS = "in_the_works"
    KEPT = "kept"
    COMPROMISE = "compromise"
    STALLED = "stalled"
    BROKEN = "broken"

    @property
    def label(self) -> str:
        return _RATING_LABELS[self]


_RATING_LABELS = {
    Rating.NOT_YET_RATED: _l("Not yet rated"),
    Rating.IN_THE_WORKS: _l("In the works"),
    Rating.KEPT: _l("Kept"),
    Rating.COMPROMISE: _l("Compromise"),
    Rating.STALLED: _l("Stalled"),
    Rating.BROKEN: _l("Broken"),
}


class AnswerKind(enum.StrEnum):
    """How a demand's target answered it."""

    NO_RESPONSE = "no_response"
    STATEMENT = "statement"
    MEETING = "meeting"
    POLICY_CHANGE = "policy_change"
    REFUSAL = "refusal"

    @property
    def label(self) -> str:
        return _ANSWER_LABELS[self]


_ANSWER_LABELS = {
    AnswerKind.NO_RESPONSE: "No response",
    AnswerKind.STATEMENT: "A statement",
    AnswerKind.MEETING: "A meeting",
    AnswerKind.POLICY_CHANGE: "A policy change",
    AnswerKind.REFUSAL: "A refusal",
}


def _in(column: str, enum_type: type[enum.StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(member.value) for member in enum_type)})"


class ElectionResult(Base):
    """Who won a pledge's race, recorded once, from a public source."""

    __tablename__ = "election_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One result per pledge: the unique index is the backstop for a double submit.
    pledge_id: Mapped[int] = mapped_column(
        ForeignKey("pledges.id", ondelete="CASCADE"), unique=True
    )
    winner_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"))
    source_url: Mapped[str] = mapped_column(String(500))
    recorded_at: Mapped[datetime] = mapped_column(default=now)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    pledge: Mapped[Pledge] = relationship()
    winner: Mapped[Candidate] = relationship()
    recorded_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ElectionResult pledge={self.pledge_id} winner={self.winner_id}>"


class EvidenceEntry(Base):
    """One dated, sourced fact about what an official did about a promise, with a rating."""

    __tablename__ = "evidence_entries"
    __table_args__ = (
        CheckConstraint(_in("rating", Rating), name="rating_known"),
        # The official is a pledge's winner or a demand's target, never both or neither.
        CheckConstraint("(candidate_id IS NULL) <> (target_id IS NULL)", name="one_official"),
        CheckConstraint("length(summary) <= 2000", name="summary_length"),
        Index("ix_evidence_entries_candidate_happened", "candidate_id", "happened_on"),
        Index("ix_evidence_entries_target_happened", "target_id", "happened_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int | None] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE")
    )
    # RESTRICT: a target with a record is never deleted (append-only, see services).
    target_id: Mapped[int | None] = mapped_column(ForeignKey("targets.id", ondelete="RESTRICT"))
    happened_on: Mapped[date] = mapped_column(Date)
    # Plain text, shown escaped: what the official did, in the organizer's words.
    summary: Mapped[str] = mapped_column(Text)
    source_url: Mapped[str] = mapped_column(String(500))
    rating: Mapped[str] = mapped_column(String(16))
    # The earlier entry this one corrects; both stay on the public record.
    corrects_id: Mapped[int | None] = mapped_column(
        ForeignKey("evidence_entries.id", ondelete="CASCADE"), index=True
    )
    recorded_at: Mapped[datetime] = mapped_column(default=now)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Set under PETITION_MODERATION until an admin approves it; no public reader
    # shows a held row (petition.organizers.held_content). Approving clears it.
    held_at: Mapped[datetime | None]

    candidate: Mapped[Candidate | None] = relationship()
    target: Mapped[Target | None] = relationship()
    recorded_by: Mapped[User | None] = relationship()

    @property
    def rated(self) -> Rating:
        return Rating(self.rating)

    def __repr__(self) -> str:
        return f"<EvidenceEntry {self.id} {self.rating}>"


class TargetAnswer(Base):
    """How a demand's target answered it, with the date and a public source."""

    __tablename__ = "target_answers"
    __table_args__ = (
        CheckConstraint(_in("kind", AnswerKind), name="kind_known"),
        # Only silence has no source to point to.
        CheckConstraint("kind = 'no_response' OR source_url IS NOT NULL", name="source_given"),
        CheckConstraint("length(summary) <= 2000", name="summary_length"),
        Index("ix_target_answers_campaign_answered", "campaign_id", "answered_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    # Plain text, shown escaped.
    summary: Mapped[str] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(String(500))
    answered_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(default=now)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Set under PETITION_MODERATION until an admin approves it; no public reader
    # shows a held row (petition.organizers.held_content). Approving clears it.
    held_at: Mapped[datetime | None]

    campaign: Mapped[Campaign] = relationship()
    recorded_by: Mapped[User | None] = relationship()

    @property
    def kind_label(self) -> str:
        return AnswerKind(self.kind).label

    @property
    def is_answer(self) -> bool:
        """Whether the target said or did something (silence recorded is not an answer)."""
        return self.kind != AnswerKind.NO_RESPONSE

    def __repr__(self) -> str:
        return f"<TargetAnswer {self.id} {self.kind} campaign={self.campaign_id}>"
