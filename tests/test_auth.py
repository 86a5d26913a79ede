"""Organizer accounts: register, confirm, log in and out (resets: test_auth_reset.py)."""

import re
from datetime import timedelta

import pytest

from .fixtures_accounts import (
    PASSWORD,
    is_logged_in,
    link_in,
    log_in,
    log_in_with_form,
    post_link,
    register,
    users,
)
from .helpers import comparable, csrf_token, path_of, post_form

# Registering and confirming


def test_registering_mails_an_absolute_confirmation_link(app, client, outbox):
    response = register(client)

    assert response.status_code == 303
    assert response.headers["Location"] == "/register/check-email"
    assert "Now check your email" in client.get("/register/check-email").get_data(as_text=True)
    [message] = outbox()
    assert message.to_address == "dana@example.org"
    assert message.category == "account_confirm"
    link = link_in(message, "/account/confirm/")
    assert link.startswith("http://petition.test/account/confirm/")
    assert link in message.body_html
    [user] = users(app)
    assert user.name == "Dana Whitfield"
    assert user.confirmed_at is None
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash


def test_opening_the_confirmation_link_does_not_confirm(app, client, outbox):
    register(client)
    path = path_of(link_in(outbox()[0], "/account/confirm/"))

    response = client.get(path)

    assert response.status_code == 200
    assert "Confirm my email address" in response.get_data(as_text=True)
    assert users(app)[0].confirmed_at is None


def test_account_cannot_log_in_before_its_email_is_confirmed(app, client, outbox):
    register(client)

    response = log_in_with_form(client, "dana@example.org")

    assert response.status_code == 422
    assert "open the link in the email we sent you" in response.get_data(as_text=True)
    assert not is_logged_in(client)


def test_confirming_with_the_password_confirms_and_logs_in(app, client, outbox, frozen_clock):
    register(client)
    path = path_of(link_in(outbox()[0], "/account/confirm/"))
    other_device = app.test_client()  # the link is often opened on a phone

    confirmed = post_link(other_device, path, {"password": PASSWORD})

    assert confirmed.status_code == 303
    assert is_logged_in(other_device)
    assert users(app)[0].confirmed_at == frozen_clock.now()
    assert users(app)[0].last_login_at == frozen_clock.now()
    response = log_in_with_form(client, "Dana@Example.org")
    assert response.status_code == 303
    assert is_logged_in(client)


def test_the_mailbox_alone_cannot_confirm_someone_elses_password(app, client, outbox):
    """Finding 2, the other order: a stranger registered my address; pressing confirm fails."""
    register(app.test_client(), password="attackers password")
    path = path_of(link_in(outbox()[0], "/account/confirm/"))

    for password in ("", "my own guess at it"):
        response = post_link(client, path, {"password": password})
        assert response.status_code == 422
    assert "not the password this account was registered with" in response.get_data(True)
    assert users(app)[0].confirmed_at is None
    assert not is_logged_in(client)


def test_confirming_twice_is_harmless(app, client, outbox):
    register(client)
    path = path_of(link_in(outbox()[0], "/account/confirm/"))
    post_link(client, path, {"password": PASSWORD})

    again = app.test_client().get(path)

    assert again.status_code == 200
    assert "Your email address is confirmed" in again.get_data(as_text=True)


def test_tampered_confirmation_link_gets_a_400_page(app, client, outbox):
    register(client)
    path = path_of(link_in(outbox()[0], "/account/confirm/"))

    response = client.get(path[:-3] + "abc")

    assert response.status_code == 400
    assert "This link does not work" in response.get_data(as_text=True)


def test_confirmation_link_expires_after_seven_days(app, client, outbox, frozen_clock):
    register(client)
    path = path_of(link_in(outbox()[0], "/account/confirm/"))
    frozen_clock.advance(timedelta(days=7, seconds=1))

    response = client.get(path)

    assert response.status_code == 400
    assert "This link has expired" in response.get_data(as_text=True)


def test_signature_confirmation_token_is_not_an_account_token(app, client, outbox):
    from petition.tokens import signature_confirm_token

    register(client)
    with app.test_request_context():
        token = signature_confirm_token(users(app)[0].id)

    assert client.get(f"/account/confirm/{token}").status_code == 400


def test_registering_an_existing_address_reveals_nothing_and_mails_the_owner(
    app, client, make_user, outbox
):
    owner = make_user("dana@example.org")
    new_visitor = register(client, email="DANA@example.org", password="someone elses password")
    fresh_visitor = app.test_client()
    unknown = register(fresh_visitor, email="nobody@example.org")

    assert new_visitor.status_code == unknown.status_code == 303
    assert new_visitor.headers["Location"] == unknown.headers["Location"]
    assert [user.email for user in users(app)] == ["dana@example.org", "nobody@example.org"]
    note = outbox()[0]
    assert (note.to_address, note.category) == (owner.email, "account_exists")
    assert "http://petition.test/forgot-password" in note.body_text
    # The owner's password did not change.
    assert log_in_with_form(client, "dana@example.org").status_code == 303


