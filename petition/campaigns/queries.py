"""Read-side queries for public campaign pages."""

from datetime import timedelta

from flask import abort
from sqlalchemy import Row, desc, exists, func, select

from petition.clock import now
from petition.extensions import db
from petition.models import (
    PUBLIC_STATUSES,
    Campaign,
    CampaignRevision,
    CampaignStatus,
    CampaignUpdate,
    Pledge,
    Signature,
)

ACTIVITY_WINDOW = timedelta(hours=24)


def get_public_campaign_or_404(slug: str) -> Campaign:
    """Return a campaign the public may see; drafts and unknown slugs are 404."""
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    if campaign is None or campaign.status not in PUBLIC_STATUSES:
        abort(404)
    return campaign


def recent_public_signers(campaign: Campaign, limit: int = 10) -> list[Signature]:
    """Return the latest confirmed signers who chose to be shown."""
    return list(
        db.session.scalars(
            select(Signature)
            .where(
                Signature.campaign_id == campaign.id,
                Signature.confirmed_at.is_not(None),
                Signature.withdrawn_at.is_(None),
                Signature.show_publicly.is_(True),
            )
            .order_by(Signature.confirmed_at.desc(), Signature.id.desc())
            .limit(limit)
        )
    )


def live_campaigns_by_activity(limit: int = 50) -> list[Row[tuple[Campaign, int]]]:
    """Return live campaigns with their confirmations in the last day, busiest first."""
    recent = (
        select(Signature.campaign_id, func.count().label("recent"))
        .where(
            Signature.confirmed_at >= now() - ACTIVITY_WINDOW,
            Signature.withdrawn_at.is_(None),
        )
        .group_by(Signature.campaign_id)
        .subquery()
    )
    recent_count = func.coalesce(recent.c.recent, 0)
    return list(
        db.session.execute(
            select(Campaign, recent_count)
            .outerjoin(recent, recent.c.campaign_id == Campaign.id)
            .where(Campaign.status == CampaignStatus.LIVE, ~_backs_a_pledge())
            .order_by(desc(recent_count), Campaign.signature_count.desc(), Campaign.id)
            .limit(limit)
        ).all()
    )


def campaign_updates(campaign: Campaign) -> list[CampaignUpdate]:
    """Return the organizers' updates, newest first."""
    return list(
        db.session.scalars(
            select(CampaignUpdate)
            .where(CampaignUpdate.campaign_id == campaign.id)
            .order_by(CampaignUpdate.created_at.desc(), CampaignUpdate.id.desc())
        )
    )


def campaign_revisions(campaign: Campaign) -> list[CampaignRevision]:
    """Return the earlier versions of the demand, newest first."""
    return list(
        db.session.scalars(
            select(CampaignRevision)
            .where(CampaignRevision.campaign_id == campaign.id)
            .order_by(CampaignRevision.created_at.desc(), CampaignRevision.id.desc())
        )
    )


def recent_victories(limit: int = 5) -> list[Campaign]:
    """Return the latest won campaigns, for the home page."""
    return list(
        db.session.scalars(
            select(Campaign)
            .where(Campaign.status == CampaignStatus.WON)
            .order_by(Campaign.won_at.desc(), Campaign.id.desc())
            .limit(limit)
        )
    )


def _backs_a_pledge():
    return exists().where(Pledge.campaign_id == Campaign.id, Pledge.owns_campaign.is_(True))


def backing_pledge(campaign: Campaign) -> Pledge | None:
    """Return the pledge this campaign was created to collect supporters for, if any.

    Such a campaign is the pledge's signing machinery, not a demand of its
    own: its public face is the pledge page.
    """
    return db.session.scalar(
        select(Pledge).where(Pledge.campaign_id == campaign.id, Pledge.owns_campaign.is_(True))
    )
