"""The one rule for what makes a pledge public, used by every page, file and API that shows one.

A pledge is public while its campaign is public (live, closed or won: not a
draft, not waiting for moderation, not taken down), the pledge itself was
not taken down, and it is not waiting for an admin (``held_at``: under
moderation, a new pledge on someone else's published demand). The last two
matter for a pledge that collects the signers of another demand: that
demand stays live whatever happens to the pledge.

``PUBLIC_PLEDGE`` is the SQL condition (the query must join the pledge's
campaign); ``public_pledge_or_abort`` answers an HTML route as the pledge page
does: 410 with the take-down notice, else 404.
"""

from flask import abort
from sqlalchemy import and_

from petition import takedown
from petition.models import PUBLIC_STATUSES, Campaign, CampaignStatus, Pledge

PUBLIC_PLEDGE = and_(
    Pledge.taken_down_at.is_(None),
    Pledge.held_at.is_(None),
    Campaign.status.in_(PUBLIC_STATUSES),
)


def is_public(pledge: Pledge) -> bool:
    """Whether the public may see ``pledge``: ``PUBLIC_PLEDGE`` for a loaded row."""
    return (
        pledge.taken_down_at is None
        and pledge.held_at is None
        and pledge.campaign.status in PUBLIC_STATUSES
    )


def public_pledge_or_abort(pledge: Pledge | None) -> Pledge:
    """Return ``pledge`` if public; else the take-down notice (410) or a 404."""
    if pledge is not None and pledge.taken_down_at is not None:
        takedown.gone(pledge)
    if pledge is not None and pledge.campaign.status == CampaignStatus.TAKEN_DOWN:
        takedown.gone(pledge.campaign)
    if pledge is None or not is_public(pledge):  # e.g. waiting for moderation
        abort(404)
    return pledge
