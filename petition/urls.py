"""Absolute links, for email and share buttons."""

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def absolute_url(endpoint: str, **values: Any) -> str:
    """Return an absolute URL, based on PETITION_BASE_URL when it is set.

    Works outside a request too (the outbox worker, CLI commands) as long as
    PETITION_BASE_URL is configured.
    """
    base = current_app.config.get("PETITION_BASE_URL")
    if base:
        parts = urlsplit(base)
        adapter = current_app.url_map.bind(
            parts.netloc, script_name=parts.path.rstrip("/") or "/", url_scheme=parts.scheme
        )
        return adapter.build(endpoint, values, force_external=True)
    if not has_request_context():
        raise RuntimeError("PETITION_BASE_URL must be set to build links outside a request")
    return url_for(endpoint, _external=True, **values)
