"""Organizer workflows: write, publish, moderate, close, win, deliver.

They add and flush; the view commits once. Co-organizers live in
``petition.organizers.team``, updates to signers in ``petition.organizers.updates``.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from petition import slugs
from petition.clock import now
from petition.extensions import db
from petition.localtime import FALLBACK_ZONE, at_local_time
from petition.models import (
    PUBLIC_STATUSES,
    Campaign,
    CampaignOrganizer,
    CampaignRevision,
    CampaignStatus,
    EvidenceEntry,
    Pledge,
    Target,
    TargetAnswer,
    User,
)
from petition.outbox import queue_mail
from petition.transactions import DomainError
from petition.urls import absolute_url
from petition.webhooks import events as webhooks


class LifecycleError(DomainError):
    """The campaign is not in a state that allows this step."""


class TargetOnRecord(DomainError):
    """An edit would rename, remove or displace a target that has a public record."""


@dataclass
class TargetDetails:
    name: str
    office: str
    jurisdiction: str
    email: str | None = None
    website: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "office": self.office,
            "jurisdiction": self.jurisdiction,
            "email": self.email,
            "website": self.website,
        }


@dataclass
class CampaignDetails:
    title: str
    slug: str
    demand: str
    targets: list[TargetDetails]
    signature_goal: int
    closes_at: datetime | None
    zip_required: bool
    time_zone: str = FALLBACK_ZONE


def slug_taken(slug: str, exclude_id: int | None = None) -> bool:
    query = select(Campaign.id).where(Campaign.slug == slug)
    if exclude_id is not None:
        query = query.where(Campaign.id != exclude_id)
    return db.session.scalar(query) is not None


def unique_slug(title: str) -> str:
    """Return a free slug made from ``title``, adding -2, -3 ... on a collision."""
    base = slugs.slugify(title)
    if base in slugs.RESERVED:
        base = f"{base}-demand"
    candidate, number = base, 1
    while slug_taken(candidate):
        number += 1
        candidate = slugs.numbered(base, number)
    return candidate


def slug_locked(campaign: Campaign | None) -> bool:
    """Whether the web address is fixed: once public, the link is out in the world."""
    return campaign is not None and (campaign.published_at is not None or campaign.is_public)


def closing_moment(day: date | None, zone_name: str | None) -> datetime | None:
    """Signing stops at the end of the closing day in the campaign's time zone."""
    if day is None:
        return None
    return at_local_time(day, time(23, 59, 59), zone_name)


def targets_snapshot(campaign: Campaign) -> list[dict[str, Any]]:
    return [
        TargetDetails(t.name, t.office, t.jurisdiction, t.email, t.website).as_dict()
        for t in campaign.targets
    ]


def save_campaign(
    campaign: Campaign | None, details: CampaignDetails, author: User | None
) -> Campaign:
    """Create a draft, or edit a campaign, keeping a revision when people have signed it.

    Raises ``SlugTaken`` when another campaign took the slug meanwhile (the
    unique constraint is the backstop for the form's check).
    """
    if campaign is None:
        campaign = Campaign(owner_id=author.id, status=CampaignStatus.DRAFT, created_at=now())
        db.session.add(campaign)
    elif campaign.signature_count > 0:
        new_targets = [target.as_dict() for target in details.targets]
        old_targets = targets_snapshot(campaign)
        if details.demand != campaign.demand or new_targets != old_targets:
            # People signed the old wording: keep it, and say publicly that it changed.
            db.session.add(
                CampaignRevision(
                    campaign_id=campaign.id,
                    demand=campaign.demand,
                    targets=old_targets,
                    created_at=now(),
                    author_id=author.id if author is not None else None,
                )
            )
            campaign.edited_at = now()
    campaign.title = details.title
    if not slug_locked(campaign):
        campaign.slug = details.slug
    campaign.demand = details.demand
    campaign.signature_goal = details.signature_goal
    campaign.closes_at = details.closes_at
    campaign.zip_required = details.zip_required
    campaign.time_zone = details.time_zone
    # The targets' checks read the record; flushing the new slug before the
    # savepoint below would raise a taken slug where nothing can catch it.
    with db.session.no_autoflush:
        _replace_targets(campaign, details.targets)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:
        raise slugs.SlugTaken(details.slug) from exc
    return campaign


