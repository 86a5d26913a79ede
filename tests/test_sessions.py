"""Ending sessions: a copied session cookie stops working once its session is ended."""

import sqlalchemy as sa

from petition.extensions import db
from petition.models import ApiKey, User, WebhookEndpoint

from .fixtures_accounts import is_logged_in, link_in, log_in_with_form, post_link
from .helpers import path_of, post_form

NEW_PASSWORD = "a brand new passphrase"


def logged_in_with_a_copy(app, client, email="dana@example.org"):
    """Log ``client`` in with the form; return another client holding a copy of its cookie."""
    log_in_with_form(client, email)
    name = app.config["SESSION_COOKIE_NAME"]
    copy = app.test_client()
    copy.set_cookie(name, client.get_cookie(name).value)
    assert is_logged_in(copy)
    return copy


def test_a_copied_cookie_stops_working_after_logout(app, client, make_user):
    make_user("dana@example.org")
    copy = logged_in_with_a_copy(app, client)

    post_form(client, "/", "/logout", {})

    assert not is_logged_in(copy)
    assert copy.get("/dashboard").status_code == 302


def test_a_copied_cookie_stops_working_after_a_password_reset(app, client, make_user, outbox):
    make_user("dana@example.org")
    copy = logged_in_with_a_copy(app, client)

    post_form(client, "/forgot-password", "/forgot-password", {"email": "dana@example.org"})
    reset = path_of(link_in(outbox()[-1], "/reset-password/"))
    post_link(app.test_client(), reset, {"password": NEW_PASSWORD})

    assert not is_logged_in(copy)
    assert not is_logged_in(client)


def test_log_out_everywhere_ends_every_session_of_the_account(app, client, make_user):
    make_user("dana@example.org")
    copy = logged_in_with_a_copy(app, client)
    phone = app.test_client()
    log_in_with_form(phone, "dana@example.org")

    response = post_form(client, "/account", "/account/log-out-everywhere", {})

    assert response.status_code == 303
    assert not is_logged_in(copy)
    assert not is_logged_in(phone)
    assert not is_logged_in(client)
    # Logging in again works, and that new session is unaffected by the old ones.
    fresh = app.test_client()
    log_in_with_form(fresh, "dana@example.org")
    assert is_logged_in(fresh)


def test_someone_elses_log_out_everywhere_does_not_touch_my_sessions(app, client, make_user):
    make_user("dana@example.org")
    make_user("sam@example.org")
    mine = logged_in_with_a_copy(app, client)
    theirs = app.test_client()
    log_in_with_form(theirs, "sam@example.org")

    post_form(theirs, "/account", "/account/log-out-everywhere", {})

    assert is_logged_in(mine)


def test_the_account_page_needs_a_login_and_the_button_needs_csrf(app, client, make_user):
    assert client.get("/account").status_code == 302
    make_user("dana@example.org")
    log_in_with_form(client, "dana@example.org")
    assert "Log out everywhere" in client.get("/account").get_data(as_text=True)

    assert client.post("/account/log-out-everywhere").status_code == 400
    assert is_logged_in(client)
    with app.app_context():
        assert db.session.scalar(sa.select(User.session_version)) == 1


def test_the_account_page_lists_the_keys_and_endpoints_that_outlive_sessions(
    app, client, make_user, make_api_key
):
    user = make_user("dana@example.org")
    make_api_key(user, name="Nightly export")
    make_api_key(user, name="Old laptop script")
    with app.app_context():
        db.session.scalar(
            sa.select(ApiKey).where(ApiKey.name == "Old laptop script")
        ).revoked_at = sa.func.now()
        db.session.add(
            WebhookEndpoint(
                user_id=user.id, url="https://crm.example.org/hooks", secret="x", events="a"
            )
        )
        db.session.commit()
    log_in_with_form(client, "dana@example.org")

    page = client.get("/account").get_data(as_text=True)

    assert "does not stop these" in page
    assert "Nightly export" in page
    assert "Old laptop script" not in page
    assert "https://crm.example.org/hooks" in page
