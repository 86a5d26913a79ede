"""Resetting a forgotten password: by emailed link, within an hour, once."""

from datetime import timedelta

from .fixtures_accounts import (
    PASSWORD,
    is_logged_in,
    link_in,
    log_in_with_form,
    post_link,
)
from .helpers import comparable, csrf_token, path_of, post_form

NEW_PASSWORD = "a brand new passphrase"


def ask_for_reset(client, email):
    return post_form(client, "/forgot-password", "/forgot-password", {"email": email})


def test_forgot_password_answers_the_same_for_known_and_unknown_addresses(
    app, client, make_user, outbox
):
    make_user("dana@example.org")

    known = ask_for_reset(client, "dana@example.org")
    unknown = ask_for_reset(client, "nobody@example.org")

    assert known.status_code == unknown.status_code == 200
    assert comparable(known, "dana@example.org") == comparable(unknown, "nobody@example.org")
    [message] = outbox()
    assert (message.to_address, message.category) == ("dana@example.org", "account_reset")


def test_reset_link_sets_a_new_password_once(app, client, make_user, outbox):
    make_user("dana@example.org")
    ask_for_reset(client, "dana@example.org")
    link = link_in(outbox()[0], "/reset-password/")
    assert link.startswith("http://petition.test/reset-password/")
    path = path_of(link)
    assert client.get(path).status_code == 200

    response = post_link(client, path, {"password": NEW_PASSWORD})

    assert response.status_code == 303
    assert response.headers["Location"] == "/login"
    assert client.get(path).status_code == 400
    assert post_link_status(client, path, {"password": "yet another passphrase"}) == 400
    assert log_in_with_form(client, "dana@example.org", PASSWORD).status_code == 422
    assert log_in_with_form(client, "dana@example.org", NEW_PASSWORD).status_code == 303
    assert outbox()[-1].category == "account_password_changed"


def post_link_status(client, path, data):
    # The page is gone, so post the form with a token taken from another page.
    return client.post(path, data={"csrf_token": csrf_token(client, "/login"), **data}).status_code


def test_reset_link_stops_working_once_the_password_changed_another_way(
    app, client, make_user, outbox
):
    make_user("dana@example.org")
    ask_for_reset(client, "dana@example.org")
    ask_for_reset(client, "dana@example.org")
    first, second = (path_of(link_in(m, "/reset-password/")) for m in outbox())

    post_link(client, second, {"password": NEW_PASSWORD})

    response = client.get(first)
    assert response.status_code == 400
    assert "works once" in response.get_data(as_text=True)


def test_reset_link_expires_after_an_hour(app, client, make_user, outbox, frozen_clock):
    make_user("dana@example.org")
    ask_for_reset(client, "dana@example.org")
    path = path_of(link_in(outbox()[0], "/reset-password/"))
    frozen_clock.advance(timedelta(minutes=59))
    assert client.get(path).status_code == 200

    frozen_clock.advance(timedelta(minutes=2))

    response = client.get(path)
    assert response.status_code == 400
    assert "This link has expired" in response.get_data(as_text=True)
    assert post_link_status(client, path, {"password": NEW_PASSWORD}) == 400


def test_tampered_reset_link_gets_a_400_page(app, client, make_user, outbox):
    make_user("dana@example.org")
    ask_for_reset(client, "dana@example.org")
    path = path_of(link_in(outbox()[0], "/reset-password/"))

    response = client.get(path.replace("/reset-password/", "/reset-password/x"))

    assert response.status_code == 400
    assert "This link does not work" in response.get_data(as_text=True)


def test_reset_keeps_a_short_new_password_out(app, client, make_user, outbox):
    make_user("dana@example.org")
    ask_for_reset(client, "dana@example.org")
    path = path_of(link_in(outbox()[0], "/reset-password/"))

    response = post_link(client, path, {"password": "short"})

    assert response.status_code == 422
    assert "Enter a password of 10 to 200 characters" in response.get_data(as_text=True)
    assert log_in_with_form(client, "dana@example.org", PASSWORD).status_code == 303


def test_reset_logs_out_every_session_opened_with_the_old_password(app, client, make_user, outbox):
    make_user("dana@example.org")
    elsewhere = app.test_client()
    log_in_with_form(elsewhere, "dana@example.org")
    assert is_logged_in(elsewhere)
    ask_for_reset(client, "dana@example.org")

    post_link(client, path_of(link_in(outbox()[0], "/reset-password/")), {"password": NEW_PASSWORD})

    assert not is_logged_in(elsewhere)


def test_reset_confirms_an_unconfirmed_account(app, client, make_user, outbox):
    make_user("dana@example.org", confirmed=False)
    ask_for_reset(client, "dana@example.org")

    post_link(client, path_of(link_in(outbox()[0], "/reset-password/")), {"password": NEW_PASSWORD})

    assert log_in_with_form(client, "dana@example.org", NEW_PASSWORD).status_code == 303
