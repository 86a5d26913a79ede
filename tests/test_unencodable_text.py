"""Text that cannot be encoded as UTF-8 (a lone surrogate, legal in JSON) is a 422, not a 500."""

import pytest
import sqlalchemy as sa

from petition.extensions import db
from petition.models import Signature

from .fixtures_api import bearer

LONE = "\ud800"  # JSON may say "\ud800"; no UTF-8 encodes it


@pytest.fixture
def api(app, make_user, make_owned_campaign, make_api_key):
    owner = make_user()
    campaign = make_owned_campaign(owner)
    return campaign, make_api_key(owner), app.test_client()


def no_signatures(app) -> bool:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Signature.id))) == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": f"Ab {LONE}", "zip_code": "70112"}, "name"),
        ({"name": "Ab Cd", "zip_code": "70112", "comment": LONE}, "comment"),
        ({"name": "Ab Cd", "zip_code": f"7011{LONE}"}, "zip_code"),
        ({"name": "Ab Cd", "zip_code": "70112", "reference": f"ab{LONE}"}, "reference"),
    ],
)
def test_an_api_signature_with_a_lone_surrogate_is_refused(app, api, outbox, body, field):
    campaign, token, client = api

    response = client.post(
        f"/api/v1/campaigns/{campaign.slug}/signatures", json=body, headers=bearer(token)
    )

    assert response.status_code == 422
    assert field in response.json["fields"]
    assert no_signatures(app)


@pytest.mark.parametrize(
    "person",
    [
        {"given_name": f"Lee{LONE}", "family_name": "Osdi"},
        {"given_name": "Lee", "family_name": "Osdi", "comments": LONE},
    ],
)
def test_the_osdi_helper_refuses_a_lone_surrogate(app, api, outbox, person):
    campaign, token, client = api
    person = dict(person)  # the parameter is shared by both databases' runs: never mutate it
    comments = person.pop("comments", "From our CRM")
    body = {
        "person": {
            **person,
            "email_addresses": [{"address": "lee@example.net"}],
            "postal_addresses": [{"postal_code": "70112"}],
        },
        "comments": comments,
    }

    response = client.post(
        f"/api/osdi/v1/petitions/{campaign.slug}/signatures/record_signature_helper",
        json=body,
        headers={"OSDI-API-Token": token},
    )

    assert response.status_code == 422
    assert response.json["fields"]
    assert outbox() == []
    assert no_signatures(app)
