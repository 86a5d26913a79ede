"""One commit per request, made by the app: views say what happened, the app keeps it or not."""

import pytest
import sqlalchemy as sa

from petition.extensions import db
from petition.models import Campaign, CampaignStatus
from petition.organizers import services
from petition.signing.services import CampaignNotOpen, confirm_signature

from .fixtures_accounts import log_in
from .helpers import post_form
from .test_organizers_editor import campaign_form


def status_of(app, campaign) -> str:
    with app.app_context():
        return db.session.get(Campaign, campaign.id).status


def test_a_successful_step_is_committed(app, client, make_user, make_owned_campaign):
    owner = make_user()
    campaign = make_owned_campaign(owner, status=CampaignStatus.LIVE)
    log_in(client, owner)
    page = f"/dashboard/campaigns/{campaign.id}"

    response = post_form(client, page, f"{page}/close", {})

    assert response.status_code == 303
    assert status_of(app, campaign) == CampaignStatus.CLOSED


def test_a_refused_step_commits_nothing_even_if_the_service_changed_something(
    app, client, make_user, make_owned_campaign, monkeypatch
):
    owner = make_user()
    campaign = make_owned_campaign(owner, status=CampaignStatus.LIVE)
    log_in(client, owner)
    page = f"/dashboard/campaigns/{campaign.id}"

    def careless_close(row: Campaign) -> None:
        row.status = CampaignStatus.CLOSED  # changes first, then refuses
        db.session.flush()
        raise services.LifecycleError("Refused after all")

    monkeypatch.setattr(services, "close", careless_close)
    response = post_form(client, page, f"{page}/close", {})

    assert response.status_code == 303
    assert "Refused after all." in client.get(response.headers["Location"]).get_data(True)
    assert status_of(app, campaign) == CampaignStatus.LIVE


def test_an_error_page_commits_nothing_the_service_had_changed(
    app, client, make_user, make_owned_campaign, monkeypatch
):
    owner = make_user()
    make_owned_campaign(owner, slug="taken-address")
    campaign = make_owned_campaign(owner, title="Old title", status=CampaignStatus.DRAFT)
    log_in(client, owner)
    page = f"/dashboard/campaigns/{campaign.id}/edit"
    # Another organizer takes the address between the form's check and the
    # save: the service has set the new title when the constraint refuses.
    monkeypatch.setattr(services, "slug_taken", lambda *args, **kwargs: False)

    response = post_form(client, page, page, campaign_form(title="New title", slug="taken-address"))

    assert response.status_code == 422
    assert "Another demand or pledge uses that web address" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Campaign, campaign.id).title == "Old title"


def test_a_failed_commit_is_a_500_that_claims_no_success(
    app, client, make_user, make_owned_campaign, monkeypatch
):
    owner = make_user()
    campaign = make_owned_campaign(owner, status=CampaignStatus.LIVE)
    log_in(client, owner)
    page = f"/dashboard/campaigns/{campaign.id}"
    app.testing = False  # let the error handler answer, as in production
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def failing_commit() -> None:
        raise sa.exc.OperationalError("COMMIT", None, Exception("disk full"))

    with app.app_context():
        monkeypatch.setattr(db.session, "commit", failing_commit)
    response = post_form(client, page, f"{page}/close", {})

    assert response.status_code == 500
    monkeypatch.undo()
    assert "Closed: signing has stopped." not in client.get(page).get_data(as_text=True)
    assert status_of(app, campaign) == CampaignStatus.LIVE


def test_confirming_is_refused_by_the_service_once_the_campaign_is_closed(
    app, make_campaign, add_signature
):
    campaign = make_campaign()
    signature_id = add_signature(campaign, confirmed=False)
    with app.test_request_context(method="POST"):
        db.session.get(Campaign, campaign.id).status = CampaignStatus.CLOSED
        db.session.flush()
        from petition.models import Signature

        with pytest.raises(CampaignNotOpen):
            confirm_signature(db.session.get(Signature, signature_id))
        db.session.rollback()
    with app.app_context():
        assert db.session.get(Campaign, campaign.id).signature_count == 0
