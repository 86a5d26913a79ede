"""The live count that open campaign and pledge pages poll.

A crowd watching a viral demand polls this every few seconds. The view reads
only the columns it needs (no ORM entity, no relationships) and keeps the
answer for ``PETITION_COUNT_CACHE_SECONDS`` per process; while it is fresh,
``FreshCounts`` in front of Flask answers the poll without entering Flask's
request machinery at all, with the same bytes and headers.

The promise is that a viewer sees a confirmation within 5 seconds: the page
polls every ``PETITION_COUNT_POLL_SECONDS`` (3, with up to 15% jitter), a
shared cache may add the one-second ``max-age``, and this cache half a
second: 3.45 + 1 + 0.5 < 5.
"""

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Flask, Response, abort, current_app, request
from sqlalchemy import Select, bindparam, select
from werkzeug.http import is_resource_modified, quote_etag

from petition import slugs
from petition.clock import monotonic
from petition.extensions import db
from petition.models import PUBLIC_STATUSES, Campaign, Pledge
from petition.models.campaigns import accepts_signatures

# One entry per public campaign or pledge polled; past this many the cache
# starts again rather than grow without bound.
MAX_ENTRIES = 10_000
_CACHE = "petition.live_counts"


@dataclass(frozen=True)
class _Answer:
    body: bytes
    etag: str
    expires: float = 0.0


_COLUMNS = (Campaign.status, Campaign.signature_goal, Campaign.closes_at, Campaign.signature_count)
# Built once: on a cache miss only the slug changes.
_CAMPAIGN = select(*_COLUMNS, Campaign.id.label("key")).where(Campaign.slug == bindparam("slug"))
_PLEDGE = (
    select(*_COLUMNS, Pledge.id.label("key"))
    .join(Pledge, Pledge.campaign_id == Campaign.id)
    .where(Pledge.slug == bindparam("slug"))
    # Held for review (petition.pledges.services.public_pledge_condition): no count yet.
    .where(Pledge.held_at.is_(None))
)


def campaign_count(slug: str) -> Response:
    """Answer a poll of ``/c/<slug>/count.json``."""
    return _respond(f"c/{slug}", _CAMPAIGN, slug)


def pledge_count(slug: str) -> Response:
    """Answer a poll of ``/p/<slug>/count.json``: the count of the pledge's campaign."""
    return _respond(f"p/{slug}", _PLEDGE, slug, supporters=True)


def _respond(key: str, query: Select, slug: str, supporters: bool = False) -> Response:
    cache: dict[str, _Answer] = current_app.extensions[_CACHE]
    moment = monotonic()
    answer = cache.get(key)
    if answer is None or answer.expires <= moment:
        answer = _load(query, slug, supporters)
        lifetime = current_app.config["PETITION_COUNT_CACHE_SECONDS"]
        if lifetime > 0:
            if len(cache) >= MAX_ENTRIES:
                cache.clear()
            answer = _Answer(answer.body, answer.etag, moment + lifetime)
            cache[key] = answer
    status, headers = _status_and_headers(answer, request.environ)
    return Response(answer.body if status == 200 else b"", status=status, headers=headers)


def _load(query: Select, slug: str, supporters: bool) -> _Answer:
    row = db.session.execute(query, {"slug": slug}).first()
    if row is None or row.status not in PUBLIC_STATUSES:
        abort(404)
    is_open = accepts_signatures(row.status, row.closes_at)
    payload = {
        "slug": slug,
        "signatures": row.signature_count,
        "goal": row.signature_goal,
        "status": row.status,
        "open": is_open,
    }
    if supporters:
        payload["supporters"] = row.signature_count
    state = "open" if is_open else "shut"
    etag = quote_etag(f"{row.key}-{row.signature_count}-{row.status}-{state}")
    return _Answer(json.dumps(payload, separators=(",", ":")).encode(), etag)


def _status_and_headers(answer: _Answer, environ: dict) -> tuple[int, list[tuple[str, str]]]:
    # Pollers revalidate with If-None-Match and get an empty 304 until the
    # count moves; the one-second max-age lets a shared cache absorb a crowd.
    headers = [("ETag", answer.etag), ("Cache-Control", "public, max-age=1")]
    if not is_resource_modified(environ, etag=answer.etag):
        return 304, headers
    return 200, [("Content-Type", "application/json"), *headers]


# The same paths the views answer.
_PATH = re.compile(rf"/([cp])/({slugs.PATTERN})/count\.json")
_STATUS = {200: "200 OK", 304: "304 NOT MODIFIED"}


class FreshCounts:
    """WSGI middleware: answer a poll from a fresh cache entry, before Flask.

    A hit costs a regular expression and a dict lookup; anything else (a
    miss, another path or method) goes to Flask unchanged, and the view fills
    the cache. The headers are the view's, plus the app's security headers.
    """

    def __init__(self, app: Flask, wsgi_app: Callable) -> None:
        self.cache: dict[str, _Answer] = app.extensions[_CACHE]
        self.wsgi_app = wsgi_app
        self.security_headers: list[tuple[str, str]] = app.extensions["petition.security_headers"]

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if method == "GET" or method == "HEAD":
            found = _PATH.fullmatch(environ.get("PATH_INFO", ""))
            answer = found and self.cache.get(f"{found[1]}/{found[2]}")
            if answer and answer.expires > monotonic():
                status, headers = _status_and_headers(answer, environ)
                body = answer.body if status == 200 else b""
                headers.append(("Content-Length", str(len(body))))
                start_response(_STATUS[status], headers + self.security_headers)
                return [b"" if method == "HEAD" else body]
        return self.wsgi_app(environ, start_response)


def init_app(app: Flask) -> None:
    app.extensions[_CACHE] = {}
    app.wsgi_app = FreshCounts(app, app.wsgi_app)
