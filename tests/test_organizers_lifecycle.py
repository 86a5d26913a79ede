"""Lifecycle: draft, (review,) live, closed, won; delivery; revisions kept in public."""

from datetime import timedelta

import pytest

from petition.extensions import db
from petition.models import Campaign, CampaignRevision, CampaignStatus

from .fixtures_accounts import log_in
from .helpers import csrf_token, post_form
from .test_organizers_editor import campaign_form


@pytest.fixture
def organizer(client, make_user):
    user = make_user("organizer@example.org")
    log_in(client, user)
    return user


def press(client, campaign, action, **data):
    page = f"/dashboard/campaigns/{campaign.id}"
    return client.post(f"{page}/{action}", data={"csrf_token": csrf_token(client, page), **data})


def status_of(app, campaign) -> Campaign:
    with app.app_context():
        row = db.session.get(Campaign, campaign.id)
        db.session.expunge(row)
        return row


def test_publishing_without_moderation_puts_the_draft_live(
    app, client, organizer, make_owned_campaign, frozen_clock
):
    campaign = make_owned_campaign(organizer, status=CampaignStatus.DRAFT)

    response = press(client, campaign, "publish")

    assert response.status_code == 303
    row = status_of(app, campaign)
    assert row.status == CampaignStatus.LIVE
    assert row.published_at == frozen_clock.now()
    assert client.get(f"/c/{campaign.slug}").status_code == 200


def test_a_stale_publish_button_cannot_republish_a_closed_campaign(
    app, client, organizer, make_owned_campaign
):
    campaign = make_owned_campaign(organizer, status=CampaignStatus.CLOSED)
    response = press(client, campaign, "publish")
    assert response.status_code == 303
    assert status_of(app, campaign).status == CampaignStatus.CLOSED
    assert "Only a draft can be published" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_a_lifecycle_button_without_csrf_token_is_refused(
    app, client, organizer, make_owned_campaign
):
    campaign = make_owned_campaign(organizer, status=CampaignStatus.DRAFT)
    response = client.post(f"/dashboard/campaigns/{campaign.id}/publish")
    assert response.status_code == 400
    assert status_of(app, campaign).status == CampaignStatus.DRAFT


class TestModeration:
    @pytest.fixture
    def app_config(self):
        return {"PETITION_MODERATION": True}

    def test_publishing_sends_the_campaign_to_review_not_live(
        self, app, client, organizer, make_owned_campaign
    ):
        campaign = make_owned_campaign(organizer, status=CampaignStatus.DRAFT)

        press(client, campaign, "publish")

        assert status_of(app, campaign).status == CampaignStatus.PENDING
        assert client.get(f"/c/{campaign.slug}").status_code == 404

    def test_an_admin_approves_a_pending_campaign(
        self, app, client, make_user, make_owned_campaign, add_co_organizer, outbox
    ):
        campaign = make_owned_campaign(
            make_user("owner@example.org"), status=CampaignStatus.PENDING, title="Review me"
        )
        add_co_organizer(campaign, make_user("co@example.org"))
        log_in(client, make_user(admin=True))

        queue = client.get("/admin/moderation").get_data(as_text=True)
        assert "Review me" in queue
        response = post_form(
            client, "/admin/moderation", f"/admin/moderation/{campaign.id}/approve", {}
        )

        assert response.status_code == 303
        row = status_of(app, campaign)
        assert row.status == CampaignStatus.LIVE
        assert row.published_at is not None
        assert "Nothing to review" in client.get("/admin/moderation").get_data(as_text=True)
        mails = outbox()
        assert [m.to_address for m in mails] == ["owner@example.org", "co@example.org"]
        assert mails[0].subject == "Your demand is live: Review me"
        assert f"http://petition.test/c/{campaign.slug}" in mails[0].body_text

    def test_a_rejection_reason_is_shown_and_mailed_to_the_organizer(
        self, app, client, make_user, make_owned_campaign, outbox
    ):
        owner = make_user("owner@example.org")
        campaign = make_owned_campaign(owner, status=CampaignStatus.PENDING)
        log_in(client, make_user(admin=True))
        post_form(
            client,
            "/admin/moderation",
            f"/admin/moderation/{campaign.id}/reject",
            {"reason": "Name the prosecutor's office correctly."},
        )
        assert status_of(app, campaign).status == CampaignStatus.DRAFT
        [mail] = outbox()
        assert mail.to_address == "owner@example.org"
        assert "Name the prosecutor's office correctly." in mail.body_text

        log_in(client, owner)
        page = client.get(f"/dashboard/campaigns/{campaign.id}").get_data(as_text=True)
        assert "Name the prosecutor&#39;s office correctly." in page
        assert "Name the prosecutor&#39;s office correctly." in client.get("/dashboard").get_data(
            as_text=True
        )

    def test_a_rejection_needs_a_reason(self, app, client, make_user, make_owned_campaign):
        campaign = make_owned_campaign(make_user(), status=CampaignStatus.PENDING)
        log_in(client, make_user(admin=True))
        response = post_form(
            client, "/admin/moderation", f"/admin/moderation/{campaign.id}/reject", {"reason": ""}
        )
        assert response.status_code == 422
        assert "Say why" in response.get_data(as_text=True)
        assert status_of(app, campaign).status == CampaignStatus.PENDING

    def test_organizers_cannot_reach_the_queue_or_approve(
        self, app, client, organizer, make_owned_campaign
    ):
        campaign = make_owned_campaign(organizer, status=CampaignStatus.PENDING)
        assert client.get("/admin/moderation").status_code == 404
        token = csrf_token(client, "/dashboard/campaigns/new")
        response = client.post(
            f"/admin/moderation/{campaign.id}/approve", data={"csrf_token": token}
        )
        assert response.status_code == 404
        assert status_of(app, campaign).status == CampaignStatus.PENDING

    def test_approving_a_campaign_that_is_not_pending_is_not_found(
        self, client, make_user, make_campaign
    ):
        campaign = make_campaign(status=CampaignStatus.DRAFT)
        log_in(client, make_user(admin=True))
        response = post_form(
            client, "/admin/moderation", f"/admin/moderation/{campaign.id}/approve", {}
        )
        assert response.status_code == 404


