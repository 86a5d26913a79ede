"""Absolute links, for email and share buttons: always on the configured base URL.

A link that leaves the site (in an email, in a shared message, on a cached
page) is built from ``PETITION_BASE_URL`` and never from the request's Host
header, which whoever sends the request chooses: a password reset mailed for
``Host: evil.example`` would otherwise send its token to evil.example.
"""

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app

# In debug (make run) and tests, links point at the development server.
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"


def configure_base_url(app: Flask) -> None:
    """Require a trusted base URL outside debug and testing; check its shape."""
    base = app.config.get("PETITION_BASE_URL")
    if not base:
        if not (app.debug or app.testing):
            raise RuntimeError(
                "PETITION_BASE_URL must be set, like https://petition.example.org: links in "
                "email and on shared pages are built from it, never from the request's Host"
            )
        base = app.config["PETITION_BASE_URL"] = DEVELOPMENT_BASE_URL
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise RuntimeError(f"PETITION_BASE_URL must be an http(s) address, not {base!r}")


def absolute_url(endpoint: str, **values: Any) -> str:
    """Return an absolute URL for ``endpoint`` on PETITION_BASE_URL, in a request or not."""
    parts = urlsplit(current_app.config["PETITION_BASE_URL"])
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path.rstrip("/") or "/", url_scheme=parts.scheme
    )
    return adapter.build(endpoint, values, force_external=True)


def safe_next(target: str | None) -> str | None:
    """Return ``target`` if it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ord(char) < 32 or char == "\\" for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
