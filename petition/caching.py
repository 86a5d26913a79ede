"""HTTP caching: pages and counts that shared caches may hold, and the cookie they never carry.

A viral demand is read far more than it is signed. An anonymous visitor's
campaign page is the same for everyone, so it carries ``Cache-Control: public``
and no cookie, and a CDN or proxy in front can answer the crowd; the live
count keeps the number fresh. Anything that depends on who is asking (a
logged-in organizer, a flash message) is ``private``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Flask, Request, Response, current_app, make_response, request, session
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from werkzeug.exceptions import HTTPException

from petition.clock import monotonic
from petition.database import without_transaction
from petition.i18n import request_language, vary_on_language


def sessionless(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view that never uses the session: it neither reads nor sets the cookie.

    Its responses carry no ``Vary: Cookie``, so a shared cache keeps one copy
    for everyone, cookie or not.
    """
    view.sessionless = True  # type: ignore[attr-defined]
    return without_transaction(view)


def _is_sessionless(app: Flask, endpoint: str | None) -> bool:
    return endpoint is not None and getattr(app.view_functions.get(endpoint), "sessionless", False)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, left alone by ``sessionless`` views."""

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        # Most requests (supporters, pollers) carry no cookie: nothing to read.
        if not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        # Only a request that carries the cookie costs a URL match here; the
        # session is opened before Flask matches the URL itself.
        if _is_sessionless(app, _endpoint(app, request)):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if _is_sessionless(app, request.endpoint):
            return
        super().save_session(app, session, response)


def _endpoint(app: Flask, request: Request) -> str | None:
    adapter = app.create_url_adapter(request)
    if adapter is None:  # pragma: no cover - only without a request
        return None
    try:
        endpoint, _ = adapter.match()
    except HTTPException:
        return None
    return endpoint


def public_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let shared caches hold an anonymous visitor's copy of this page for a short while.

    Such a page only reads, and needs no single snapshot: it runs
    ``without_transaction`` (autocommit on PostgreSQL).

    ``PETITION_PAGE_MAX_AGE`` seconds fresh, then served stale for up to
    ``PETITION_PAGE_STALE_SECONDS`` while the cache fetches a new copy. A
    request with a session cookie, or a response that writes one, is private.
    Each process also keeps its own copy for ``PETITION_PAGE_CACHE_SECONDS``
    (``_kept_copy``), for a crowd that reaches the app without a CDN.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        key = _copy_key()
        copy = _kept_copy(key)
        if copy is not None:
            response = Response(copy.body, 200, copy.headers)
            response.frameable = copy.frameable  # type: ignore[attr-defined]  # the embed
            if copy.session_read:
                session.accessed = True  # type: ignore[attr-defined]  # the same Vary: Cookie
        else:
            response = make_response(view(*args, **kwargs))
            # Before a copy is kept, so that the copy names the language too.
            vary_on_language(response)
        if response.status_code == 200 and not _personal():
            if copy is None:
                _keep_copy(key, response)
            config = current_app.config
            response.cache_control.public = True
            response.cache_control.max_age = config["PETITION_PAGE_MAX_AGE"]
            response.cache_control.stale_while_revalidate = config["PETITION_PAGE_STALE_SECONDS"]
        else:
            response.cache_control.private = True
            response.cache_control.no_cache = True
        return response

    return without_transaction(wrapper)


@dataclass(frozen=True)
class _Copy:
    body: bytes
    headers: list[tuple[str, str]]
    session_read: bool
    frameable: bool  # petition.security.frameable: the embed may be framed, a copy too
    expires: float


_COPIES = "petition.page_copies"
# Past this many copies the expired ones go, then all: memory stays bounded
# whatever addresses a crawler invents, at worst at the cost of rendering.
MAX_COPIES = 500


def keep_bounded(store: dict, key: object, item: Any, limit: int) -> None:
    """Store ``item`` (which has ``expires``) under ``key``, never holding more than ``limit``."""
    if len(store) >= limit:
        moment = monotonic()
        for stale in [name for name, kept in store.items() if kept.expires <= moment]:
            del store[stale]
        if len(store) >= limit:
            store.clear()
    store[key] = item


def _copy_key() -> tuple[str, ...] | None:
    """Name what a page's copy depends on; None when it may depend on more.

    A request with any cookie may be someone's (a session, a remembered
    login, a chosen language): it is answered afresh. So is one with a query
    string, which anyone can vary at will (a page number, a tracking tag).
    Anything else a page can vary on is named: the host, the path, and the
    language the browser's Accept-Language chooses.
    """
    config = current_app.config
    if not config["PETITION_PAGE_CACHE_SECONDS"] or "Cookie" in request.headers:
        return None
    if request.query_string:
        return None
    return (request.host, request.script_root, request.path, request_language())


def _kept_copy(key: tuple[str, ...] | None) -> _Copy | None:
    if key is None:
        return None
    copy = current_app.extensions.get(_COPIES, {}).get(key)
    return copy if copy is not None and copy.expires > monotonic() else None


def _keep_copy(key: tuple[str, ...] | None, response: Response) -> None:
    if key is None or response.direct_passthrough or response.is_streamed:
        return
    copies: dict[tuple[str, ...], _Copy] = current_app.extensions.setdefault(_COPIES, {})
    copy = _Copy(
        response.get_data(),
        [(name, value) for name, value in response.headers if name != "Content-Length"],
        bool(getattr(session, "accessed", False)),
        bool(getattr(response, "frameable", False)),
        monotonic() + current_app.config["PETITION_PAGE_CACHE_SECONDS"],
    )
    keep_bounded(copies, key, copy, MAX_COPIES)


def _personal() -> bool:
    """Whether this response may depend on, or change, the visitor's session."""
    if _is_sessionless(current_app, request.endpoint):
        return False
    return bool(request.cookies.get(current_app.config["SESSION_COOKIE_NAME"])) or session.modified


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()

    @app.after_request
    def _private_unless_said(response: Response) -> Response:
        # A page that did not say otherwise may show someone's name or a
        # private link: no shared cache keeps it (several default to storing
        # a 200 that says nothing), and the browser does not either.
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "private, no-store"
        return response