def test_closing_stops_signing(app, client, organizer, make_owned_campaign):
    campaign = make_owned_campaign(organizer)
    press(client, campaign, "close")
    row = status_of(app, campaign)
    assert row.status == CampaignStatus.CLOSED
    assert not row.is_open
    assert "This demand is closed" in client.get(f"/c/{campaign.slug}").get_data(as_text=True)


def test_declaring_victory_shows_the_story_on_the_page_and_home(
    app, client, organizer, make_owned_campaign, frozen_clock
):
    campaign = make_owned_campaign(organizer, title="Drop the fines")
    page = f"/dashboard/campaigns/{campaign.id}/victory"

    response = post_form(client, page, page, {"story": "The DA **dropped** 4,000 cases."})

    assert response.status_code == 303
    row = status_of(app, campaign)
    assert row.status == CampaignStatus.WON
    assert row.won_at == frozen_clock.now()
    public = client.get(f"/c/{campaign.slug}").get_data(as_text=True)
    assert "We won on March 3, 2026" in public
    assert "<strong>dropped</strong> 4,000 cases" in public
    home = client.get("/").get_data(as_text=True)
    assert "Victories" in home
    assert "Drop the fines" in home


def test_a_victory_needs_a_story(client, organizer, make_owned_campaign):
    campaign = make_owned_campaign(organizer)
    page = f"/dashboard/campaigns/{campaign.id}/victory"
    response = post_form(client, page, page, {"story": ""})
    assert response.status_code == 422
    assert "Tell signers what you won" in response.get_data(as_text=True)


def test_a_draft_cannot_be_won(app, client, organizer, make_owned_campaign):
    campaign = make_owned_campaign(organizer, status=CampaignStatus.DRAFT)
    page = f"/dashboard/campaigns/{campaign.id}/victory"
    response = post_form(client, page, page, {"story": "We won"})
    assert response.status_code == 422
    assert status_of(app, campaign).status == CampaignStatus.DRAFT


