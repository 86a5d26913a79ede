"""What every public API response shares: JSON, shared-cache headers, ETags, open CORS.

The API answers what the public pages show, to anyone: a response depends on
nothing but the URL. So it reads no session and sets no cookie (``Vary:
Cookie`` never appears), carries the public pages' ``Cache-Control``, and an
ETag that turns a repeated poll into a 304. Any site may read it from a
browser (``Access-Control-Allow-Origin: *``); only GET, HEAD and the preflight
for them exist, and there is no credential to leak.
"""

import re
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from flask import Response, abort, current_app, json, request

from petition.api import bp
from petition.caching import sessionless

API_PREFIX = "/api/"
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
LIMIT_DIGITS = 10
# Headers a browser script may send (a conditional GET) and read back.
CORS_REQUEST_HEADERS = "If-None-Match, If-Modified-Since"
CORS_EXPOSED_HEADERS = "ETag"


def api_view(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve a view's dict as JSON that any cache may share, answering 304 when unchanged."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        response = current_app.response_class(
            json.dumps(view(*args, **kwargs), ensure_ascii=False, separators=(",", ":")),
            mimetype="application/json",
        )
        config = current_app.config
        response.cache_control.public = True
        response.cache_control.max_age = config["PETITION_PAGE_MAX_AGE"]
        response.cache_control.stale_while_revalidate = config["PETITION_PAGE_STALE_SECONDS"]
        response.add_etag()
        return response.make_conditional(request)

    return sessionless(wrapper)


@bp.after_app_request
def _open_to_every_origin(response: Response) -> Response:
    # An app-wide hook: a 404 or 405 under /api/ never reaches the blueprint,
    # and a browser script must be able to read those errors too.
    if not request.path.startswith(API_PREFIX):
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = CORS_EXPOSED_HEADERS
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD"
        response.headers["Access-Control-Allow-Headers"] = CORS_REQUEST_HEADERS
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def limit_arg() -> int:
    """Return the ``limit`` query argument, or refuse the request with a 400 that says why."""
    raw = request.args.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    # The length first: int() of thousands of digits is slow, and past 4,300 refuses.
    well_formed = len(raw) <= LIMIT_DIGITS and raw.isascii() and raw.isdigit()
    if not well_formed or not 1 <= int(raw) <= MAX_LIMIT:
        abort(400, description=f"limit must be a whole number from 1 to {MAX_LIMIT}.")
    return int(raw)


# Free text to compare with a column: no control characters (PostgreSQL refuses a
# NUL in a string; none belongs in a place name), and no longer than a place name.
TEXT_MAX_LENGTH = 200
TEXT_PATTERN = r"^[^\u0000-\u001f\u007f]*$"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def text_arg(name: str) -> str | None:
    """Return a free-text query argument, or None when absent or empty; 400 if unusable."""
    raw = request.args.get(name)
    if not raw:
        return None
    if len(raw) > TEXT_MAX_LENGTH or _CONTROL.search(raw):
        abort(
            400,
            description=f"{name} must be at most {TEXT_MAX_LENGTH} characters, "
            "with no control characters.",
        )
    return raw


# A cursor is the last row's id in base 36: opaque to clients, and any string
# of this shape (the document's pattern) is a cursor, possibly past the end.
CURSOR_PATTERN = r"^[0-9a-z]{1,12}$"
_CURSOR = re.compile(CURSOR_PATTERN)
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
MAX_ID = 2_147_483_647


def encode_cursor(last_id: int) -> str:
    """Return the opaque cursor for the page after the row ``last_id``."""
    digits = ""
    while True:
        last_id, remainder = divmod(last_id, 36)
        digits = _DIGITS[remainder] + digits
        if not last_id:
            return digits


def cursor_arg() -> int | None:
    """Return the id the ``cursor`` argument continues after; 400 for one we never gave out."""
    raw = request.args.get("cursor")
    if raw is None:
        return None
    if not _CURSOR.fullmatch(raw):
        abort(400, description="cursor is not one this API gave out: use next from a response.")
    # Ids are 32-bit (PostgreSQL integer): a larger cursor means "from the top".
    return min(int(raw, 36), MAX_ID)


def choice_arg(name: str, choices: tuple[str, ...]) -> str | None:
    """Return a query argument that must be one of ``choices``, or None when absent."""
    raw = request.args.get(name)
    if raw is not None and raw not in choices:
        abort(400, description=f"{name} must be one of: {', '.join(choices)}.")
    return raw


def moment_arg(name: str) -> datetime | None:
    """Return an RFC 3339 date-time argument in UTC, or None when absent; 400 if malformed."""
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        # RFC 3339 allows a lower-case t and z; fromisoformat wants them upper.
        moment = datetime.fromisoformat(raw.upper())
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        abort(
            400,
            description=f"{name} must be an ISO 8601 date and time with a zone, "
            "like 2026-11-30T14:00:00Z.",
        )
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # the first or last hours of year 1 or 9999, in another zone
        return None if moment.year == 1 else datetime.max.replace(tzinfo=UTC)
