"""What the API reads: public campaigns and pledges, a page at a time, in a fixed few queries."""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from petition.extensions import db
from petition.models import (
    PUBLIC_STATUSES,
    Campaign,
    CampaignRevision,
    Candidate,
    Pledge,
    Target,
)
from petition.pledges.public import PUBLIC_PLEDGE


@dataclass
class CampaignRecord:
    """A public campaign with what its representation needs beside the row."""

    campaign: Campaign
    pledge_slug: str | None  # set when the campaign collects a pledge's supporters
    revisions: list[CampaignRevision]


_PLEDGE_SLUG = (
    select(Pledge.slug)
    .where(Pledge.campaign_id == Campaign.id, Pledge.owns_campaign.is_(True))
    .limit(1)
    .scalar_subquery()
)


def _campaigns():
    return (
        select(Campaign, _PLEDGE_SLUG)
        .options(selectinload(Campaign.targets))
        .where(Campaign.status.in_(PUBLIC_STATUSES))
    )


def campaign_page(
    limit: int, after: int | None, status: str | None, jurisdiction: str | None
) -> tuple[list[CampaignRecord], bool]:
    """Return up to ``limit`` public campaigns, newest first, after the id ``after``.

    Also says whether more follow. Three statements whatever the page's size:
    the campaigns (with their counts), their targets, their revisions.
    """
    query = _campaigns().order_by(Campaign.id.desc()).limit(limit + 1)
    if after is not None:
        query = query.where(Campaign.id < after)
    if status is not None:
        query = query.where(Campaign.status == status)
    if jurisdiction is not None:
        query = query.where(
            exists().where(
                Target.campaign_id == Campaign.id,
                func.lower(Target.jurisdiction) == jurisdiction.strip().lower(),
            )
        )
    rows = db.session.execute(query).all()
    records = _with_revisions(rows[:limit])
    return records, len(rows) > limit


def public_campaign(slug: str) -> CampaignRecord | None:
    """Return the public campaign with this slug, or None (drafts and rejected ones too)."""
    row = db.session.execute(_campaigns().where(Campaign.slug == slug)).first()
    return _with_revisions([row])[0] if row is not None else None


def find_public_campaign(slug: str) -> Campaign | None:
    """Return just the public campaign with this slug (no targets), or None."""
    return db.session.scalar(
        select(Campaign).where(Campaign.slug == slug, Campaign.status.in_(PUBLIC_STATUSES))
    )


def _with_revisions(rows) -> list[CampaignRecord]:
    by_campaign: dict[int, list[CampaignRevision]] = defaultdict(list)
    if rows:
        for revision in db.session.scalars(
            select(CampaignRevision)
            .where(CampaignRevision.campaign_id.in_([campaign.id for campaign, _ in rows]))
            .order_by(CampaignRevision.created_at.desc(), CampaignRevision.id.desc())
        ):
            by_campaign[revision.campaign_id].append(revision)
    return [
        CampaignRecord(campaign, pledge_slug, by_campaign[campaign.id])
        for campaign, pledge_slug in rows
    ]


def _pledges():
    return (
        select(Pledge)
        .join(Pledge.campaign)
        .options(selectinload(Pledge.candidates).selectinload(Candidate.responses))
        .where(PUBLIC_PLEDGE)
    )


def pledge_page(
    limit: int, after: int | None, jurisdiction: str | None = None
) -> tuple[list[Pledge], bool]:
    """Return up to ``limit`` public pledges, newest first, after the id ``after``."""
    query = _pledges().order_by(Pledge.id.desc()).limit(limit + 1)
    if after is not None:
        query = query.where(Pledge.id < after)
    if jurisdiction is not None:
        query = query.where(func.lower(Pledge.jurisdiction) == jurisdiction.strip().lower())
    pledges = list(db.session.scalars(query))
    return pledges[:limit], len(pledges) > limit


def public_pledge(slug: str) -> Pledge | None:
    """Return the public pledge with this slug and its candidates' answers, or None."""
    return db.session.scalar(_pledges().where(Pledge.slug == slug))