def test_registering_again_before_confirming_never_changes_the_password(app, client, outbox):
    """Finding 2: someone else registering the address cannot plant a password they know."""
    register(client, password="first password typed", name="First Person")
    [before] = users(app)
    attacker = app.test_client()
    assert register(attacker, password="attackers password", name="Someone Else").status_code == 303

    [after] = users(app)
    assert after.password_hash == before.password_hash
    assert after.name == "First Person"
    # The owner's own link to choose a password is what confirms the account now.
    set_password = path_of(link_in(outbox()[-1], "/reset-password/"))
    post_link(client, set_password, {"password": "first password typed"})
    assert log_in_with_form(attacker, "dana@example.org", "attackers password").status_code == 422
    assert log_in_with_form(client, "dana@example.org", "first password typed").status_code == 303


def test_a_second_registration_ends_the_earlier_confirmation_links(app, client, outbox):
    """Whoever registered first may not be the mailbox's owner: only the owner's link confirms."""
    register(app.test_client(), password="attackers password")
    attackers_link = path_of(link_in(outbox()[0], "/account/confirm/"))
    register(client, password="owners password")

    assert client.get(attackers_link).status_code == 400
    token = csrf_token(client, "/login")
    assert client.post(attackers_link, data={"csrf_token": token}).status_code == 400
    assert users(app)[0].confirmed_at is None


def test_registering_again_before_confirming_mails_the_owner_a_link_to_choose_a_password(
    app, client, outbox
):
    register(client, password="first password typed")
    register(app.test_client(), password="second password typed")

    note = outbox()[1]
    assert (note.to_address, note.category) == ("dana@example.org", "account_pending")
    assert "/account/confirm/" not in note.body_text  # confirming would keep the first password
    assert "/account/confirm/" not in note.body_html
    set_password = path_of(link_in(note, "/reset-password/"))
    assert post_link(client, set_password, {"password": "owners own password"}).status_code == 303

    assert log_in_with_form(client, "dana@example.org", "first password typed").status_code == 422
    assert log_in_with_form(client, "dana@example.org", "second password typed").status_code == 422
    assert log_in_with_form(client, "dana@example.org", "owners own password").status_code == 303


def test_repeated_registrations_do_not_flood_a_mailbox(app, client, make_user, outbox):
    make_user("dana@example.org")

    for _ in range(6):
        assert register(client).status_code == 303

    assert len(outbox()) == 3


def test_short_password_is_refused_and_what_was_typed_is_kept(app, client, outbox):
    response = register(client, password="too short")

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Enter a password of 10 to 200 characters" in page
    assert 'href="#password"' in page  # the error summary links to the field
    assert 'value="dana@example.org"' in page
    assert 'value="Dana Whitfield"' in page
    assert users(app) == []
    assert outbox() == []


def test_overlong_password_is_refused(app, client):
    response = register(client, password="x" * 201)

    assert response.status_code == 422
    assert users(app) == []


def test_malformed_email_gets_a_form_error(app, client):
    response = register(client, email="not an email")

    assert response.status_code == 422
    assert "like name@example.com" in response.get_data(as_text=True)


def test_forms_ask_phones_for_the_right_autofill(app, client):
    register_page = client.get("/register").get_data(as_text=True)
    login_page = client.get("/login").get_data(as_text=True)

    assert 'autocomplete="email"' in register_page
    assert 'autocomplete="new-password"' in register_page
    assert 'autocomplete="email"' in login_page
    assert 'autocomplete="current-password"' in login_page
    assert '<label class="label" for="password">' in login_page


# Logging in and out


def test_wrong_password_and_unknown_email_get_the_same_answer(app, client, make_user):
    make_user("dana@example.org")

    wrong_password = log_in_with_form(client, "dana@example.org", "not the password")
    unknown_email = log_in_with_form(client, "nobody@example.org", "not the password")

    assert wrong_password.status_code == unknown_email.status_code == 422

    assert comparable(wrong_password, "dana@example.org") == comparable(
        unknown_email, "nobody@example.org"
    )


def test_unknown_email_still_costs_a_password_check(app, client, monkeypatch):
    from petition.auth import services

    checked = []
    real_check = services.check_password_hash
    monkeypatch.setattr(
        services,
        "check_password_hash",
        lambda hashed, password: checked.append(hashed) or real_check(hashed, password),
    )

    log_in_with_form(client, "nobody@example.org", "whatever it is")

    assert len(checked) == 1
    assert checked[0].startswith("scrypt:")


