"""A campaign's count over time, read from its stored hourly buckets.

Confirmations and withdrawals are tallied per UTC hour in
``signature_count_hours`` as they happen (petition.counts), so a history is a
GROUP BY over at most 16 rows an hour, never a scan of the signatures. The
public API and the dashboard's chart read it from here.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, func, select

from petition.counts import hour_of
from petition.extensions import db
from petition.models import Campaign, SignatureCountHour

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Point:
    """What happened to a campaign's count in one period (an hour or a day, UTC)."""

    start: datetime
    confirmed: int  # signatures confirmed in the period
    withdrawn: int  # counted signatures withdrawn in the period
    total: int  # the public count at the end of the period

    @property
    def change(self) -> int:
        return self.confirmed - self.withdrawn


_hours = SignatureCountHour
_HOURS_FROM = (
    select(_hours.hour, func.sum(_hours.confirmed), func.sum(_hours.withdrawn))
    .where(_hours.campaign_id == bindparam("campaign_id"), _hours.hour >= bindparam("since"))
    .group_by(_hours.hour)
    .order_by(_hours.hour)
)
_SOME_HOURS_FROM = _HOURS_FROM.limit(bindparam("limit"))
_NET_BEFORE = select(func.coalesce(func.sum(_hours.confirmed - _hours.withdrawn), 0)).where(
    _hours.campaign_id == bindparam("campaign_id"), _hours.hour < bindparam("since")
)
# Earlier than any signature: "since the beginning".
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def hourly_series(
    campaign: Campaign, since: datetime | None = None, limit: int | None = None
) -> list[Point]:
    """Return the hours in which the count changed, oldest first, from the hour of ``since``.

    Hours without a confirmation or withdrawal are left out (the total held
    still). At most ``limit`` points when given: continue from the hour after
    the last one.
    """
    start = _EPOCH if since is None else hour_of(since)
    params = {"campaign_id": campaign.id, "since": start}
    total = db.session.scalar(_NET_BEFORE, params) if since is not None else 0
    points = []
    query = _HOURS_FROM if limit is None else _SOME_HOURS_FROM
    for hour, confirmed, withdrawn in db.session.execute(query, {**params, "limit": limit}):
        total += confirmed - withdrawn
        points.append(Point(hour, confirmed, withdrawn, total))
    return points


def daily_series(campaign: Campaign, since: datetime | None = None) -> list[Point]:
    """Return the UTC days in which the count changed, oldest first, from the day of ``since``."""
    day_start = None if since is None else day_of(since)
    days: list[Point] = []
    for point in hourly_series(campaign, day_start):
        day = day_of(point.start)
        if days and days[-1].start == day:
            last = days[-1]
            days[-1] = Point(
                day, last.confirmed + point.confirmed, last.withdrawn + point.withdrawn, point.total
            )
        else:
            days.append(Point(day, point.confirmed, point.withdrawn, point.total))
    return days


def day_of(moment: datetime) -> datetime:
    """Return the start of the UTC day ``moment`` falls in."""
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
