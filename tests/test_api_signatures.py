"""With a key: read a campaign's signatures, and record signatures collected on paper."""

import pytest
import sqlalchemy as sa

from petition.extensions import db
from petition.models import Campaign, CampaignStatus, PaperSignature, Signature

from .fixtures_api import bearer
from .helpers import SAME_ORIGIN, links, path_of


def signatures_url(campaign, **query):
    url = f"/api/v1/campaigns/{campaign.slug}/signatures"
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


@pytest.fixture
def keyed(app, make_user, make_owned_campaign, make_api_key):
    """An organizer's campaign, and a script's client holding the organizer's key."""
    owner = make_user()
    campaign = make_owned_campaign(owner)
    token = make_api_key(owner)
    return campaign, token, app.test_client()


def test_signatures_give_emails_only_of_signers_who_opted_in(keyed, add_signature):
    campaign, token, script = keyed
    add_signature(campaign, name="Opted In", email="yes@example.net", wants_updates=True)
    add_signature(campaign, name="Kept Private", email="no@example.net")
    add_signature(
        campaign, name="Said Stop", email="stop@example.net", wants_updates=True, unsubscribed=True
    )
    add_signature(campaign, name="Not Confirmed", email="later@example.net", confirmed=False)
    add_signature(campaign, name="Withdrew", email="gone@example.net", withdrawn=True)

    body = script.get(signatures_url(campaign), headers=bearer(token)).json

    assert [(row["name"], row["email"]) for row in body["signatures"]] == [
        ("Opted In", "yes@example.net"),
        ("Kept Private", None),
        ("Said Stop", None),
    ]
    assert body["signature_count"] == 3
    assert {row["source"] for row in body["signatures"]} == {"online"}
    assert body["next"] is None


def test_signatures_come_in_pages_that_follow_each_other(keyed, add_signature):
    campaign, token, script = keyed
    for number in range(5):
        add_signature(campaign, name=f"Signer Page{number}")

    names, url = [], signatures_url(campaign, limit=2)
    while url:
        body = script.get(url, headers=bearer(token)).json
        names += [row["name"] for row in body["signatures"]]
        url = body["next"]

    assert names == [f"Signer Page{number}" for number in range(5)]


@pytest.mark.parametrize(
    "query",
    [
        {"limit": 0},
        {"limit": 201},
        {"after": "x"},
        {"after": -1},
        {"after": 2**31},
        {"after": 10**30},
    ],
)
def test_bad_paging_is_a_json_400(keyed, query):
    campaign, token, script = keyed
    response = script.get(signatures_url(campaign, **query), headers=bearer(token))
    assert response.status_code == 400
    assert response.is_json


def test_a_co_organizers_key_reads_the_campaign(
    app, make_user, make_owned_campaign, add_co_organizer, make_api_key, add_signature
):
    campaign = make_owned_campaign(make_user())
    co_organizer = make_user()
    add_co_organizer(campaign, co_organizer)
    add_signature(campaign, name="Shared Signer")

    response = app.test_client().get(
        signatures_url(campaign), headers=bearer(make_api_key(co_organizer))
    )

    assert response.status_code == 200
    assert [row["name"] for row in response.json["signatures"]] == ["Shared Signer"]


def test_another_organizers_campaign_is_not_found_like_a_missing_one(
    app, make_user, make_owned_campaign, make_api_key, add_signature
):
    theirs = make_owned_campaign(make_user())
    add_signature(theirs, name="Their Signer", email="theirs@example.net", wants_updates=True)
    token = make_api_key(make_user())
    script = app.test_client()

    other = script.get(signatures_url(theirs), headers=bearer(token))
    missing = script.get("/api/v1/campaigns/no-such-campaign/signatures", headers=bearer(token))
    posted = script.post(signatures_url(theirs), json={"name": "Intruder"}, headers=bearer(token))

    assert other.status_code == missing.status_code == posted.status_code == 404
    assert other.json == missing.json
    assert b"theirs@example.net" not in other.data
    with app.app_context():
        assert db.session.get(Campaign, theirs.id).paper_signature_count == 0


def test_a_script_creates_a_paper_signature_and_the_signer_confirms_it(app, client, keyed, outbox):
    campaign, token, script = keyed

    response = script.post(
        signatures_url(campaign),
        json={"name": "Rosa Paper", "email": "rosa@example.net", "zip_code": "70112"},
        headers=bearer(token),
    )

    assert response.status_code == 202
    assert response.json["status"] == "confirmation_pending"
    with app.app_context():
        assert db.session.get(Campaign, campaign.id).signature_count == 0
    [mail] = outbox()
    assert mail.to_address == "rosa@example.net"
    [confirm] = [url for url in links(mail.body_text) if "/confirm/" in url]

    client.post(path_of(confirm), headers=SAME_ORIGIN)

    body = script.get(signatures_url(campaign), headers=bearer(token)).json
    assert [(row["name"], row["source"]) for row in body["signatures"]] == [("Rosa Paper", "paper")]
    assert body["signature_count"] == 1


