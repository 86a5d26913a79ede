"""Headers that make pages safe to open from any link; the supporter forms' CSRF check."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, make_response, render_template, request

from petition.extensions import csrf

# Everything is served from this site: no CDNs, no inline script or style.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


# The embeddable counter's policy: the same, except that any site may frame it.
FRAMEABLE_POLICY = CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", "frame-ancestors *")


def frameable(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let any site show this view's page in a frame (the embeddable counter).

    Only a page the view itself answers is frameable: an error page raised
    from inside it (a 404 for an unknown slug) keeps the default ``DENY``.
    Such a page must not carry a form a framing site could trick someone into
    submitting (clickjacking): the counter only shows numbers and a link.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        response = make_response(view(*args, **kwargs))
        response.headers["Content-Security-Policy"] = FRAMEABLE_POLICY
        response.frameable = True  # type: ignore[attr-defined]
        return response

    wrapper.frameable = True  # type: ignore[attr-defined]
    return wrapper


def init_app(app: Flask) -> None:
    defaults = [
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        # Confirmation tokens live in URLs; never hand them to another site.
        ("Referrer-Policy", "same-origin"),
    ]
    if not app.debug:
        defaults.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    # Responses answered outside Flask (petition.campaigns.live) carry them too.
    app.extensions["petition.security_headers"] = defaults

    @app.after_request
    def _set_headers(response: Response) -> Response:
        # One pass over the headers a view set (it may set its own policy),
        # rather than a setdefault per header: this runs on every response.
        present = {key.lower() for key, _ in response.headers}
        frameable = getattr(response, "frameable", False)
        for key, value in defaults:
            if frameable and key == "X-Frame-Options":
                continue
            if key.lower() not in present:
                response.headers.add(key, value)
        return response


def same_origin(view: Callable[..., Any]) -> Callable[..., Any]:
    """Protect a supporter's form from cross-site posts without a session.

    The sign, confirm and withdraw forms are reached from pages that carry no
    cookie (a shared cache may hold them), so Flask-WTF's session-bound token
    cannot protect them. Browsers say where a POST comes from instead:
    ``Sec-Fetch-Site`` (every current browser) or, failing that, ``Origin``.
    A POST that a browser marks as coming from another site is refused with
    403. A request with neither header is not from a current browser, and a
    script could send it without any visitor's help, so refusing it would
    stop no attack. Organizer and account forms keep the session token.
    """
    csrf.exempt(view)

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if is_cross_site():
            abort(Response(render_template("errors/cross_site.html"), 403))
        return view(*args, **kwargs)

    return wrapper


def is_cross_site() -> bool:
    """Whether the browser says this request was made by a page of another site."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        # "none": the person typed or bookmarked it; "same-site" is a sibling
        # subdomain, which is still another origin.
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    try:
        host = urlsplit(origin).netloc
    except ValueError:
        return True
    # "null" (a sandboxed frame, a privacy-sensitive redirect) matches no host.
    return host.lower() not in _own_hosts()


def _own_hosts() -> set[str]:
    hosts = {request.host.lower()}
    # Behind a proxy that does not forward the Host header, the public name is
    # the configured base URL's.
    base = current_app.config.get("PETITION_BASE_URL")
    if base:
        hosts.add(urlsplit(base).netloc.lower())
    return hosts
