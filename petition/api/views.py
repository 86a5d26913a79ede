"""The public read API, v1: campaigns, their count history, pledges. GET only."""

from datetime import datetime

from flask import abort, request

from petition.api import bp, openapi
from petition.api import records as after
from petition.api import representations as represent
from petition.api.http import (
    api_view,
    choice_arg,
    cursor_arg,
    encode_cursor,
    limit_arg,
    moment_arg,
    text_arg,
)
from petition.api.queries import (
    campaign_page,
    find_public_campaign,
    pledge_page,
    public_campaign,
    public_pledge,
)
from petition.campaigns.history import HOUR, daily_series, hourly_series
from petition.models import PUBLIC_STATUSES
from petition.urls import absolute_url

# A year of hours that each saw a change fits in a few pages.
HISTORY_MAX_POINTS = 1000


@bp.get("/openapi.json")
@api_view
def openapi_document():
    return openapi.document()


@bp.get("/campaigns")
@api_view
def campaigns():
    limit, after = limit_arg(), cursor_arg()
    status = choice_arg("status", tuple(str(s) for s in PUBLIC_STATUSES))
    jurisdiction = text_arg("jurisdiction")
    records, more = campaign_page(limit, after, status, jurisdiction)
    filters = {"status": status, "jurisdiction": jurisdiction, "limit": limit}
    return _page(
        "api.campaigns",
        [represent.campaign(record) for record in records],
        records[-1].campaign.id if more else None,
        filters,
    )


@bp.get("/campaigns/<slug:slug>")
@api_view
def campaign(slug: str):
    record = public_campaign(slug)
    if record is None:
        abort(404, description="No public campaign has this slug.")
    return represent.campaign(record) | after.after_delivery(record.campaign)


@bp.get("/campaigns/<slug:slug>/history")
@api_view
def campaign_history(slug: str):
    since = moment_arg("since")
    granularity = choice_arg("granularity", ("hour", "day")) or "hour"
    found = find_public_campaign(slug)
    if found is None:
        abort(404, description="No public campaign has this slug.")
    next_url = None
    if granularity == "day":
        # At most a point a day: a campaign's whole life fits in one response.
        points = daily_series(found, since)
    else:
        points = hourly_series(found, since, limit=HISTORY_MAX_POINTS + 1)
        if len(points) > HISTORY_MAX_POINTS:
            points = points[:HISTORY_MAX_POINTS]
            following = represent.moment(points[-1].start + HOUR)
            next_url = absolute_url("api.campaign_history", slug=slug, since=following)
    given = _given(since=since) | ({"granularity": "day"} if granularity == "day" else {})
    return {
        "campaign": slug,
        "granularity": granularity,
        "count": found.signature_count,
        "points": [represent.history_point(point) for point in points],
        "links": {
            "self": absolute_url("api.campaign_history", slug=slug, **given),
            "next": next_url,
            "campaign": absolute_url("api.campaign", slug=slug),
        },
    }


@bp.get("/pledges")
@api_view
def pledges():
    limit, after = limit_arg(), cursor_arg()
    jurisdiction = text_arg("jurisdiction")
    found, more = pledge_page(limit, after, jurisdiction)
    return _page(
        "api.pledges",
        [represent.pledge_summary(pledge) for pledge in found],
        found[-1].id if more else None,
        {"jurisdiction": jurisdiction, "limit": limit},
    )


@bp.get("/pledges/<slug:slug>")
@api_view
def pledge(slug: str):
    found = public_pledge(slug)
    if found is None:
        abort(404, description="No public pledge has this slug.")
    return represent.pledge(found) | {"election": after.election(found)}


def _page(endpoint: str, data: list, last_id: int | None, filters: dict) -> dict:
    """Wrap one page of a list with the links to it and to the next page."""
    given = {key: value for key, value in filters.items() if value is not None}
    cursor = encode_cursor(last_id) if last_id is not None else None
    return {
        "data": data,
        "next_cursor": cursor,
        "links": {
            "self": absolute_url(endpoint, **given, **_cursor_now()),
            "next": absolute_url(endpoint, **given, cursor=cursor) if cursor else None,
        },
    }


def _given(**values: datetime | None) -> dict[str, str]:
    return {key: represent.moment(value) for key, value in values.items() if value is not None}


def _cursor_now() -> dict:
    cursor = request.args.get("cursor")
    return {"cursor": cursor} if cursor else {}