def test_a_paper_signature_without_email_counts_in_its_own_visible_tally(app, client, keyed):
    campaign, token, script = keyed

    response = script.post(
        signatures_url(campaign),
        json={"name": "Sam Rally", "zip_code": "70112", "comment": "Signed at the rally"},
        headers=bearer(token),
    )

    assert response.status_code == 201
    assert response.json["status"] == "paper_verified_by_organizer"
    assert response.json["paper_signature_count"] == 1
    with app.app_context():
        row = db.session.get(Campaign, campaign.id)
        assert (row.signature_count, row.paper_signature_count) == (0, 1)
        assert db.session.scalar(sa.select(PaperSignature.name)) == "Sam Rally"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Signature)) == 0
    page = client.get(f"/c/{campaign.slug}").get_data(as_text=True)
    assert "1 signature on paper, verified by the organizer" in page


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"zip_code": "70112"}, "name"),
        ({"name": "No Zip"}, "zip_code"),
        ({"name": "Bad Zip", "zip_code": "7011"}, "zip_code"),
        ({"name": "Bad Mail", "zip_code": "70112", "email": "not-an-address"}, "email"),
        ({"name": 7, "zip_code": "70112"}, "name"),
        ({"name": "Flag", "zip_code": "70112", "wants_updates": "yes"}, "wants_updates"),
        ({"name": "Nul\x00", "zip_code": "70112"}, "name"),
        (["not", "an", "object"], "body"),
    ],
)
def test_a_bad_paper_signature_is_a_422_that_names_the_field_and_changes_nothing(
    app, keyed, outbox, payload, field
):
    campaign, token, script = keyed

    response = script.post(signatures_url(campaign), json=payload, headers=bearer(token))

    assert response.status_code == 422
    assert field in response.json["fields"]
    with app.app_context():
        assert db.session.get(Campaign, campaign.id).paper_signature_count == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Signature)) == 0
    assert outbox() == []


def test_a_body_that_is_not_json_is_a_422(keyed):
    campaign, token, script = keyed
    response = script.post(
        signatures_url(campaign), data="name=x", headers=bearer(token), content_type="text/plain"
    )
    assert response.status_code == 422


def test_a_closed_campaign_takes_no_paper_signatures(app, keyed):
    campaign, token, script = keyed
    with app.app_context():
        db.session.get(Campaign, campaign.id).status = CampaignStatus.CLOSED
        db.session.commit()

    response = script.post(
        signatures_url(campaign),
        json={"name": "Too Late", "zip_code": "70112"},
        headers=bearer(token),
    )

    assert response.status_code == 409
    with app.app_context():
        assert db.session.get(Campaign, campaign.id).paper_signature_count == 0


def test_the_api_sets_no_cookie(keyed):
    campaign, token, script = keyed
    response = script.get(signatures_url(campaign), headers=bearer(token))
    assert "Set-Cookie" not in response.headers


def test_a_retried_paper_entry_with_the_same_reference_counts_once(app, keyed):
    campaign, token, script = keyed
    entry = {"name": "Sam Rally", "zip_code": "70112", "reference": "rally-0303/sheet-4/line-12"}

    first = script.post(signatures_url(campaign), json=entry, headers=bearer(token))
    again = script.post(signatures_url(campaign), json=entry, headers=bearer(token))
    other = script.post(
        signatures_url(campaign), json={**entry, "reference": "line-13"}, headers=bearer(token)
    )

    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert again.json["status"] == "already_recorded"
    assert again.json["paper_signature"]["id"] == first.json["paper_signature"]["id"]
    with app.app_context():
        assert db.session.get(Campaign, campaign.id).paper_signature_count == 2
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PaperSignature)) == 2


@pytest.mark.parametrize("reference", ["", " ", 12, "x" * 101, "line\n12"])
def test_a_bad_reference_is_a_422(app, keyed, reference):
    campaign, token, script = keyed
    entry = {"name": "Sam Rally", "zip_code": "70112", "reference": reference}

    response = script.post(signatures_url(campaign), json=entry, headers=bearer(token))

    assert response.status_code == 422
    assert "reference" in response.json["fields"]
    with app.app_context():
        assert db.session.get(Campaign, campaign.id).paper_signature_count == 0


def test_the_paper_entries_behind_the_tally_can_be_read_back(keyed):
    campaign, token, script = keyed
    for line in range(3):
        script.post(
            signatures_url(campaign),
            json={"name": f"Paper Line{line}", "zip_code": "70112", "reference": f"s1/l{line}"},
            headers=bearer(token),
        )

    url, names = f"/api/v1/campaigns/{campaign.slug}/paper-signatures?limit=2", []
    while url:
        body = script.get(url, headers=bearer(token)).json
        names += [(row["name"], row["reference"]) for row in body["paper_signatures"]]
        url = body["next"]

    assert names == [(f"Paper Line{line}", f"s1/l{line}") for line in range(3)]
    assert body["paper_signature_count"] == 3
