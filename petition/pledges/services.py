"""Pledge workflows: set up, invite, remind, revoke, record and hide answers.

They add and flush; the caller commits once. Supporters are not handled here:
a pledge is backed by a Campaign and people back it through
petition.signing.services.sign, with all its guarantees.
"""

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from petition import slugs
from petition.clock import now
from petition.extensions import db
from petition.models import (
    Answer,
    Campaign,
    CampaignStatus,
    Candidate,
    Pledge,
    PledgeResponse,
    ResponseSource,
    Signature,
    Target,
    User,
)
from petition.models.campaigns import DEFAULT_GOAL
from petition.outbox import queue_mail
from petition.tokens import pledge_response_token
from petition.urls import absolute_url

BACKING_PREFIX = "pledge-"


@dataclass
class PledgeDetails:
    slug: str
    title: str
    text: str
    office: str
    jurisdiction: str
    election_date: date
    zip_codes: list[str]
    supporter_goal: int = DEFAULT_GOAL


@dataclass
class CandidateDetails:
    name: str
    party: str
    email: str | None
    website: str | None
    photo_url: str | None


# -- reading ---------------------------------------------------------------


def get_pledge_by_slug(slug: str) -> Pledge | None:
    """Return the pledge with its candidates and their answers, in three queries."""
    return db.session.scalar(
        select(Pledge)
        .where(Pledge.slug == slug)
        .options(selectinload(Pledge.candidates).selectinload(Candidate.responses))
    )


def supporters_in_jurisdiction(pledge: Pledge) -> int | None:
    """Count confirmed supporters whose ZIP is in the race; None when no ZIPs are listed."""
    zips = pledge.zip_codes
    if not zips:
        return None
    return db.session.scalar(
        select(func.count())
        .select_from(Signature)
        .where(
            Signature.campaign_id == pledge.campaign_id,
            Signature.confirmed_at.is_not(None),
            Signature.withdrawn_at.is_(None),
            Signature.held_by.is_(None),  # held for review: not counted anywhere
            Signature.zip_code.in_(zips),
        )
    )


def text_is_locked(pledge: Pledge) -> bool:
    """Whether the pledge's wording is fixed: people have answered or backed that text."""
    if pledge.campaign.signature_count > 0:
        return True
    return bool(
        db.session.scalar(
            select(PledgeResponse.id)
            .join(Candidate)
            .where(Candidate.pledge_id == pledge.id)
            .limit(1)
        )
    )


def backing_campaign_slug(pledge_slug: str) -> str:
    return f"{BACKING_PREFIX}{pledge_slug}"


# -- the organizer sets up -------------------------------------------------


def create_pledge(
    owner: User, details: PledgeDetails, campaign: Campaign | None, *, moderated: bool = False
) -> Pledge:
    """Create a pledge backed by ``campaign``, or by a new campaign with its text.

    With moderation on, a new backing campaign waits in the admins' review
    queue (like any demand) and the pledge page stays hidden until approved.
    """
    if db.session.scalar(select(Pledge.id).where(Pledge.slug == details.slug)):
        raise slugs.SlugTaken(details.slug)
    owns_campaign = campaign is None
    if campaign is None:
        campaign_slug = backing_campaign_slug(details.slug)
        if db.session.scalar(select(Campaign.id).where(Campaign.slug == campaign_slug)):
            raise slugs.SlugTaken(details.slug)
        moment = now()
        campaign = Campaign(
            # The pledge's organizer runs its demand too (dashboard, export, updates).
            owner_id=owner.id,
            slug=campaign_slug,
            title=details.title,
            demand=details.text,
            status=CampaignStatus.PENDING if moderated else CampaignStatus.LIVE,
            signature_goal=details.supporter_goal,
            # The ZIP is what lets a candidate see supporters in their race.
            zip_required=True,
            published_at=None if moderated else moment,
            targets=[
                Target(
                    position=0,
                    name=f"Every candidate for {details.office}",
                    office=details.office,
                    jurisdiction=details.jurisdiction,
                )
            ],
        )
        db.session.add(campaign)
    pledge = Pledge(owner_id=owner.id, campaign=campaign, owns_campaign=owns_campaign)
    _apply(pledge, details, text_locked=False)
    db.session.add(pledge)
    db.session.flush()
    return pledge


def update_pledge(pledge: Pledge, details: PledgeDetails) -> None:
    """Change the race details; the wording only while nobody has answered or backed it.

    The slug never changes: the public address is printed on flyers and in news.
    """
    _apply(pledge, details, text_locked=text_is_locked(pledge))
    db.session.flush()


def _apply(pledge: Pledge, details: PledgeDetails, text_locked: bool) -> None:
    if pledge.slug is None:
        pledge.slug = details.slug
    pledge.office = details.office
    pledge.jurisdiction = details.jurisdiction
    pledge.election_date = details.election_date
    pledge.jurisdiction_zips = " ".join(details.zip_codes)
    if pledge.owns_campaign and details.supporter_goal:
        pledge.campaign.signature_goal = details.supporter_goal
    if text_locked:
        return
    pledge.title = details.title
    pledge.text = details.text
    if pledge.owns_campaign:
        pledge.campaign.title = details.title
        pledge.campaign.demand = details.text


