"""The access matrix of the organizer API and the account pages, derived from the URL map.

Every keyed route answers 401 without a key, 404 for a campaign the key's
organizer does not run, and works for owners and co-organizers. Every
account page needs a login. A new route fails here until it is classified.
"""

import re

import pytest

from .fixtures_accounts import log_in
from .fixtures_api import bearer
from .helpers import csrf_token

# (method, path); {slug} is a campaign's slug, {id} one of the organizer's own objects.
KEYED_ROUTES = [
    ("GET", "/api/v1/campaigns/{slug}/signatures"),
    ("POST", "/api/v1/campaigns/{slug}/signatures"),
    ("GET", "/api/v1/campaigns/{slug}/paper-signatures"),
    ("GET", "/api/osdi/v1/petitions/{slug}"),
    ("GET", "/api/osdi/v1/petitions/{slug}/signatures"),
    ("GET", "/api/osdi/v1/petitions/{slug}/signatures/{id}"),
    ("POST", "/api/osdi/v1/petitions/{slug}/signatures/record_signature_helper"),
    ("GET", "/api/osdi/v1/people/{id}"),
]
ACCOUNT_ROUTES = [
    ("GET", "/dashboard/account/api-keys"),
    ("POST", "/dashboard/account/api-keys"),
    ("POST", "/dashboard/account/api-keys/{id}/revoke"),
    ("GET", "/dashboard/account/webhooks"),
    ("POST", "/dashboard/account/webhooks"),
    ("POST", "/dashboard/account/webhooks/{id}/remove"),
]
KEYED_BLUEPRINT = "organizer_api"


def _template(rule: str) -> str:
    rule = re.sub(r"<slug:[a-z_]+>", "{slug}", rule)
    return re.sub(r"<id:[a-z_]+>", "{id}", rule)


def _routes(app, condition) -> set[tuple[str, str]]:
    return {
        (method, _template(rule.rule))
        for rule in app.url_map.iter_rules()
        if condition(rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_keyed_route_is_classified(app):
    found = _routes(app, lambda rule: rule.endpoint.startswith(KEYED_BLUEPRINT + "."))
    assert found == set(KEYED_ROUTES) | set(OPEN_KEYED_ROUTES)


def test_every_account_route_is_classified(app):
    found = _routes(app, lambda rule: rule.rule.startswith("/dashboard/account/"))
    assert found == set(ACCOUNT_ROUTES)


# Keyed routes that name no campaign: they list only the key holder's own.
OPEN_KEYED_ROUTES = [
    ("GET", "/api/osdi/v1/"),
    ("GET", "/api/osdi/v1/petitions"),
    ("GET", "/api/osdi/v1/people"),
]
# What each of them shows of the matrix's campaign to its organizers (None: nothing).
SHOWN_TO_ORGANIZERS = {
    "/api/osdi/v1/": None,
    "/api/osdi/v1/petitions": "Owned campaign",
    "/api/osdi/v1/people": "Secret",
}

ROLES = ["owner", "co-organizer", "other organizer", "no key"]


@pytest.fixture
def matrix(app, make_user, make_owned_campaign, add_co_organizer, add_signature, make_api_key):
    owner, co_organizer, other = make_user(), make_user(), make_user()
    campaign = make_owned_campaign(owner, title="Owned campaign")
    add_co_organizer(campaign, co_organizer)
    signature_id = add_signature(
        campaign, name="Secret Signer", email="secret@example.net", wants_updates=True
    )
    tokens = {
        "owner": make_api_key(owner),
        "co-organizer": make_api_key(co_organizer),
        "other organizer": make_api_key(other),
    }
    return campaign, signature_id, tokens


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "route"), KEYED_ROUTES)
def test_keyed_routes_answer_by_whose_key_it_is(app, matrix, role, method, route):
    campaign, signature_id, tokens = matrix
    headers = bearer(tokens[role]) if role in tokens else {}
    path = route.format(slug=campaign.slug, id=signature_id)
    script = app.test_client()

    if method == "GET":
        response = script.get(path, headers=headers)
    else:
        response = script.post(path, json={}, headers=headers)

    assert response.is_json
    if role == "no key":
        assert response.status_code == 401
    elif role == "other organizer":
        assert response.status_code == 404
        assert b"Secret Signer" not in response.data
    else:
        assert response.status_code in (200, 201, 202, 422), response.status_code


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "route"), OPEN_KEYED_ROUTES)
def test_keyed_lists_show_only_the_key_holders_own(app, matrix, role, method, route):
    _, _, tokens = matrix
    headers = bearer(tokens[role]) if role in tokens else {}

    response = app.test_client().get(route, headers=headers)

    if role == "no key":
        assert response.status_code == 401
    else:
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "Owned campaign" not in page or role != "other organizer"
        assert "Secret" not in page or role != "other organizer"
        marker = SHOWN_TO_ORGANIZERS[route]
        if marker and role != "other organizer":
            assert marker in page


@pytest.mark.parametrize(("method", "route"), ACCOUNT_ROUTES)
def test_account_routes_need_a_login(client, method, route):
    path = route.format(id=1)
    if method == "GET":
        response = client.get(path)
    else:
        response = client.post(path, data={"csrf_token": csrf_token(client, "/login")})
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("route", [route for method, route in ACCOUNT_ROUTES if method == "POST"])
def test_account_forms_refuse_a_post_without_a_csrf_token(client, make_user, route):
    log_in(client, make_user())
    assert client.post(route.format(id=1)).status_code == 400