def _identity(name: str, office: str) -> tuple[str, str]:
    """Who a target is: a changed name or office is another person, so another row."""
    return (" ".join(name.split()).casefold(), " ".join(office.split()).casefold())


def _match_targets(campaign: Campaign, targets: list[TargetDetails]) -> list[Target | None]:
    """Pair each submitted target with the existing row for the same person, if any."""
    free = list(campaign.targets)
    matched: list[Target | None] = []
    for details in targets:
        key = _identity(details.name, details.office)
        row = next((row for row in free if _identity(row.name, row.office) == key), None)
        if row is not None:
            free.remove(row)
        matched.append(row)
    return matched


def _has_answers(campaign: Campaign) -> bool:
    query = select(TargetAnswer.id).where(TargetAnswer.campaign_id == campaign.id).limit(1)
    return db.session.scalar(query) is not None


def targets_on_record(campaign: Campaign) -> set[int]:
    """Ids of the campaign's targets that the public record names.

    A target with evidence entries, and the first target once the demand has
    recorded answers (the answers are shown as theirs).
    """
    ids = [target.id for target in campaign.targets if target.id is not None]
    if not ids:
        return set()
    named = set(
        db.session.scalars(
            select(EvidenceEntry.target_id).where(EvidenceEntry.target_id.in_(ids)).distinct()
        )
    )
    if _has_answers(campaign):
        named.add(ids[0])
    return named


def check_targets_kept(campaign: Campaign, targets: list[TargetDetails]) -> None:
    """Refuse an edit that renames, removes or displaces a target on the public record.

    The record is append-only: what a person did stays attributed to that
    person. A new or corrected person is added as another target instead.
    """
    on_record = targets_on_record(campaign)
    if not on_record:
        return
    matched = _match_targets(campaign, targets)
    kept = {row.id for row in matched if row is not None}
    for row in campaign.targets:
        if row.id in on_record and row.id not in kept:
            raise TargetOnRecord(
                f"{row.name} ({row.office}) has a public record; this target cannot be "
                "removed or renamed. Add anyone else as another target."
            )
    primary = campaign.primary_target
    if matched[0] is not primary and _has_answers(campaign):
        # The demand's answers are shown as the first target's.
        raise TargetOnRecord(
            f"{primary.name} has answered this demand on the public record and must stay "
            "the first target."
        )


def _replace_targets(campaign: Campaign, targets: list[TargetDetails]) -> None:
    """Set the targets, reusing a row only for the same person (name and office).

    A row is never given to another person: evidence entries point to it.
    Rows for people no longer listed are deleted (the database refuses when
    one still has evidence, behind ``check_targets_kept``).
    """
    check_targets_kept(campaign, targets)
    rows = []
    for position, (details, row) in enumerate(
        zip(targets, _match_targets(campaign, targets), strict=True)
    ):
        row = row if row is not None else Target()
        row.position = position
        row.name = details.name
        row.office = details.office
        row.jurisdiction = details.jurisdiction
        row.email = details.email
        row.website = details.website
        rows.append(row)
    campaign.targets = rows


# Lifecycle: draft -> (pending ->) live -> closed / won. Each step checks the
# state it starts from, so a replayed or stale form cannot skip moderation.


def publish(campaign: Campaign, moderation: bool) -> None:
    """Put a draft live, or in the review queue when moderation is on."""
    if campaign.status != CampaignStatus.DRAFT:
        raise LifecycleError("Only a draft can be published")
    campaign.rejection_reason = None
    if moderation:
        campaign.status = CampaignStatus.PENDING
    else:
        _go_live(campaign)
    db.session.flush()
    webhooks.status_changed(campaign, CampaignStatus.DRAFT)


def _go_live(campaign: Campaign) -> None:
    campaign.status = CampaignStatus.LIVE
    if campaign.published_at is None:
        campaign.published_at = now()


