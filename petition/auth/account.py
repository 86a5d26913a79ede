"""The account page: who you are logged in as, and "log out everywhere"."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required, logout_user

from petition.apikeys.keys import active_keys
from petition.auth import bp
from petition.auth.sessions import end_every_session
from petition.forms import ActionForm
from petition.webhooks.services import active_endpoints


@bp.get("/account")
@login_required
def account():
    # Keys and endpoints outlive sessions: the page lists them beside the button.
    return render_template(
        "auth/account.html",
        action=ActionForm(),
        api_keys=active_keys(current_user),
        endpoints=active_endpoints(current_user),
    )


@bp.post("/account/log-out-everywhere")
@login_required
def log_out_everywhere():
    if not ActionForm().validate_on_submit():
        abort(400)
    end_every_session(current_user)
    logout_user()
    flash("You are logged out on every device, this one included. Log in again here.", "info")
    return redirect(url_for("auth.login"), code=303)
