"""Won and delivered demands, newest first, grouped by the city of their target."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import defer, selectinload

from petition.extensions import db
from petition.models import PUBLIC_STATUSES, Campaign, CampaignStatus, Pledge

PER_PAGE = 20
# Far past any real list, and its offset still fits every database's integer.
MAX_PAGE = 100_000

# When it was won, or else when it was delivered: the victory's own date.
_VICTORY_AT = func.coalesce(Campaign.won_at, Campaign.delivered_at)


def _victories():
    return (
        select(Campaign)
        .options(
            selectinload(Campaign.targets),
            defer(Campaign.demand),
            defer(Campaign.demand_html),
            defer(Campaign.victory_story),
            defer(Campaign.delivery_note),
        )
        .where(
            Campaign.status.in_(PUBLIC_STATUSES),
            or_(Campaign.status == CampaignStatus.WON, Campaign.delivered_at.is_not(None)),
            # A pledge's own campaign is shown as the pledge, not as a demand.
            ~exists().where(Pledge.campaign_id == Campaign.id, Pledge.owns_campaign.is_(True)),
        )
        .order_by(_VICTORY_AT.desc(), Campaign.id.desc())
    )


def recent_victories(limit: int = 5) -> list[Campaign]:
    """Return the latest won or delivered demands, for the front page."""
    return list(db.session.scalars(_victories().limit(limit)))


@dataclass
class City:
    name: str
    campaigns: list[Campaign] = field(default_factory=list)


@dataclass
class VictoriesPage:
    cities: list[City]
    number: int
    has_next: bool


def city_of(campaign: Campaign) -> str:
    """The place a demand was won in: its first target's jurisdiction."""
    return campaign.targets[0].jurisdiction if campaign.targets else _("Elsewhere")


def victories_page(number: int) -> VictoriesPage:
    """Return one page of victories, grouped by city, the city of the newest first."""
    found = list(
        db.session.scalars(_victories().offset((number - 1) * PER_PAGE).limit(PER_PAGE + 1))
    )
    cities: dict[str, City] = {}
    for campaign in found[:PER_PAGE]:
        name = city_of(campaign)
        cities.setdefault(name, City(name)).campaigns.append(campaign)
    return VictoriesPage(list(cities.values()), number, has_next=len(found) > PER_PAGE)