def approve(campaign: Campaign) -> None:
    """Put a pending campaign live and tell its organizers."""
    if campaign.status != CampaignStatus.PENDING:
        raise LifecycleError("Only a demand waiting for review can be approved")
    _go_live(campaign)
    db.session.flush()
    webhooks.status_changed(campaign, CampaignStatus.PENDING)
    mail_organizers(campaign, "campaign_approved", f"Your demand is live: {campaign.title}")


def reject(campaign: Campaign, reason: str) -> None:
    """Send a pending campaign back to draft with a reason its organizers see, and mail it."""
    if campaign.status != CampaignStatus.PENDING:
        raise LifecycleError("Only a demand waiting for review can be rejected")
    campaign.status = CampaignStatus.DRAFT
    campaign.rejection_reason = reason
    db.session.flush()
    webhooks.status_changed(campaign, CampaignStatus.PENDING)
    mail_organizers(campaign, "campaign_rejected", f"Changes needed: {campaign.title}")


def organizer_addresses(campaign: Campaign) -> list[str]:
    """Return the owner's and the active co-organizers' email addresses."""
    co_organizers = select(CampaignOrganizer.user_id).where(
        CampaignOrganizer.campaign_id == campaign.id,
        CampaignOrganizer.accepted_at.is_not(None),
    )
    return list(
        db.session.scalars(
            select(User.email)
            .where((User.id == campaign.owner_id) | User.id.in_(co_organizers))
            .order_by(User.id)
        )
    )


def mail_organizers(campaign: Campaign, template: str, subject: str, **context: object) -> None:
    """Queue ``template`` to the owner and every active co-organizer."""
    for address in organizer_addresses(campaign):
        queue_mail(
            address,
            template,
            subject,
            campaign=campaign,
            campaign_url=absolute_url("campaigns.show", slug=campaign.slug),
            dashboard_url=absolute_url("organizers.campaign", campaign_id=campaign.id),
            **context,
        )


def close(campaign: Campaign) -> None:
    if campaign.status != CampaignStatus.LIVE:
        raise LifecycleError("Only a live demand can be closed")
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_at = now()
    db.session.flush()
    webhooks.status_changed(campaign, CampaignStatus.LIVE)


def reopen(campaign: Campaign) -> None:
    """Take signatures again after a close: organizers close by mistake, or too early."""
    if campaign.status != CampaignStatus.CLOSED:
        raise LifecycleError("Only a closed demand can be reopened")
    if campaign.closes_at is not None and campaign.closes_at <= now():
        raise LifecycleError("Its closing date has passed: change or clear it in the editor first")
    campaign.status = CampaignStatus.LIVE
    campaign.closed_at = None
    db.session.flush()
    webhooks.status_changed(campaign, CampaignStatus.CLOSED)


def delete_draft(campaign: Campaign) -> None:
    """Delete a campaign that was never published (so nobody ever signed it)."""
    if campaign.status != CampaignStatus.DRAFT or campaign.published_at is not None:
        raise LifecycleError("Only a draft that was never published can be deleted")
    if db.session.scalar(select(exists().where(Pledge.campaign_id == campaign.id))):
        # A pledge's own demand (sent back by a moderator, say) lives and goes with its pledge.
        raise LifecycleError("This draft is a pledge's demand: change it from the pledge instead")
    db.session.delete(campaign)
    db.session.flush()


def declare_victory(campaign: Campaign, story: str) -> None:
    if campaign.status not in (CampaignStatus.LIVE, CampaignStatus.CLOSED, CampaignStatus.WON):
        raise LifecycleError("Only a published demand can be won")
    previous = campaign.status
    if campaign.status != CampaignStatus.WON:
        campaign.won_at = now()
    campaign.closed_at = campaign.closed_at or now()
    campaign.status = CampaignStatus.WON
    campaign.victory_story = story
    db.session.flush()
    webhooks.status_changed(campaign, previous)


def record_delivery(campaign: Campaign, delivered_on: date, to: str, note: str | None) -> None:
    if campaign.status not in PUBLIC_STATUSES:
        raise LifecycleError("Only a published demand can be delivered")
    # Noon on that day where the campaign is, so the date reads back the same there.
    campaign.delivered_at = at_local_time(delivered_on, time(12), campaign.time_zone)
    campaign.delivered_to = to
    campaign.delivery_note = note
    db.session.flush()
