"""Organizer API keys: made and revoked on the account page, shown once, stored hashed."""

import hashlib
import re

import pytest
import sqlalchemy as sa

from petition.extensions import db
from petition.models import ApiKey

from .fixtures_accounts import log_in
from .fixtures_api import bearer
from .helpers import csrf_token

PAGE = "/dashboard/account/api-keys"
_TOKEN = re.compile(r"ptn_[0-9a-f]{12}_[A-Za-z0-9_-]{43}")


def make_key_on_page(client, name="Action Network sync"):
    return client.post(PAGE, data={"csrf_token": csrf_token(client, PAGE), "name": name})


def keys_in_database(app) -> list[ApiKey]:
    with app.app_context():
        rows = list(db.session.scalars(sa.select(ApiKey).order_by(ApiKey.id)))
        db.session.expunge_all()
        return rows


def test_a_new_key_is_shown_once_and_only_its_hash_is_stored(app, client, make_user):
    log_in(client, make_user())

    response = make_key_on_page(client)

    assert response.status_code == 200
    [token] = _TOKEN.findall(response.get_data(as_text=True))
    [row] = keys_in_database(app)
    assert row.name == "Action Network sync"
    assert row.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(vars(row))
    assert _TOKEN.findall(client.get(PAGE).get_data(as_text=True)) == []


def test_the_key_page_needs_a_login_and_the_form_a_csrf_token(client, make_user):
    assert client.get(PAGE).status_code == 302
    log_in(client, make_user())
    assert client.post(PAGE, data={"name": "No token"}).status_code == 400


def test_a_key_without_a_name_is_a_form_error(app, client, make_user):
    log_in(client, make_user())

    response = client.post(PAGE, data={"csrf_token": csrf_token(client, PAGE), "name": " "})

    assert response.status_code == 422
    assert "Enter a name for the key" in response.get_data(as_text=True)
    assert keys_in_database(app) == []


def test_a_revoked_key_stops_working_at_once(
    app, client, make_user, make_owned_campaign, make_api_key
):
    owner = make_user()
    campaign = make_owned_campaign(owner)
    token = make_api_key(owner)
    url = f"/api/v1/campaigns/{campaign.slug}/signatures"
    assert app.test_client().get(url, headers=bearer(token)).status_code == 200
    log_in(client, owner)
    [row] = keys_in_database(app)

    response = client.post(f"{PAGE}/{row.id}/revoke", data={"csrf_token": csrf_token(client, PAGE)})

    assert response.status_code == 303
    answer = app.test_client().get(url, headers=bearer(token))
    assert answer.status_code == 401
    assert answer.is_json
    assert keys_in_database(app)[0].revoked_at is not None


def test_nobody_revokes_another_organizers_key(app, client, make_user, make_api_key):
    make_api_key(make_user())
    log_in(client, make_user())
    [row] = keys_in_database(app)

    response = client.post(f"{PAGE}/{row.id}/revoke", data={"csrf_token": csrf_token(client, PAGE)})

    assert response.status_code == 404
    assert keys_in_database(app)[0].revoked_at is None


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer not-a-key",
        "Basic dXNlcjpwYXNz",
        "Bearer ptn_000000000000_" + "A" * 43,
    ],
)
def test_a_missing_malformed_or_unknown_key_is_a_json_401(
    client, make_user, make_owned_campaign, header
):
    campaign = make_owned_campaign(make_user())
    headers = {"Authorization": header} if header else {}

    response = client.get(f"/api/v1/campaigns/{campaign.slug}/signatures", headers=headers)

    assert response.status_code == 401
    assert response.is_json
    assert "Bearer" in response.json["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_key_with_the_right_prefix_but_another_secret_is_refused(
    client, make_user, make_owned_campaign, make_api_key
):
    owner = make_user()
    campaign = make_owned_campaign(owner)
    token = make_api_key(owner)
    forged = token[: -len("AAAA")] + ("AAAA" if not token.endswith("AAAA") else "BBBB")

    response = client.get(f"/api/v1/campaigns/{campaign.slug}/signatures", headers=bearer(forged))

    assert response.status_code == 401


def test_repeated_key_failures_are_refused_before_the_key_is_looked_at(
    app, make_user, make_owned_campaign, make_api_key
):
    app.config.update(RATELIMIT_ENABLED=True, PETITION_API_AUTH_RATE_LIMIT="3 per minute")
    owner = make_user()
    campaign = make_owned_campaign(owner)
    token = make_api_key(owner)
    url = f"/api/v1/campaigns/{campaign.slug}/signatures"
    client = app.test_client()

    answers = [client.get(url, headers=bearer("wrong")).status_code for _ in range(4)]
    with_the_right_key = client.get(url, headers=bearer(token))

    assert answers == [401, 401, 401, 429]
    assert with_the_right_key.status_code == 429
    assert with_the_right_key.is_json


def test_an_account_that_is_no_longer_active_cannot_use_its_key(
    app, client, make_user, make_owned_campaign, make_api_key
):
    from petition.models import User

    owner = make_user()
    campaign = make_owned_campaign(owner)
    token = make_api_key(owner)
    with app.app_context():
        db.session.get(User, owner.id).confirmed_at = None
        db.session.commit()

    response = client.get(f"/api/v1/campaigns/{campaign.slug}/signatures", headers=bearer(token))

    assert response.status_code == 401
