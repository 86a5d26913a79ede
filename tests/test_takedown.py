"""Admins take down a demand or pledge in the open: a notice, not a 404; organizers are told."""

import pytest
import sqlalchemy as sa

from petition.extensions import db
from petition.models import AuditEvent, Campaign, CampaignStatus, Pledge, Signature

from .fixtures_accounts import log_in
from .helpers import SAME_ORIGIN, csrf_token, post_form

REASON = "Names a private person as a suspect"


@pytest.fixture
def admin(app, make_user):
    client = app.test_client()
    log_in(client, make_user(admin=True))
    return client


def take_down(admin, address, reason=REASON):
    return post_form(
        admin, "/admin/take-down", "/admin/take-down", {"address": address, "reason": reason}
    )


def test_a_taken_down_demand_shows_a_notice_with_reason_and_date_and_takes_no_signatures(
    app, admin, make_user, make_owned_campaign, outbox, frozen_clock
):
    owner = make_user("owner@example.org")
    campaign = make_owned_campaign(owner, title="Doomed demand")

    response = take_down(admin, f"https://petition.test/c/{campaign.slug}")

    assert response.status_code == 303
    visitor = app.test_client()
    page = visitor.get(f"/c/{campaign.slug}")
    assert page.status_code == 410
    text = page.get_data(as_text=True)
    assert "This demand was taken down" in text
    assert REASON in text
    today = frozen_clock.now()
    assert f"{today:%B} {today.day}, {today.year}" in text
    signing = visitor.post(
        f"/c/{campaign.slug}/sign",
        data={"name": "Sam Doe", "email": "sam@example.net", "zip_code": "70112"},
        headers=SAME_ORIGIN,
    )
    assert signing.status_code == 410
    assert visitor.get(f"/c/{campaign.slug}/count.json").status_code == 404
    assert "Doomed demand" not in visitor.get("/").get_data(as_text=True)
    [note] = [m for m in outbox() if m.category == "taken_down"]
    assert note.to_address == "owner@example.org"
    assert REASON in note.body_text and REASON in note.body_html
    with app.app_context():
        row = db.session.get(Campaign, campaign.id)
        assert row.status == CampaignStatus.TAKEN_DOWN
        event = db.session.scalar(sa.select(AuditEvent))
        assert (event.action, event.campaign_id, event.detail) == (
            "campaign.take_down",
            campaign.id,
            {"reason": REASON},
        )


def test_a_demand_taken_down_while_a_process_keeps_it_takes_no_more_signatures(
    app, admin, make_owned_campaign, make_user, frozen_clock
):
    # Signing keeps what it read of a campaign for a second in each process
    # (petition.campaigns.queries.campaign_to_sign_or_404); a take-down holds at once.
    app.config["PETITION_PAGE_CACHE_SECONDS"] = 1
    campaign = make_owned_campaign(make_user("owner@example.org"))
    visitor = app.test_client()
    fields = {"name": "Sam Doe", "email": "sam@example.net", "zip_code": "70112"}
    sign = f"/c/{campaign.slug}/sign"
    assert visitor.post(sign, data=fields, headers=SAME_ORIGIN).status_code == 303

    assert take_down(admin, f"/c/{campaign.slug}").status_code == 303
    late = {**fields, "email": "late@example.net"}
    response = visitor.post(sign, data=late, headers=SAME_ORIGIN)

    assert response.status_code == 410
    assert "This demand was taken down" in response.get_data(as_text=True)
    with app.app_context():
        emails = db.session.scalars(sa.select(Signature.email)).all()
    assert emails == ["sam@example.net"]


def test_a_taken_down_pledge_shows_the_notice_and_cannot_be_backed(app, admin, make_pledge, outbox):
    pledge = make_pledge()

    take_down(admin, pledge.url)

    visitor = app.test_client()
    page = visitor.get(pledge.url)
    assert page.status_code == 410
    assert "This pledge was taken down" in page.get_data(as_text=True)
    backing = visitor.post(
        f"{pledge.url}/back",
        data={"name": "Sam Doe", "email": "sam@example.net", "zip_code": "70112"},
        headers=SAME_ORIGIN,
    )
    assert backing.status_code == 410
    assert [m.to_address for m in outbox() if m.category == "taken_down"] == [pledge.owner.email]
    with app.app_context():
        assert db.session.get(Pledge, pledge.id).take_down_reason == REASON
        assert db.session.scalar(sa.select(AuditEvent.action)) == "pledge.take_down"


def test_a_pledge_is_taken_down_only_once(app, admin, make_pledge, outbox):
    pledge = make_pledge()
    take_down(admin, pledge.url)

    again = take_down(admin, pledge.url, "Another reason")

    assert again.status_code == 422
    assert "already taken down" in again.get_data(as_text=True)
    assert len([m for m in outbox() if m.category == "taken_down"]) == 1


def test_the_organizer_sees_why_on_the_dashboard(
    app, admin, client, make_user, make_owned_campaign
):
    owner = make_user()
    campaign = make_owned_campaign(owner)
    take_down(admin, f"/c/{campaign.slug}")
    log_in(client, owner)

    page = client.get(f"/dashboard/campaigns/{campaign.id}").get_data(as_text=True)

    assert REASON in page
    assert "Taken down" in page


@pytest.mark.parametrize(
    ("address", "reason", "message"),
    [
        ("/c/no-such-demand", REASON, "No demand or pledge has that address"),
        ("https://elsewhere.example/about", REASON, "No demand or pledge has that address"),
        ("/c/{slug}", "", "Say why"),
        ("/c/{draft}", REASON, "Only a public demand can be taken down"),
    ],
)
def test_bad_take_downs_are_form_errors_and_change_nothing(
    app, admin, make_campaign, outbox, address, reason, message
):
    live = make_campaign()
    draft = make_campaign(status=CampaignStatus.DRAFT)

    response = take_down(admin, address.format(slug=live.slug, draft=draft.slug), reason)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert app.test_client().get(f"/c/{live.slug}").status_code == 200
    assert outbox() == []


def test_only_admins_can_take_down(app, client, make_user, make_campaign):
    campaign = make_campaign()
    log_in(client, make_user())

    token = csrf_token(client, "/dashboard/campaigns/new")  # a real token: only the role stops it
    response = client.post(
        "/admin/take-down",
        data={"csrf_token": token, "address": f"/c/{campaign.slug}", "reason": REASON},
    )

    assert response.status_code == 404
    assert app.test_client().get(f"/c/{campaign.slug}").status_code == 200
