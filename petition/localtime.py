"""Local time: each campaign and race has an IANA time zone its pages and mail are shown in.

Times are stored and compared in UTC (``petition.clock``); only what people
read, and the days organizers type, are in the campaign's or race's zone.
"""

from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask import current_app, has_app_context
from wtforms.fields.choices import SelectChoice

from petition.clock import now

# The default when no setting is read (migrations, scripts without an app).
FALLBACK_ZONE = "America/Chicago"

# Offered first in the editors; any other valid IANA name is accepted too.
US_TIME_ZONES = (
    ("America/New_York", "Eastern (New York, Orlando)"),
    ("America/Chicago", "Central (Chicago, Dallas, New Orleans)"),
    ("America/Denver", "Mountain (Denver)"),
    ("America/Phoenix", "Mountain without daylight saving (Phoenix)"),
    ("America/Los_Angeles", "Pacific (Los Angeles)"),
    ("America/Anchorage", "Alaska (Anchorage)"),
    ("Pacific/Honolulu", "Hawaii (Honolulu)"),
    ("America/Puerto_Rico", "Atlantic (Puerto Rico)"),
)


def is_valid_zone(name: str | None) -> bool:
    """Whether ``name`` is an IANA zone this machine knows, like "America/Chicago"."""
    if not name or name != name.strip() or len(name) > 64 or ".." in name:
        return False
    try:
        zone(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@lru_cache(maxsize=128)
def zone(name: str) -> ZoneInfo:
    """Return the zone named ``name``; raises ``ZoneInfoNotFoundError`` for an unknown one."""
    return ZoneInfo(name)


def default_zone_name() -> str:
    """The zone new campaigns and races start in: ``PETITION_DEFAULT_TIME_ZONE``."""
    if has_app_context():
        return current_app.config.get("PETITION_DEFAULT_TIME_ZONE") or FALLBACK_ZONE
    return FALLBACK_ZONE


def zone_or_default(name: str | None) -> ZoneInfo:
    """The zone ``name``, or the default one when it is empty or unknown here."""
    if name and is_valid_zone(name):
        return zone(name)
    return zone(default_zone_name())


def local(moment: datetime, zone_name: str | None) -> datetime:
    """``moment`` (aware, UTC) as a wall-clock time in the zone."""
    return moment.astimezone(zone_or_default(zone_name))


def at_local_time(day: date, wall: time, zone_name: str | None) -> datetime:
    """The UTC moment when the clocks in the zone show ``wall`` on ``day``.

    A wall time skipped by a daylight-saving change (midnight, in the few
    zones that change then) reads with the offset before the change, which is
    the instant the clocks jump: for midnight, the moment the day begins.
    """
    return datetime.combine(day, wall, tzinfo=zone_or_default(zone_name)).astimezone(UTC)


def local_today(zone_name: str | None) -> date:
    """Today's date in the zone (``clock.now()`` moved there)."""
    return local(now(), zone_name).date()


@lru_cache(maxsize=1)
def zone_choices() -> list[SelectChoice]:
    """Choices for a select: US zones first, then every other IANA zone, in two groups."""
    us = [name for name, _ in US_TIME_ZONES]
    others = sorted(available_timezones() - set(us))
    return [
        SelectChoice(name, label, optgroup="United States") for name, label in US_TIME_ZONES
    ] + [SelectChoice(name, name.replace("_", " "), optgroup="All time zones") for name in others]
