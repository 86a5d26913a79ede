"""Organizer-written public content that waits for a moderator under ``PETITION_MODERATION``.

Besides a campaign's wording and its updates (petition.organizers.review),
organizers write five things the public reads: the victory story, the
delivery note, a target's answer, evidence entries of a promise record, and
candidate photos. Under moderation each is stored with a ``held_at`` time and
every public reader (pages, record pages, the API, the photo URL, webhooks)
leaves it out until an admin approves it. Approving only clears ``held_at``:
the append-only records stay append-only. Rejecting drops what nobody saw
(the story or note is cleared, the row deleted) and mails the organizers why.

The story and the note are one text per campaign, so they are held with a
timestamp on the campaign (``victory_story_held_at``, ``delivery_note_held_at``)
rather than a pending copy: while it is set the public page shows no story or
note, never an unreviewed one. Rewriting an approved text holds the new one.
Services add and flush; the request commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from petition.clock import now
from petition.extensions import db
from petition.models import (
    Campaign,
    Candidate,
    CandidatePhoto,
    EvidenceEntry,
    Pledge,
    Target,
    TargetAnswer,
)
from petition.organizers.services import mail_organizers
from petition.webhooks import events as webhooks

Story = Literal["victory", "delivery"]
STORY_LABELS: dict[str, str] = {"victory": "victory story", "delivery": "delivery note"}
WAITING = "Waiting for review: a moderator approves it before it is public."


def moderated() -> bool:
    return bool(current_app.config["PETITION_MODERATION"])


def held_since(new: str | None, old: str | None, old_held_at: datetime | None) -> datetime | None:
    """When a story or note written as ``new`` (was ``old``) starts waiting, or None if public.

    Unchanged text keeps its state (an approved text stays public); a changed
    text waits under moderation.
    """
    if not moderated() or not new:
        return None
    if new == old:
        return old_held_at
    return now()


def hold_row(row: TargetAnswer | EvidenceEntry | CandidatePhoto) -> bool:
    """Hold a new answer, entry or photo under moderation; return True if held."""
    row.held_at = now() if moderated() else None
    db.session.flush()
    return row.held_at is not None


def held_photo_ids(candidate_ids: list[int]) -> set[int]:
    """Which of these candidates' photos wait for review, for the organizers' pages."""
    if not candidate_ids:
        return set()
    return set(
        db.session.scalars(
            select(CandidatePhoto.candidate_id).where(
                CandidatePhoto.candidate_id.in_(candidate_ids), CandidatePhoto.held_at.is_not(None)
            )
        )
    )


# -- the queue -------------------------------------------------------------


@dataclass
class HeldContent:
    stories: list[tuple[Campaign, Story]] = field(default_factory=list)
    answers: list[TargetAnswer] = field(default_factory=list)
    evidence: list[EvidenceEntry] = field(default_factory=list)
    photos: list[tuple[CandidatePhoto, Candidate]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.stories or self.answers or self.evidence or self.photos)


def waiting() -> HeldContent:
    """Everything held, oldest first, in one query per kind."""
    held = HeldContent()
    for campaign in db.session.scalars(
        select(Campaign)
        .where(
            or_(
                Campaign.victory_story_held_at.is_not(None),
                Campaign.delivery_note_held_at.is_not(None),
            )
        )
        .order_by(Campaign.id)
    ):
        if campaign.victory_story_held_at is not None:
            held.stories.append((campaign, "victory"))
        if campaign.delivery_note_held_at is not None:
            held.stories.append((campaign, "delivery"))
    held.answers = list(
        db.session.scalars(
            select(TargetAnswer)
            .where(TargetAnswer.held_at.is_not(None))
            .options(selectinload(TargetAnswer.campaign))
            .order_by(TargetAnswer.held_at, TargetAnswer.id)
        )
    )
    held.evidence = list(
        db.session.scalars(
            select(EvidenceEntry)
            .where(EvidenceEntry.held_at.is_not(None))
            .options(
                selectinload(EvidenceEntry.candidate).selectinload(Candidate.pledge),
                selectinload(EvidenceEntry.target).selectinload(Target.campaign),
            )
            .order_by(EvidenceEntry.held_at, EvidenceEntry.id)
        )
    )
    held.photos = [
        (photo, candidate)
        for photo, candidate in db.session.execute(
            select(CandidatePhoto, Candidate)
            .join(Candidate, Candidate.id == CandidatePhoto.candidate_id)
            .where(CandidatePhoto.held_at.is_not(None))
            .options(selectinload(Candidate.pledge))
            .order_by(CandidatePhoto.held_at, CandidatePhoto.candidate_id)
        )
    ]
    return held


def _reject_mail(campaign: Campaign, what: str, reason: str) -> None:
    mail_organizers(
        campaign,
        "held_content_rejected",
        f"Not approved: the {what} of {campaign.title}",
        what=what,
        reason=reason,
    )


# -- victory story and delivery note --------------------------------------


def _held_at_column(kind: Story) -> str:
    return "victory_story_held_at" if kind == "victory" else "delivery_note_held_at"


def is_story_held(campaign: Campaign, kind: Story) -> bool:
    return getattr(campaign, _held_at_column(kind)) is not None


def approve_story(campaign: Campaign, kind: Story) -> None:
    setattr(campaign, _held_at_column(kind), None)
    db.session.flush()


def reject_story(campaign: Campaign, kind: Story, reason: str) -> None:
    """Clear the held text (nobody saw it) and tell the organizers why."""
    if kind == "victory":
        campaign.victory_story = None
    else:
        campaign.delivery_note = None
    setattr(campaign, _held_at_column(kind), None)
    db.session.flush()
    _reject_mail(campaign, STORY_LABELS[kind], reason)


# -- targets' answers ------------------------------------------------------


def approve_answer(answer: TargetAnswer) -> None:
    """Publish the answer; the ``campaign.answered`` webhook goes out now, not before."""
    answer.held_at = None
    db.session.flush()
    webhooks.campaign_answered(answer.campaign, answer)


def reject_answer(answer: TargetAnswer, reason: str) -> None:
    campaign = answer.campaign
    db.session.delete(answer)
    db.session.flush()
    _reject_mail(campaign, "target’s answer", reason)


# -- evidence entries ------------------------------------------------------


def evidence_campaign(entry: EvidenceEntry) -> Campaign:
    """The campaign whose organizers wrote ``entry`` (a target's, or a pledge's demand)."""
    if entry.target is not None:
        return entry.target.campaign
    return entry.candidate.pledge.campaign


def evidence_pledge(entry: EvidenceEntry) -> Pledge | None:
    return entry.candidate.pledge if entry.candidate is not None else None


def approve_evidence(entry: EvidenceEntry) -> None:
    entry.held_at = None
    db.session.flush()


def reject_evidence(entry: EvidenceEntry, reason: str) -> None:
    """Delete a held entry: it was never public, so no permalink ever pointed to it."""
    campaign = evidence_campaign(entry)
    name = entry.candidate.name if entry.candidate is not None else entry.target.name
    db.session.delete(entry)
    db.session.flush()
    _reject_mail(campaign, f"entry on {name}’s promise record", reason)


# -- candidate photos ------------------------------------------------------


def approve_photo(photo: CandidatePhoto) -> None:
    photo.held_at = None
    db.session.flush()


def reject_photo(photo: CandidatePhoto, candidate: Candidate, reason: str) -> None:
    db.session.delete(photo)
    db.session.flush()
    _reject_mail(candidate.pledge.campaign, f"photo of {candidate.name}", reason)
