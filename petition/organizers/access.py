"""Who may run a campaign: its owner and its co-organizers, nobody else.

Every organizer view gets its campaign from ``campaign_for_organizer_or_404``
and never by id alone, so changing a number in a URL or a form shows another
organizer's campaign to no one. Someone else's campaign answers 404, not 403:
the answer must not even confirm that the id exists. Admins get no bypass
here; they see pending campaigns through the moderation queue only.
"""

from flask import abort
from flask_login import current_user
from sqlalchemy import ColumnElement, or_, select

from petition.extensions import db
from petition.models import Campaign, CampaignOrganizer


def organized_by(user_id: int) -> ColumnElement[bool]:
    """Return the condition "user_id owns or co-organizes the campaign"."""
    co_organized = select(CampaignOrganizer.campaign_id).where(
        CampaignOrganizer.user_id == user_id,
        CampaignOrganizer.accepted_at.is_not(None),
    )
    return or_(Campaign.owner_id == user_id, Campaign.id.in_(co_organized))


def co_organizer_of_or_404(campaign: Campaign, co_organizer_id: int) -> CampaignOrganizer:
    """Return the co-organizer row (or invitation) ``co_organizer_id`` of ``campaign``, else 404.

    An id that belongs to another campaign is a 404 like one that does not exist.
    """
    co_organizer = db.session.get(CampaignOrganizer, co_organizer_id)
    if co_organizer is None or co_organizer.campaign_id != campaign.id:
        abort(404)
    return co_organizer


def campaign_for_organizer_or_404(campaign_id: int) -> Campaign:
    """Return the campaign if the logged-in user owns or co-organizes it, else 404."""
    if not current_user.is_authenticated:
        abort(404)
    campaign = db.session.scalar(
        select(Campaign).where(Campaign.id == campaign_id, organized_by(current_user.id))
    )
    if campaign is None:
        abort(404)
    return campaign
