"""OSDI: an organizing tool reads a petition and its signers and records signatures."""

import pytest
import sqlalchemy as sa

from petition.extensions import db
from petition.models import Campaign, Signature

from .helpers import SAME_ORIGIN, links, path_of

ROOT = "/api/osdi/v1/"


@pytest.fixture
def tool(app, make_user, make_owned_campaign, make_api_key):
    """An organizer's campaign and an OSDI client sending the organizer's key as OSDI does."""
    owner = make_user()
    campaign = make_owned_campaign(owner, title="End cash bail (demo)")
    token = make_api_key(owner)
    client = app.test_client()

    def get(path, **kwargs):
        return client.get(path, headers={"OSDI-API-Token": token}, **kwargs)

    def post(path, body, **headers):
        return client.post(path, json=body, headers={"OSDI-API-Token": token, **headers})

    return campaign, get, post


def path(link: dict) -> str:
    return path_of(link["href"])


def test_a_client_walks_from_the_entry_point_to_a_petitions_signatures(tool, add_signature):
    campaign, get, _ = tool
    add_signature(campaign, name="Maria de la Cruz", comment="For my brother")

    root = get(ROOT)
    assert root.status_code == 200
    assert root.mimetype == "application/hal+json"
    assert root.json["osdi_version"].startswith("1.")
    petitions = get(path(root.json["_links"]["osdi:petitions"])).json
    [petition] = petitions["_embedded"]["osdi:petitions"]
    assert petition["title"] == "End cash bail (demo)"
    assert petition["total_signatures"] == 1
    assert petition["identifiers"] == [f"petition:{campaign.slug}"]
    assert petition["target"][0]["name"] == "Test Prosecutor"
    assert get(path(petition["_links"]["self"])).json["title"] == petition["title"]

    signatures = get(path(petition["_links"]["osdi:signatures"])).json
    [signature] = signatures["_embedded"]["osdi:signatures"]
    assert signature["comments"] == "For my brother"
    person = get(path(signature["_links"]["osdi:person"])).json
    assert (person["given_name"], person["family_name"]) == ("Maria de la", "Cruz")
    assert person["postal_addresses"][0]["postal_code"] == "70112"
    assert get(path(signature["_links"]["self"])).json == signature


def test_people_are_the_key_holders_signers_with_email_only_if_they_opted_in(
    tool, add_signature, make_user, make_owned_campaign
):
    campaign, get, _ = tool
    add_signature(campaign, name="Opted In", email="yes@example.net", wants_updates=True)
    add_signature(campaign, name="Kept Private", email="no@example.net")
    add_signature(make_owned_campaign(make_user()), name="Someone Else", email="x@example.net")

    people = get(ROOT + "people").json["_embedded"]["osdi:people"]

    assert [(p["given_name"], p["email_addresses"]) for p in people] == [
        ("Opted", [{"primary": True, "address": "yes@example.net", "status": "subscribed"}]),
        ("Kept", []),
    ]


def test_collections_are_paged_the_osdi_way(tool, add_signature):
    campaign, get, _ = tool
    for number in range(3):
        add_signature(campaign, name=f"Signer Page{number}")

    first = get(f"{ROOT}petitions/{campaign.slug}/signatures?per_page=2").json
    second = get(path(first["_links"]["next"])).json

    assert (first["total_records"], first["total_pages"], first["page"]) == (3, 2, 1)
    assert len(first["_embedded"]["osdi:signatures"]) == 2
    assert len(second["_embedded"]["osdi:signatures"]) == 1
    assert "next" not in second["_links"]
    assert get(f"{ROOT}people?per_page=26").status_code == 400
    assert get(f"{ROOT}people?page=0").status_code == 400
    assert get(f"{ROOT}people?page={10**20}").status_code == 400
    assert get(f"{ROOT}people?page=1000000").status_code == 200


def test_the_record_signature_helper_signs_through_email_confirmation(app, client, tool, outbox):
    campaign, get, post = tool
    helper = f"{ROOT}petitions/{campaign.slug}/signatures/record_signature_helper"

    response = post(
        helper,
        {
            "person": {
                "given_name": "Lee",
                "family_name": "Osdi",
                "email_addresses": [{"address": "lee@example.net"}],
                "postal_addresses": [{"postal_code": "70112"}],
            },
            "comments": "Pushed from our CRM",
        },
    )

    assert response.status_code == 202
    assert response.json["petition:status"] == "confirmation_pending"
    assert get(f"{ROOT}petitions/{campaign.slug}").json["total_signatures"] == 0
    [mail] = outbox()
    [confirm] = [url for url in links(mail.body_text) if "/confirm/" in url]
    client.post(path_of(confirm), headers=SAME_ORIGIN)
    assert get(f"{ROOT}petitions/{campaign.slug}").json["total_signatures"] == 1
    with app.app_context():
        row = db.session.scalar(sa.select(Signature))
        assert (row.name, row.source, row.comment) == ("Lee Osdi", "osdi", "Pushed from our CRM")


def test_a_signature_from_a_tool_is_mailed_in_english_whatever_the_tool_asks(app, tool, outbox):
    """Accept-Language is the CRM's, not the signer's: it chooses nothing for them."""
    campaign, _, post = tool
    helper = f"{ROOT}petitions/{campaign.slug}/signatures/record_signature_helper"
    person = {
        "given_name": "Ana",
        "family_name": "Osdi",
        "email_addresses": [{"address": "ana@example.net"}],
        "postal_addresses": [{"postal_code": "70112"}],
    }

    response = post(helper, {"person": person}, **{"Accept-Language": "es-US"})

    assert response.status_code == 202
    [mail] = outbox()
    assert "Confirm" in mail.subject
    with app.app_context():
        assert db.session.scalar(sa.select(Signature.language)) == "en"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"person": "Lee"},
        {"person": {"given_name": "Lee", "postal_addresses": [{"postal_code": "70112"}]}},
        {"person": {"given_name": 5, "email_addresses": [{"address": "a@example.net"}]}},
        {"person": {"given_name": "Lee", "email_addresses": "a@example.net"}},
        {"person": {"given_name": "Lee", "email_addresses": [{"address": "not-an-address"}]}},
        ["not", "an", "object"],
    ],
)
def test_a_bad_helper_body_is_a_422_and_changes_nothing(app, tool, outbox, body):
    campaign, _, post = tool

    response = post(f"{ROOT}petitions/{campaign.slug}/signatures/record_signature_helper", body)

    assert response.status_code == 422
    assert response.json["fields"]
    assert outbox() == []
    with app.app_context():
        assert db.session.get(Campaign, campaign.id).paper_signature_count == 0


def test_osdi_needs_a_key(client):
    response = client.get(ROOT)
    assert response.status_code == 401
    assert response.is_json
