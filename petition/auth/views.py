"""Register, confirm, log in and out, reset a forgotten password."""

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from flask_login.signals import user_logged_in

from petition.auth import bp
from petition.auth.forms import (
    ConfirmAccountForm,
    ForgotPasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
)
from petition.auth.services import (
    authenticate,
    confirm_account,
    confirm_fingerprint_matches,
    fingerprint_matches,
    password_fingerprint,
    password_matches,
    record_login,
    register,
    request_password_reset,
    set_password,
)
from petition.auth.sessions import end_every_session, remember_session_version
from petition.extensions import db, login_manager
from petition.models import User
from petition.ratelimits import limited
from petition.tokens import BadToken, load_account_confirm_token, load_password_reset_token
from petition.transactions import keep_changes
from petition.urls import safe_next

# The session remembers which password it was opened with; see _end_stale_session.
SESSION_FINGERPRINT = "_pw"

CONFIRM_FAILED = (
    "That is not the password this account was registered with. If you forgot it, "
    "choose a new one with “Forgot your password?”; if you did not create this account, "
    "ignore the email"
)
LOGIN_FAILED = (
    "Enter the email address and password of a confirmed account. "
    "If you have just registered, open the link in the email we sent you first."
)


@bp.record_once
def _configure_login(state) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in to see that page."
    login_manager.login_message_category = "info"
    # "basic" rather than "strong": strong ties a session to the IP address,
    # and phones change address whenever they move between wifi and mobile
    # data, logging organizers out mid-edit. Password changes end sessions
    # instead (below), which is what protects a stolen session.
    login_manager.session_protection = "basic"


@bp.app_context_processor
def _nav_helpers() -> dict[str, object]:
    def has_endpoint(endpoint: str) -> bool:
        return endpoint in current_app.view_functions

    return {"has_endpoint": has_endpoint}


@bp.before_app_request
def _end_stale_session() -> None:
    # After a password change (a reset, say, because someone else knew the old
    # one) every session opened with the old password ends.
    if request.endpoint == "static" or "_user_id" not in session:
        return
    if current_user.is_authenticated and not fingerprint_matches(
        current_user, session.get(SESSION_FINGERPRINT, "")
    ):
        logout_user()


def _after_login_url() -> str:
    target = safe_next(request.args.get("next"))
    if target:
        return target
    if "organizers.dashboard" in current_app.view_functions:
        return url_for("organizers.dashboard")
    return url_for("campaigns.home")


@bp.route("/register", methods=["GET", "POST"])
@limited("PETITION_LOGIN_RATE_LIMIT")
def register_account():
    if current_user.is_authenticated:
        return redirect(_after_login_url())
    form = RegisterForm()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("auth/register.html", form=form), status
    # Every outcome (new, already registered, throttled) looks the same here.
    register(form.email.data, form.password.data, form.name.data)
    return redirect(url_for("auth.check_email"), code=303)


@bp.get("/register/check-email")
def check_email():
    return render_template("auth/check_email.html")


def _account_from_confirm_token(token: str) -> User:
    try:
        user_id, fingerprint = load_account_confirm_token(token)
    except BadToken as exc:
        abort(_bad_link("confirm", exc.expired))
    user = db.session.get(User, user_id)
    if user is None:
        abort(_bad_link("confirm"))
    # A confirmed account just says so; otherwise only the link sent for the
    # current password works (see services.register).
    if user.confirmed_at is None and not confirm_fingerprint_matches(user, fingerprint):
        abort(_bad_link("confirm"))
    return user


def _bad_link(purpose: str, expired: bool = False):
    return make_response(
        render_template("auth/bad_link.html", purpose=purpose, expired=expired), 400
    )


@bp.get("/account/confirm/<token>")
def confirm(token: str):
    # Opening the link changes nothing: mail scanners open every link they see.
    user = _account_from_confirm_token(token)
    form = ConfirmAccountForm()
    return render_template("auth/confirm.html", user=user, token=token, form=form)


@bp.post("/account/confirm/<token>")
@limited("PETITION_LOGIN_RATE_LIMIT")
def confirm_post(token: str):
    user = _account_from_confirm_token(token)
    if user.confirmed_at is not None:
        return redirect(url_for("auth.login"), code=303)
    form = ConfirmAccountForm()
    if form.validate_on_submit():
        if password_matches(user, form.password.data):
            # The mailbox (the link) and the password (the form): all a login proves.
            confirm_account(user)
            session.clear()
            login_user(user)
            record_login(user)
            flash("Your email address is confirmed. Welcome!", "success")
            return redirect(_after_login_url(), code=303)
        form.password.errors.append(CONFIRM_FAILED)
    return render_template("auth/confirm.html", user=user, token=token, form=form), 422


@bp.route("/login", methods=["GET", "POST"])
@limited("PETITION_LOGIN_RATE_LIMIT")
def login():
    if current_user.is_authenticated:
        return redirect(_after_login_url())
    form = LoginForm()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("auth/login.html", form=form), status
    user = authenticate(form.email.data, form.password.data)
    if user is None:
        keep_changes()  # a fresh confirmation link may have been queued
        form.email.errors.append(LOGIN_FAILED)
        return render_template("auth/login.html", form=form), 422
    session.clear()  # nothing from before the login carries over
    login_user(user)
    record_login(user)
    return redirect(_after_login_url(), code=303)


@user_logged_in.connect
def _remember_password_fingerprint(app, user: User, **_extra: object) -> None:
    session[SESSION_FINGERPRINT] = password_fingerprint(user)
    remember_session_version(user)


@bp.post("/logout")
def logout():
    # Ends every copy of this session's cookie too (and the account's other
    # sessions: one version per account, see petition.auth.sessions).
    if current_user.is_authenticated:
        end_every_session(current_user)
    logout_user()
    session.pop(SESSION_FINGERPRINT, None)
    flash("You are logged out.", "info")
    return redirect(url_for("campaigns.home"), code=303)


@bp.route("/forgot-password", methods=["GET", "POST"])
@limited("PETITION_LOGIN_RATE_LIMIT")
def forgot_password():
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("auth/forgot_password.html", form=form), status
    request_password_reset(form.email.data)
    return render_template("auth/reset_sent.html", email=form.email.data)


def _account_from_reset_token(token: str) -> User:
    try:
        user_id, fingerprint = load_password_reset_token(token)
    except BadToken as exc:
        abort(_bad_link("reset", exc.expired))
    user = db.session.get(User, user_id)
    # A used link fails here: the password, and so its fingerprint, changed.
    if user is None or not fingerprint_matches(user, fingerprint):
        abort(_bad_link("reset"))
    return user


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = _account_from_reset_token(token)
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("auth/reset_password.html", form=form, user=user), status
    set_password(user, form.password.data)
    logout_user()
    flash("Your password is changed. Log in with your new password.", "success")
    return redirect(url_for("auth.login"), code=303)
