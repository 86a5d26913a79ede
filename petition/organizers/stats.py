"""Read-side queries for the dashboard: counts, signatures per day, ZIPs, comments."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from petition.clock import now
from petition.extensions import db
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
    """Return (day, confirmed signatures) for the last ``days`` UTC days, zeros included."""
    today = now().date()
    first = today - timedelta(days=days - 1)
    if db.engine.dialect.name == "postgresql":
        # date() of a timestamptz uses the session time zone; pin it to UTC.
        day = func.date(func.timezone("UTC", Signature.confirmed_at))
    else:  # SQLite stores naive UTC text
        day = func.date(Signature.confirmed_at)
    since = now().replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=days - 1)
    rows = db.session.execute(
        select(day.label("day"), func.count())
        .where(*_counted(campaign), Signature.confirmed_at >= since)
        .group_by("day")
    )
    counts = {str(value)[:10]: count for value, count in rows}
    return [
        (first + timedelta(days=n), counts.get((first + timedelta(days=n)).isoformat(), 0))
        for n in range(days)
    ]


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