def test_delivery_shows_on_the_public_page_and_home(
    app, client, organizer, make_owned_campaign, frozen_clock
):
    campaign = make_owned_campaign(organizer, title="Deliver me")
    page = f"/dashboard/campaigns/{campaign.id}/deliver"

    response = post_form(
        client,
        page,
        page,
        {
            "delivered_on": "2026-03-02",
            "delivered_to": "District Attorney Jane Doe",
            "note": "Handed over 1,200 names at her office.",
        },
    )

    assert response.status_code == 303
    public = client.get(f"/c/{campaign.slug}").get_data(as_text=True)
    assert "Delivered on March 2, 2026" in public
    assert "To District Attorney Jane Doe." in public
    assert "Handed over 1,200 names" in public
    assert "Delivered to District Attorney Jane Doe on March 2, 2026" in client.get("/").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"delivered_on": "2026-03-10", "delivered_to": "DA"}, "not in the future"),
        ({"delivered_on": "yesterday", "delivered_to": "DA"}, "Not a valid date"),
        ({"delivered_on": "2026-03-01", "delivered_to": ""}, "Enter who received"),
    ],
)
def test_bad_delivery_details_get_form_errors(
    client, organizer, make_owned_campaign, frozen_clock, data, message
):
    campaign = make_owned_campaign(organizer)
    page = f"/dashboard/campaigns/{campaign.id}/deliver"
    response = post_form(client, page, page, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


# Revisions


def edit(client, campaign, **overrides):
    page = f"/dashboard/campaigns/{campaign.id}/edit"
    return post_form(client, page, page, campaign_form(**overrides))


def revisions_of(app, campaign) -> list[CampaignRevision]:
    from sqlalchemy import select

    with app.app_context():
        rows = list(
            db.session.scalars(
                select(CampaignRevision).where(CampaignRevision.campaign_id == campaign.id)
            )
        )
        db.session.expunge_all()
        return rows


def test_editing_before_anyone_signed_keeps_no_revision(
    app, client, organizer, make_owned_campaign
):
    campaign = make_owned_campaign(organizer, demand="Old words.")
    edit(client, campaign, demand="New words.")
    assert revisions_of(app, campaign) == []
    assert status_of(app, campaign).edited_at is None


def test_editing_the_demand_after_signatures_keeps_the_old_text_publicly(
    app, client, organizer, make_owned_campaign, add_signature, frozen_clock
):
    campaign = make_owned_campaign(organizer, demand="End **cash bail** now.")
    add_signature(campaign)
    frozen_clock.advance(timedelta(days=1))

    edit(client, campaign, demand="End cash bail by June.")

    [revision] = revisions_of(app, campaign)
    assert revision.demand == "End **cash bail** now."
    assert revision.targets[0]["name"] == "Test Prosecutor"
    assert revision.author_id == organizer.id
    page = client.get(f"/c/{campaign.slug}").get_data(as_text=True)
    assert "Edited on March 4, 2026" in page
    assert f"/c/{campaign.slug}/revisions" in page
    history = client.get(f"/c/{campaign.slug}/revisions").get_data(as_text=True)
    assert "End <strong>cash bail</strong> now." in history
    assert "End cash bail by June." in history
    assert "Version replaced on March 4, 2026" in history


def test_changing_only_the_targets_after_signatures_is_a_revision_too(
    app, client, organizer, make_owned_campaign, add_signature
):
    campaign = make_owned_campaign(organizer, demand="Drop charges for **unpaid fines**.")
    add_signature(campaign)
    edit(client, campaign, **{"targets-0-name": "Test Prosecutor", "targets-0-office": "Judge"})
    [revision] = revisions_of(app, campaign)
    assert revision.targets[0]["office"] == "Test County District Attorney"


def test_changing_only_the_title_or_goal_is_not_a_revision(
    app, client, organizer, make_owned_campaign, add_signature
):
    campaign = make_owned_campaign(organizer, demand="Drop charges for **unpaid fines**.")
    add_signature(campaign)
    edit(
        client,
        campaign,
        title="A better title",
        signature_goal="9000",
        **{
            "targets-0-name": "Test Prosecutor",
            "targets-0-office": "Test County District Attorney",
            "targets-0-jurisdiction": "Testville, LA",
        },
    )
    assert revisions_of(app, campaign) == []
    assert status_of(app, campaign).title == "A better title"


def test_revisions_of_a_draft_are_not_public(client, make_campaign):
    campaign = make_campaign(status=CampaignStatus.DRAFT)
    assert client.get(f"/c/{campaign.slug}/revisions").status_code == 404


def test_a_closed_campaign_can_be_reopened(app, client, organizer, make_owned_campaign):
    campaign = make_owned_campaign(organizer, status=CampaignStatus.CLOSED)
    press(client, campaign, "reopen")
    assert status_of(app, campaign).is_open


def test_reopening_after_the_closing_date_asks_to_change_it_first(
    app, client, organizer, make_owned_campaign, frozen_clock
):
    campaign = make_owned_campaign(
        organizer, status=CampaignStatus.CLOSED, closes_at=frozen_clock.now() - timedelta(days=1)
    )
    response = press(client, campaign, "reopen")
    assert "change or clear it in the editor" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert status_of(app, campaign).status == CampaignStatus.CLOSED


def test_a_draft_can_be_deleted(app, client, organizer, make_owned_campaign):
    campaign = make_owned_campaign(organizer, status=CampaignStatus.DRAFT)
    response = press(client, campaign, "delete")
    assert response.headers["Location"] == "/dashboard"
    with app.app_context():
        assert db.session.get(Campaign, campaign.id) is None


@pytest.mark.parametrize(
    "status", [CampaignStatus.LIVE, CampaignStatus.PENDING, CampaignStatus.WON]
)
def test_only_drafts_can_be_deleted(app, client, organizer, make_owned_campaign, status):
    campaign = make_owned_campaign(organizer, status=status)
    press(client, campaign, "delete")
    assert status_of(app, campaign).status == status