def test_unconfirmed_account_with_right_password_gets_the_generic_answer_and_a_fresh_link(
    app, client, make_user, outbox
):
    make_user("dana@example.org", confirmed=False)

    unconfirmed = log_in_with_form(client, "dana@example.org")
    unknown = log_in_with_form(client, "nobody@example.org")

    assert comparable(unconfirmed, "dana@example.org") == comparable(unknown, "nobody@example.org")
    [message] = outbox()
    assert (message.to_address, message.category) == ("dana@example.org", "account_confirm")


def test_login_failure_keeps_the_email_but_not_the_password(app, client, make_user):
    make_user("dana@example.org")

    page = log_in_with_form(client, "dana@example.org", "not the password").get_data(as_text=True)

    assert 'value="dana@example.org"' in page
    assert "not the password" not in page


def test_login_redirects_to_a_local_next_page(app, client, make_user):
    user = make_user()

    response = log_in_with_form(client, user.email, next_path="/c/some-campaign?tab=2")

    assert response.status_code == 303
    assert response.headers["Location"] == "/c/some-campaign?tab=2"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
    ],
)
def test_login_refuses_to_redirect_off_the_site(app, client, make_user, target):
    from urllib.parse import quote

    user = make_user()

    response = log_in_with_form(client, user.email, next_path=quote(target, safe=""))

    assert response.status_code == 303
    location = response.headers["Location"]
    assert location in ("/", "/dashboard"), "the usual landing page, not the target"


def test_login_required_pages_send_people_to_login_and_back(app, client, make_user):
    from flask_login import login_required

    @login_required
    def private():
        return "private page"

    app.add_url_rule("/private-test-page", "private_test_page", private)
    user = make_user()

    bounced = client.get("/private-test-page?x=1")
    assert bounced.status_code == 302
    login_url = bounced.headers["Location"]
    assert login_url.startswith("/login?next=")
    assert "Log in to see that page." in client.get(login_url).get_data(as_text=True)
    response = post_form(client, login_url, login_url, {"email": user.email, "password": PASSWORD})

    assert response.headers["Location"] == "/private-test-page?x=1"
    assert client.get("/private-test-page").get_data(as_text=True) == "private page"


@pytest.mark.parametrize("app_config", [{"SESSION_COOKIE_SECURE": True}])
def test_session_cookie_is_secure_httponly_and_lax(app, client, make_user):
    user = make_user()
    https = {"base_url": "https://petition.test", "headers": {"Referer": "https://petition.test/"}}
    page = client.get("/login", **https).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    response = client.post(
        "/login", data={"csrf_token": token, "email": user.email, "password": PASSWORD}, **https
    )

    assert response.status_code == 303
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    attributes = {part.strip().lower() for part in cookie.split(";")}
    assert {"secure", "httponly", "samesite=lax"} <= attributes


def test_nav_shows_log_in_and_start_a_demand_to_visitors(app, client):
    page = client.get("/").get_data(as_text=True)

    assert 'href="/login"' in page
    assert 'href="/register"' in page
    assert "Log out" not in page


def test_nav_shows_a_log_out_button_to_organizers(app, client, make_user):
    log_in(client, make_user())

    page = client.get("/").get_data(as_text=True)

    assert 'action="/logout"' in page
    assert 'href="/login"' not in page


def test_a_session_without_a_confirmed_account_behind_it_is_ended(app, client, make_user):
    log_in(client, make_user(confirmed=False))

    assert not is_logged_in(client)


def test_logging_out_takes_a_post_with_csrf(app, client, make_user):
    log_in(client, make_user())

    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert is_logged_in(client)
    response = post_form(client, "/", "/logout", {})
    assert response.status_code == 303
    assert not is_logged_in(client)


def test_form_posted_without_csrf_token_is_refused(app, client, make_user):
    user = make_user()

    response = client.post("/login", data={"email": user.email, "password": PASSWORD})

    assert response.status_code == 400
    assert "Your form expired" in response.get_data(as_text=True)
    assert not is_logged_in(client)


@pytest.mark.parametrize(
    "app_config", [{"RATELIMIT_ENABLED": True, "PETITION_LOGIN_RATE_LIMIT": "3 per minute"}]
)
@pytest.mark.parametrize("path", ["/login", "/register", "/forgot-password"])
def test_posting_too_often_gets_a_429_page(app, client, path):
    token = csrf_token(client, path)
    data = {"csrf_token": token, "email": "nobody@example.org", "password": "x"}

    statuses = [client.post(path, data=data).status_code for _ in range(4)]

    assert 429 not in statuses[:3]
    assert statuses[3] == 429
    assert "Too many tries" in client.post(path, data=data).get_data(as_text=True)
    assert client.get(path).status_code == 200, "only posting is limited"
