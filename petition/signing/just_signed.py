"""What "check your email" knows about who just signed: a cookie of their own, for one page.

The campaign page is cached and cookie-free, so there is no session to
remember the address in, and an address in a URL would end up in access logs
and history. So the sign view sets a signed cookie scoped to that demand's
check-email path: the browser sends it only there (the page, "fix it" and
"send it again"), never to the cached pages. It holds what the supporter
typed, nothing read from the database, so it cannot reveal whether the
address had signed before. ``SameSite=Lax`` keeps it off cross-site POSTs, so
"send it again" cannot be triggered from another site. Pages that read it are
``private, no-store``.
"""

from typing import Any

from flask import Response, current_app, request

from petition.maildomains import suggest
from petition.signing.forms import SignForm
from petition.tokens import JUST_SIGNED_MAX_AGE, BadToken, just_signed_token, load_just_signed_token

COOKIE = "just_signed"
FIELDS = ("name", "email", "zip_code", "comment", "show_publicly", "wants_updates")


def remember(response: Response, form: SignForm, path: str) -> Response:
    """Let the check-email page at ``path`` (and below it) show what ``form`` carried."""
    fields = {name: form[name].data for name in FIELDS}
    response.set_cookie(
        COOKIE,
        just_signed_token(fields),
        max_age=JUST_SIGNED_MAX_AGE,
        path=path,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response


def recall() -> dict[str, Any] | None:
    """Return the fields the visitor just signed with here, or None."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    try:
        fields = load_just_signed_token(token)
    except BadToken:
        return None
    return {name: fields.get(name) for name in FIELDS}


def page_context(fields: dict[str, Any] | None) -> dict[str, Any]:
    """What the check-email templates need to show the address and the typo hint."""
    email = fields["email"] if fields else None
    return {"sent_to": email, "suggestion": suggest(email) if email else None}


def prefilled_form(fields: dict[str, Any], zip_required: bool, use_suggestion: bool) -> SignForm:
    """Return the sign form as the supporter filled it, optionally with the suggested domain."""
    data = dict(fields)
    if use_suggestion:
        data["email"] = suggest(data["email"]) or data["email"]
    return SignForm(formdata=None, data=data, zip_required=zip_required)


def private(response: Response) -> Response:
    """Keep a page that shows an email address out of every cache."""
    response.headers["Cache-Control"] = "private, no-store"
    return response
