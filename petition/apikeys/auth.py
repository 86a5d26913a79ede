"""``Authorization: Bearer`` for the keyed API, and its JSON answers.

A missing, malformed, unknown or revoked key is a JSON 401; a client whose
failures pass ``PETITION_API_AUTH_RATE_LIMIT`` gets a 429 before its key is
even looked at, so keys cannot be guessed at speed. A campaign the key's
organizer does not run is a 404, exactly like one that does not exist.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn

from flask import abort, g, request
from sqlalchemy import select

from petition import ratelimits
from petition.apikeys.keys import holder_of
from petition.errors import problem_response
from petition.extensions import db
from petition.models import Campaign, User
from petition.netaddr import client_address, hash_address
from petition.organizers.access import organized_by

_SCOPE = "api-key-failures"
# OSDI clients (Action Network's among them) send the key in this header.
OSDI_HEADER = "OSDI-API-Token"


def api_error(status: int, message: str, **headers: str) -> NoReturn:
    """Stop the request with problem details, like every error under /api/."""
    response = problem_response(status, message)
    response.headers.update(headers)
    abort(response)


def _presented_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return request.headers.get(OSDI_HEADER) or None


def key_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let the request through only with an active organizer key; ``g.key_holder`` is its owner."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        client = hash_address(client_address())
        if not ratelimits.within("PETITION_API_AUTH_RATE_LIMIT", _SCOPE, client):
            api_error(429, "Too many failed attempts with API keys; try again later.")
        token = _presented_token()
        user = holder_of(token) if token else None
        if user is None:
            ratelimits.hit("PETITION_API_AUTH_RATE_LIMIT", _SCOPE, client)
            api_error(
                401,
                "Send an active organizer API key as 'Authorization: Bearer <key>'.",
                **{"WWW-Authenticate": 'Bearer realm="petition"'},
            )
        g.key_holder = user
        return view(*args, **kwargs)

    return wrapper


def key_holder() -> User:
    return g.key_holder


def campaign_for_key_or_404(slug: str) -> Campaign:
    """Return the campaign ``slug`` if the key's organizer runs it; otherwise a JSON 404."""
    campaign = db.session.scalar(
        select(Campaign).where(Campaign.slug == slug, organized_by(key_holder().id))
    )
    if campaign is None:
        api_error(404, "No such campaign.")
    return campaign
