from flask import abort, current_app, redirect, request, url_for
from flask_babel import gettext as _

from petition.i18n import COOKIE, COOKIE_MAX_AGE, LANGUAGES
from petition.language import bp
from petition.security import same_origin
from petition.urls import safe_next


@bp.post("/language")
@same_origin
def switch():
    """Answer in the chosen language from now on, and go back to the page it was chosen on.

    A cookie of its own, not the session: a supporter's pages stay cookie-free
    for shared caches, which key a copy on this cookie (``Vary``).
    """
    code = request.form.get("lang", "")
    if code not in LANGUAGES:
        abort(400, description=_("Choose English or Spanish."))
    response = redirect(safe_next(request.form.get("next")) or url_for("campaigns.home"), 303)
    response.set_cookie(
        COOKIE,
        code,
        max_age=COOKIE_MAX_AGE,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response


@bp.get("/language")
def switch_page():
    """Someone reopened the switch's address: there is nothing to show but the site."""
    return redirect(url_for("campaigns.home"), 303)
