"""Read-side queries for the dashboard: counts, signatures per day, ZIPs, comments."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import func, select

from petition.campaigns.history import hourly_series
from petition.extensions import db
from petition.localtime import at_local_time, local, local_today
from petition.models import Campaign, Signature, User
from petition.organizers.access import organized_by


def organized_campaigns(user: User) -> list[Campaign]:
    """Return the campaigns ``user`` owns or co-organizes, newest first."""
    return list(
        db.session.scalars(
            select(Campaign)
            .where(organized_by(user.id))
            .order_by(Campaign.created_at.desc(), Campaign.id.desc())
        )
    )


def pending_counts(campaign_ids: list[int]) -> dict[int, int]:
    """Return unconfirmed, not withdrawn signatures per campaign, in one grouped query."""
    if not campaign_ids:
        return {}
    rows = db.session.execute(
        select(Signature.campaign_id, func.count())
        .where(
            Signature.campaign_id.in_(campaign_ids),
            Signature.confirmed_at.is_(None),
            Signature.withdrawn_at.is_(None),
        )
        .group_by(Signature.campaign_id)
    )
    return {campaign_id: count for campaign_id, count in rows}


def _counted(campaign: Campaign):
    return (
        Signature.campaign_id == campaign.id,
        Signature.confirmed_at.is_not(None),
        Signature.withdrawn_at.is_(None),
    )


def signatures_per_day(campaign: Campaign, days: int = 30) -> list[tuple[date, int]]:
    """Return (day, signatures confirmed that day) for the last ``days`` days, in the demand's zone.

    Read from the stored hourly buckets (``campaigns.history``), never from the
    signatures. Each hour goes to the local day it starts in: exact for zones a
    whole number of hours from UTC, within 30 minutes for the few that are not.
    """
    zone_name = campaign.time_zone
    first = local_today(zone_name) - timedelta(days=days - 1)
    counts: Counter[date] = Counter()
    for point in hourly_series(campaign, since=at_local_time(first, time(0), zone_name)):
        counts[local(point.start, zone_name).date()] += point.confirmed
    return [(first + timedelta(days=n), counts[first + timedelta(days=n)]) for n in range(days)]


def top_zip_codes(campaign: Campaign, limit: int = 10) -> list[tuple[str, int]]:
    rows = db.session.execute(
        select(Signature.zip_code, func.count().label("n"))
        .where(*_counted(campaign), Signature.zip_code.is_not(None))
        .group_by(Signature.zip_code)
        .order_by(func.count().desc(), Signature.zip_code)
        .limit(limit)
    )
    return [(zip_code, count) for zip_code, count in rows]


def latest_comments(campaign: Campaign, limit: int = 10) -> list[Signature]:
    return list(
        db.session.scalars(
            select(Signature)
            .where(*_counted(campaign), Signature.comment.is_not(None), Signature.comment != "")
            .order_by(Signature.confirmed_at.desc(), Signature.id.desc())
            .limit(limit)
        )
    )


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: date
    count: int


@dataclass
class Chart:
    """A bar chart laid out in SVG user units; the template draws it."""

    width: int
    height: int
    bars: list[Bar]
    peak: int
    total: int


def bar_chart(series: list[tuple[date, int]], width: int = 600, height: int = 160) -> Chart:
    """Lay out one bar per day; the tallest bar fills the height."""
    peak = max((count for _, count in series), default=0)
    slot = width / max(len(series), 1)
    bars = []
    for index, (day, count) in enumerate(series):
        bar_height = round(height * count / peak, 1) if peak else 0.0
        bars.append(
            Bar(
                x=round(index * slot + slot * 0.1, 1),
                y=round(height - bar_height, 1),
                width=round(slot * 0.8, 1),
                height=bar_height,
                day=day,
                count=count,
            )
        )
    return Chart(width=width, height=height, bars=bars, peak=peak, total=sum(c for _, c in series))
