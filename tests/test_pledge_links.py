"""A pledge linked to a demand belongs to that demand's organizers, and its owner can unlink it."""

import pytest
import sqlalchemy as sa

from petition.extensions import db
from petition.models import AuditEvent, Campaign, CampaignOrganizer, Pledge

from .fixtures_accounts import log_in
from .helpers import post_form


@pytest.fixture
def linked(app, make_user, make_owned_campaign, add_co_organizer, add_signature, make_pledge):
    """Alex owns a demand with a signer; Blair co-organizes it and linked a pledge to it."""
    alex = make_user("alex@example.org")
    blair = make_user("blair@example.org")
    demand = make_owned_campaign(alex, title="Shared demand")
    add_co_organizer(demand, blair)
    add_signature(demand, email="signer@example.net", zip_code="70112")
    pledge = make_pledge(owner=blair, campaign=demand, zips=("70112",))
    return alex, blair, demand, pledge


def remove(app, client, demand, user):
    with app.app_context():
        row_id = db.session.scalar(
            sa.select(CampaignOrganizer.id).where(CampaignOrganizer.user_id == user.id)
        )
    page = f"/dashboard/campaigns/{demand.id}/organizers"
    return post_form(client, page, f"{page}/{row_id}/remove", {})


def test_a_removed_co_organizer_loses_every_way_into_a_pledge_linked_to_the_demand(
    app, client, linked
):
    alex, blair, demand, pledge = linked
    log_in(client, alex)
    assert remove(app, client, demand, blair).status_code == 303
    removed = app.test_client()
    log_in(removed, blair)

    for path in (
        pledge.manage_url,  # per-ZIP counts of the demand's signers
        f"{pledge.manage_url}/edit",  # the ZIP list
        f"{pledge.manage_url}/candidates/new",
    ):
        assert removed.get(path).status_code == 404, path
    assert post_form(removed, "/dashboard", f"{pledge.manage_url}/remind", {}).status_code == 404
    assert "Test pledge" not in removed.get("/dashboard/pledges").get_data(as_text=True)


def test_the_demands_owner_unlinks_a_pledge(app, client, linked):
    alex, blair, demand, pledge = linked
    log_in(client, alex)
    assert "Test pledge" in client.get(f"/dashboard/campaigns/{demand.id}").get_data(as_text=True)

    response = post_form(
        client, f"/dashboard/campaigns/{demand.id}", f"{pledge.manage_url}/unlink", {}
    )

    assert response.status_code == 303
    with app.app_context():
        row = db.session.get(Pledge, pledge.id)
        assert row.campaign_id != demand.id
        assert row.owns_campaign
        assert row.campaign.owner_id == blair.id
        assert row.campaign.signature_count == 0  # the demand's signer no longer counts
        event = db.session.scalar(sa.select(AuditEvent))
        assert (event.action, event.actor_id, event.campaign_id) == (
            "pledge.unlink",
            alex.id,
            demand.id,
        )
    assert client.get(pledge.manage_url).status_code == 404
    creator = app.test_client()
    log_in(creator, blair)
    assert creator.get(pledge.manage_url).status_code == 200


def test_a_co_organizer_cannot_unlink_and_nothing_changes(app, client, linked):
    alex, blair, demand, pledge = linked
    log_in(client, blair)

    response = post_form(client, pledge.manage_url, f"{pledge.manage_url}/unlink", {})

    assert response.status_code == 303
    assert "Only the demand’s owner" in client.get(response.location).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Pledge, pledge.id).campaign_id == demand.id
        assert db.session.scalar(sa.select(sa.func.count(Campaign.id))) == 1


def test_unlinking_needs_a_csrf_token(app, client, linked):
    alex, _, demand, pledge = linked
    log_in(client, alex)
    assert client.post(f"{pledge.manage_url}/unlink").status_code == 400
    with app.app_context():
        assert db.session.get(Pledge, pledge.id).campaign_id == demand.id
