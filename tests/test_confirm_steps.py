"""Destructive organizer actions ask first, in the page: close, delete a draft, revoke a link."""

import sqlalchemy as sa

from petition.extensions import db
from petition.models import Campaign, CampaignStatus, Candidate

from .fixtures_accounts import log_in
from .fixtures_pledges import link_for
from .helpers import post_form


def status_of(app, campaign_id):
    with app.app_context():
        row = db.session.get(Campaign, campaign_id)
        return row.status if row else None


def test_close_asks_first_and_only_the_confirmation_button_closes(
    app, client, make_user, make_owned_campaign
):
    owner = make_user()
    campaign = make_owned_campaign(owner, title="Stop charging children as adults")
    log_in(client, owner)
    dashboard = f"/dashboard/campaigns/{campaign.id}"
    close_url = f"{dashboard}/close"

    assert f'href="{close_url}"' in client.get(dashboard).get_data(as_text=True)
    asked = client.get(close_url)
    html = asked.get_data(as_text=True)

    assert asked.status_code == 200
    assert "Close signing on “Stop charging children as adults”?" in html
    assert f'<form method="post" action="{close_url}">' in html
    assert 'name="csrf_token"' in html
    assert f'href="{dashboard}">Cancel</a>' in html
    assert status_of(app, campaign.id) == CampaignStatus.LIVE

    closed = post_form(client, close_url, close_url, {})
    assert closed.status_code == 303
    assert status_of(app, campaign.id) == CampaignStatus.CLOSED
    # Asking again once closed has nothing to confirm: back to the dashboard.
    assert client.get(close_url).headers["Location"] == dashboard


def test_deleting_a_draft_asks_first(app, client, make_user, make_owned_campaign):
    owner = make_user()
    draft = make_owned_campaign(owner, status=CampaignStatus.DRAFT, title="Unfinished draft")
    log_in(client, owner)
    delete_url = f"/dashboard/campaigns/{draft.id}/delete"

    asked = client.get(delete_url).get_data(as_text=True)
    assert "Delete the draft “Unfinished draft”?" in asked
    assert "This cannot be undone." in asked
    assert status_of(app, draft.id) == CampaignStatus.DRAFT

    assert post_form(client, delete_url, delete_url, {}).status_code == 303
    assert status_of(app, draft.id) is None


def test_the_confirmation_button_without_its_token_changes_nothing(
    app, client, make_user, make_owned_campaign
):
    owner = make_user()
    campaign = make_owned_campaign(owner)
    log_in(client, owner)
    assert client.post(f"/dashboard/campaigns/{campaign.id}/close").status_code == 400
    assert status_of(app, campaign.id) == CampaignStatus.LIVE


def test_revoking_a_candidates_link_asks_first(app, client, make_pledge):
    pledge = make_pledge()
    candidate_id = pledge.candidate_ids[0]
    log_in(client, pledge.owner)
    revoke_url = f"{pledge.manage_url}/candidates/{candidate_id}/revoke"
    link = link_for(app, candidate_id)

    assert f'href="{revoke_url}"' in client.get(pledge.manage_url).get_data(as_text=True)
    asked = client.get(revoke_url).get_data(as_text=True)
    assert "Revoke Candidate A (test)’s private link?" in asked
    assert f'<form method="post" action="{revoke_url}">' in asked
    assert client.get(link).status_code == 200, "asking revokes nothing"

    post_form(client, revoke_url, revoke_url, {})
    assert client.get(link).status_code == 400
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(Candidate.token_version).where(Candidate.id == candidate_id)
            )
            == 2
        )
