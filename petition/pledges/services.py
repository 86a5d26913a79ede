"""Pledge workflows: set up, invite, remind, revoke, record and hide answers.

They add and flush; the caller commits once. Supporters are not handled here:
a pledge is backed by a Campaign and people back it through
petition.signing.services.sign, with all its guarantees.
"""

import enum
from dataclasses import dataclass
from datetime import date, time, timedelta

from flask import current_app
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from petition import slugs
from petition.clock import now
from petition.extensions import db
from petition.i18n import in_language, language_or_default
from petition.localtime import FALLBACK_ZONE, at_local_time
from petition.models import (
    Answer,
    Campaign,
    CampaignStatus,
    Candidate,
    CandidateContact,
    ContactMethod,
    ElectionResult,
    EvidenceEntry,
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
from petition.transactions import DomainError
from petition.urls import absolute_url
from petition.webhooks import events as webhooks

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
    time_zone: str = FALLBACK_ZONE


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


def text_is_locked(pledge: Pledge, moderated: bool = False) -> bool:
    """Whether the pledge's wording is fixed: people have answered or backed that text.

    Under moderation, also once a moderator approved it: an edit would go
    public unreviewed (finding 3 of issue 9), so the approved text stays.
    """
    if moderated and pledge.campaign.is_public and pledge.held_at is None:
        return True
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
    queue (like any demand) and the pledge page stays hidden until approved;
    a pledge linked to an existing demand is held for an admin itself.
    """
    if db.session.scalar(select(Pledge.id).where(Pledge.slug == details.slug)):
        raise slugs.SlugTaken(details.slug)
    owns_campaign = campaign is None
    if campaign is None:
        campaign = new_backing_campaign(owner.id, details, moderated)
    pledge = Pledge(owner_id=owner.id, campaign=campaign, owns_campaign=owns_campaign)
    if moderated and not owns_campaign:
        # Its own new demand waits in the queue; a linked one may already be
        # public, so the pledge itself waits for an admin.
        pledge.held_at = now()
    _apply(pledge, details, text_locked=False)
    db.session.add(pledge)
    db.session.flush()
    return pledge


def new_backing_campaign(owner_id: int, details: PledgeDetails, moderated: bool) -> Campaign:
    """Add the demand that collects a pledge's supporters, made from the pledge's text."""
    campaign_slug = backing_campaign_slug(details.slug)
    if db.session.scalar(select(Campaign.id).where(Campaign.slug == campaign_slug)):
        raise slugs.SlugTaken(details.slug)
    campaign = Campaign(
        # The pledge's organizer runs its demand too (dashboard, export, updates).
        owner_id=owner_id,
        slug=campaign_slug,
        title=details.title,
        demand=details.text,
        status=CampaignStatus.PENDING if moderated else CampaignStatus.LIVE,
        signature_goal=details.supporter_goal,
        # The ZIP is what lets a candidate see supporters in their race.
        zip_required=True,
        published_at=None if moderated else now(),
        targets=[
            Target(
                position=0,
                # Written once, as the organizer would have typed it: in their language.
                name=_("Every candidate for %(office)s", office=details.office),
                office=details.office,
                jurisdiction=details.jurisdiction,
            )
        ],
    )
    db.session.add(campaign)
    return campaign


def update_pledge(pledge: Pledge, details: PledgeDetails, moderated: bool = False) -> None:
    """Change the race details; the wording only while nobody has answered or backed it.

    The slug never changes: the public address is printed on flyers and in news.
    """
    _apply(pledge, details, text_locked=text_is_locked(pledge, moderated))
    pledge.held_reason = None  # a held pledge edited after a refusal is reviewed again
    db.session.flush()


def _apply(pledge: Pledge, details: PledgeDetails, text_locked: bool) -> None:
    if pledge.slug is None:
        pledge.slug = details.slug
    pledge.office = details.office
    pledge.jurisdiction = details.jurisdiction
    pledge.election_date = details.election_date
    pledge.jurisdiction_zips = " ".join(details.zip_codes)
    pledge.time_zone = details.time_zone
    if pledge.owns_campaign:
        pledge.campaign.time_zone = details.time_zone  # its demand's pages and mail too
        if details.supporter_goal:
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


class CandidateOnRecord(DomainError):
    """The candidate won the race or has evidence: their name is on the public record."""


def candidate_on_record(candidate: Candidate) -> bool:
    """Whether a recorded election result or an evidence entry names the candidate."""
    won = select(ElectionResult.id).where(ElectionResult.winner_id == candidate.id)
    evidence = select(EvidenceEntry.id).where(EvidenceEntry.candidate_id == candidate.id)
    return db.session.scalar(select(won.exists() | evidence.exists())) or False


def update_candidate(candidate: Candidate, details: CandidateDetails) -> None:
    """Save the candidate's details; refuse a new name once the record names them.

    The result and the promise record are about the person: renaming the row
    would attribute them to someone else.
    """
    renamed = candidate.id is not None and details.name != candidate.name
    if renamed and candidate_on_record(candidate):
        raise CandidateOnRecord(
            f"{candidate.name} has a public record; the name cannot be changed."
        )
    candidate.name = details.name
    candidate.party = details.party or "nonpartisan"
    candidate.email = details.email
    candidate.website = details.website
    candidate.photo_url = details.photo_url
    db.session.flush()


# -- links and mail --------------------------------------------------------


def response_url(candidate: Candidate) -> str:
    """Return the candidate's private response link, for the current link version."""
    token = pledge_response_token(candidate.id, candidate.token_version, candidate.token_nonce)
    return absolute_url("pledges.respond", token=token)


def revoke_link(candidate: Candidate) -> None:
    """Make every link issued so far stop working; the next one carries a new version."""
    candidate.token_version += 1
    db.session.flush()


def invite(candidate: Candidate, language: str | None = None) -> bool:
    """Queue the invitation in ``language`` with a fresh link; False when there is no address.

    The language is kept: reminders are written in it too. Without one, the
    candidate's earlier invitation language stands.
    """
    if not candidate.email:
        return False
    if language is not None:
        candidate.invitation_language = language_or_default(language)
    _mail(
        candidate,
        "pledge_invitation",
        _l("Will you take the pledge? %(title)s", title=candidate.pledge.title),
    )
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
    _mail(
        candidate,
        "pledge_reminder",
        _l("Reminder: your answer to %(title)s", title=candidate.pledge.title),
    )
    return ReminderOutcome.SENT


def remind_unanswered(pledge: Pledge) -> dict[ReminderOutcome, int]:
    """Remind every candidate of ``pledge`` who is due a reminder; count the outcomes."""
    counts = dict.fromkeys(ReminderOutcome, 0)
    for candidate in pledge.candidates:
        counts[remind(candidate)] += 1
    db.session.flush()
    return counts


def _mail(candidate: Candidate, template: str, subject: LazyString) -> None:
    pledge = candidate.pledge
    # The candidate reads it in the language the organizer chose, whatever the organizer's page.
    language = language_or_default(candidate.invitation_language)
    with in_language(language):
        subject_line = str(subject)
    queue_mail(
        candidate.email,
        template,
        subject_line,
        language=language,
        candidate=candidate,
        pledge=pledge,
        time_zone=pledge.time_zone,
        link_expires_at=now()
        + timedelta(seconds=current_app.config["PETITION_PLEDGE_LINK_MAX_AGE"]),
        supporters=pledge.campaign.signature_count,
        in_jurisdiction=supporters_in_jurisdiction(pledge),
        respond_url=response_url(candidate),
        pledge_url=absolute_url("pledges.show", slug=pledge.slug),
    )
    # A resend within the reminder interval is not another contact: the public
    # "contacted N times" must not be inflated by pressing a button repeatedly.
    interval = timedelta(seconds=current_app.config["PETITION_REMINDER_INTERVAL"])
    if candidate.last_contacted_at is None or now() - candidate.last_contacted_at >= interval:
        candidate.last_contacted_at = now()
        candidate.contact_count += 1


def record_contact(candidate: Candidate, method: ContactMethod, on: date, by: User) -> None:
    """Record that an organizer asked ``candidate`` in person or by phone on day ``on``."""
    candidate.contacts.append(
        CandidateContact(method=method, contacted_on=on, recorded_by_id=by.id, recorded_at=now())
    )
    db.session.flush()


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
    webhooks.pledge_answered(response)
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
        # A date without a time: the start of that day where the race is, so an
        # answer given through the link later the same day still counts as the newer one.
        answered_at=at_local_time(answered_on, time(0), candidate.pledge.time_zone),
        created_at=now(),
        recorded_by_id=recorded_by.id,
    )
    db.session.add(response)
    db.session.flush()
    webhooks.pledge_answered(response)
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