def add_candidate(pledge: Pledge, details: CandidateDetails) -> Candidate:
    candidate = Candidate()
    pledge.candidates.append(candidate)
    update_candidate(candidate, details)
    return candidate


def update_candidate(candidate: Candidate, details: CandidateDetails) -> None:
    candidate.name = details.name
    candidate.party = details.party or "nonpartisan"
    candidate.email = details.email
    candidate.website = details.website
    candidate.photo_url = details.photo_url
    db.session.flush()


# -- links and mail --------------------------------------------------------


def response_url(candidate: Candidate) -> str:
    """Return the candidate's private response link, for the current link version."""
    token = pledge_response_token(candidate.id, candidate.token_version)
    return absolute_url("pledges.respond", token=token)


def revoke_link(candidate: Candidate) -> None:
    """Make every link issued so far stop working; the next one carries a new version."""
    candidate.token_version += 1
    db.session.flush()


def invite(candidate: Candidate) -> bool:
    """Queue the invitation with a fresh link; False when there is no address."""
    if not candidate.email:
        return False
    _mail(candidate, "pledge_invitation", f"Will you take the pledge? {candidate.pledge.title}")
    if candidate.first_invited_at is None:
        candidate.first_invited_at = candidate.last_contacted_at
    return True


class ReminderOutcome(enum.Enum):
    SENT = "sent"
    ANSWERED = "answered"
    NO_EMAIL = "no_email"
    NOT_INVITED = "not_invited"
    TOO_SOON = "too_soon"


def remind(candidate: Candidate) -> ReminderOutcome:
    """Remind a candidate who was asked and has not answered, at most once per reminder interval."""
    if candidate.responses:
        return ReminderOutcome.ANSWERED
    if not candidate.email:
        return ReminderOutcome.NO_EMAIL
    if candidate.first_invited_at is None:
        return ReminderOutcome.NOT_INVITED
    interval = timedelta(seconds=current_app.config["PETITION_REMINDER_INTERVAL"])
    if candidate.last_contacted_at and now() - candidate.last_contacted_at < interval:
        return ReminderOutcome.TOO_SOON
    _mail(candidate, "pledge_reminder", f"Reminder: your answer to {candidate.pledge.title}")
    return ReminderOutcome.SENT


def remind_unanswered(pledge: Pledge) -> dict[ReminderOutcome, int]:
    """Remind every candidate of ``pledge`` who is due a reminder; count the outcomes."""
    counts = dict.fromkeys(ReminderOutcome, 0)
    for candidate in pledge.candidates:
        counts[remind(candidate)] += 1
    db.session.flush()
    return counts


def _mail(candidate: Candidate, template: str, subject: str) -> None:
    pledge = candidate.pledge
    queue_mail(
        candidate.email,
        template,
        subject,
        candidate=candidate,
        pledge=pledge,
        supporters=pledge.campaign.signature_count,
        in_jurisdiction=supporters_in_jurisdiction(pledge),
        respond_url=response_url(candidate),
        pledge_url=absolute_url("pledges.show", slug=pledge.slug),
    )
    candidate.last_contacted_at = now()
    candidate.contact_count += 1


# -- answers ---------------------------------------------------------------


def record_candidate_answer(
    candidate: Candidate, answer: Answer, statement: str | None
) -> PledgeResponse | None:
    """Add the candidate's answer to their history; None if it repeats the standing one.

    A double tap, or the same form sent twice, must not pad the public history.
    """
    current = candidate.current_response
    if (
        current is not None
        and current.by_candidate
        and current.answer == answer
        and (current.statement or None) == (statement or None)
    ):
        return None
    moment = now()
    response = PledgeResponse(
        candidate=candidate,
        answer=answer,
        statement=statement or None,
        source=ResponseSource.CANDIDATE,
        answered_at=moment,
        created_at=moment,
    )
    db.session.add(response)
    db.session.flush()
    return response


def record_organizer_answer(
    candidate: Candidate,
    *,
    answer: Answer,
    statement: str | None,
    source_description: str | None,
    source_url: str | None,
    answered_on: date,
    recorded_by: User,
) -> PledgeResponse:
    """Add an answer the candidate gave elsewhere, marked with where it came from."""
    if not (source_description or source_url):
        raise ValueError("an organizer-recorded answer needs a source")
    response = PledgeResponse(
        candidate=candidate,
        answer=answer,
        statement=statement or None,
        source=ResponseSource.ORGANIZER,
        source_description=source_description or None,
        source_url=source_url or None,
        # A date without a time: the start of that day, so an answer given
        # through the link later the same day still counts as the newer one.
        answered_at=datetime(answered_on.year, answered_on.month, answered_on.day, tzinfo=UTC),
        created_at=now(),
        recorded_by_id=recorded_by.id,
    )
    db.session.add(response)
    db.session.flush()
    return response


def hide_statement(response: PledgeResponse, reason: str, hidden_by: User) -> bool:
    """Withhold a statement from the public page with a public reason; False if already hidden.

    The statement itself is kept unchanged: hiding is a visible act, never an edit.
    """
    if response.hidden_at is not None or not response.statement:
        return False
    response.hidden_at = now()
    response.hidden_reason = reason
    response.hidden_by_id = hidden_by.id
    db.session.flush()
    return True
