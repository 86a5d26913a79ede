"""Signatures over time: the series the public campaign page charts and history.json serves.

It is read from the stored hourly buckets (``petition.campaigns.history``, one
statement), never from the signatures. A campaign's first 72 hours are shown
hour by hour; after that, day by day, in the campaign's time zone. Every
period from the campaign's start to now (or to its last change, once it is
closed) is in the series, quiet ones with a count of 0, so the bars keep an
honest time axis.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from flask import abort, current_app
from sqlalchemy import bindparam, select

from petition.caching import keep_bounded
from petition.campaigns.history import HOUR, Point, hourly_series
from petition.clock import monotonic, now
from petition.counts import hour_of
from petition.extensions import db
from petition.localtime import at_local_time, local
from petition.models import PUBLIC_STATUSES, Campaign

# A campaign younger than this is charted by the hour.
HOURLY_SPAN = timedelta(hours=72)

Granularity = Literal["hour", "day"]


@dataclass(frozen=True)
class Period:
    """One hour or one day of the series."""

    start: datetime  # UTC; for a day, midnight in the campaign's zone
    count: int  # signatures confirmed in the period, less those withdrawn
    total: int  # the public count at the end of the period
    changed: bool  # whether anyone confirmed or withdrew in it


@dataclass(frozen=True)
class Series:
    """A campaign's count over time, by hour or by day."""

    granularity: Granularity
    time_zone: str
    periods: list[Period]

    @property
    def total(self) -> int:
        return self.periods[-1].total if self.periods else 0

    @property
    def busiest(self) -> Period | None:
        """The period with the most signatures; the earliest of equals."""
        if not self.periods:
            return None
        return max(self.periods, key=lambda period: (period.count, -period.start.timestamp()))

    @property
    def active(self) -> list[Period]:
        """The periods in which something happened: what the table lists."""
        return [period for period in self.periods if period.changed]


def signature_series(campaign: Campaign) -> Series:
    """Read ``campaign``'s series from its hourly buckets: one statement."""
    hours = hourly_series(campaign)
    began = campaign.published_at or campaign.created_at
    if campaign.is_open:
        until = now()
    else:  # a closed demand's history stops where its count did
        until = hours[-1].start if hours else began
    return build_series(hours, began, until, campaign.time_zone)


_PUBLIC_BY_SLUG = select(Campaign).where(
    Campaign.slug == bindparam("slug"), Campaign.status.in_(PUBLIC_STATUSES)
)


def public_series_or_404(slug: str) -> Series:
    """Return the series of a campaign the public may see; any other slug is a plain 404.

    A JSON client gets no HTML take-down notice: a demand taken down is just not there.
    """
    campaign = db.session.scalar(_PUBLIC_BY_SLUG, {"slug": slug})
    if campaign is None:
        abort(404)
    return signature_series(campaign)


def build_series(hours: list[Point], began: datetime, until: datetime, zone_name: str) -> Series:
    """Group ``hours`` (oldest first, UTC) into hours or local days from ``began`` to ``until``."""
    if hours:
        began = min(began, hours[0].start)
        until = max(until, hours[-1].start)
    if until - began < HOURLY_SPAN:
        return Series("hour", zone_name, _by_hour(hours, began, until))
    return Series("day", zone_name, _by_day(hours, began, until, zone_name))


def _by_hour(hours: list[Point], began: datetime, until: datetime) -> list[Period]:
    changes = {point.start: point for point in hours}
    periods = []
    total = 0
    start, last = hour_of(began), hour_of(until)
    while start <= last:
        point = changes.get(start)
        count = point.change if point else 0
        total += count
        periods.append(Period(start, count, total, point is not None))
        start += HOUR
    return periods


def _by_day(hours: list[Point], began: datetime, until: datetime, zone_name: str) -> list[Period]:
    # An hour goes to the local day it starts in: exact for zones a whole
    # number of hours from UTC (every US zone), within 30 minutes otherwise.
    counts: Counter[date] = Counter()
    changed: set[date] = set()
    for point in hours:
        day = local(point.start, zone_name).date()
        counts[day] += point.change
        changed.add(day)
    periods = []
    total = 0
    day, last = local(began, zone_name).date(), local(until, zone_name).date()
    while day <= last:
        total += counts[day]
        start = at_local_time(day, time(0), zone_name)
        periods.append(Period(start, counts[day], total, day in changed))
        day += timedelta(days=1)
    return periods


def as_json(series: Series) -> dict:
    """The series as ``/c/<slug>/history.json`` serves it: counts and times, nothing personal."""
    return {
        "granularity": series.granularity,
        "time_zone": series.time_zone,
        "total": series.total,
        "points": [
            {"start": _utc_iso(period.start), "count": period.count, "total": period.total}
            for period in series.periods
        ],
    }


def _utc_iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    period: Period


@dataclass(frozen=True)
class Chart:
    """The series laid out as bars in SVG user units; the template draws them."""

    width: int
    height: int
    bars: list[Bar]


def bar_chart(series: Series, width: int = 600, height: int = 160) -> Chart:
    """Lay out one bar per period; the busiest fills the height, a net loss draws none."""
    peak = max((period.count for period in series.periods), default=0)
    slot = width / max(len(series.periods), 1)
    bars = []
    for index, period in enumerate(series.periods):
        shown = max(period.count, 0)
        bar_height = round(height * shown / peak, 1) if peak > 0 else 0.0
        bars.append(
            Bar(
                x=round(index * slot + slot * 0.1, 2),
                y=round(height - bar_height, 1),
                width=round(slot * 0.8, 2),
                height=bar_height,
                period=period,
            )
        )
    return Chart(width, height, bars)


@dataclass(frozen=True)
class PageChart:
    """What the campaign page draws: the series and its bars."""

    series: Series
    chart: Chart
    expires: float


# One entry per campaign viewed; past this many the expired go, then all.
MAX_KEPT = 10_000
_KEPT = "petition.page_charts"


def page_chart(campaign: Campaign) -> PageChart:
    """Return ``campaign``'s series and bars for its public page, read at most every few seconds.

    The series changes with every confirmation, and a viral demand's page is
    read far more often than that: each process keeps what it read for
    ``PETITION_PAGE_MAX_AGE`` seconds, as long as a shared cache may keep the
    whole page anyway (petition.caching.public_page). The count the page
    shows is not from here: it is read with the page and kept live by count.json.
    """
    kept: dict[tuple, PageChart] = current_app.extensions.setdefault(_KEPT, {})
    # A change of zone or of open/closed redraws the axis at once.
    key = (campaign.id, campaign.time_zone, campaign.is_open)
    moment = monotonic()
    found = kept.get(key)
    if found is not None and found.expires > moment:
        return found
    series = signature_series(campaign)
    found = PageChart(
        series, bar_chart(series), moment + current_app.config["PETITION_PAGE_MAX_AGE"]
    )
    if found.expires > moment:
        keep_bounded(kept, key, found, MAX_KEPT)
    return found
