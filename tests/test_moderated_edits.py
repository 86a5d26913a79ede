"""Under moderation, nothing unreviewed is public: edits of live demands wait for an admin."""

import re

import pytest
import sqlalchemy as sa

from petition.extensions import db
from petition.models import (
    Campaign,
    CampaignRevision,
    CampaignStatus,
    CampaignUpdate,
    PendingCampaignEdit,
)

from .fixtures_accounts import log_in
from .helpers import SAME_ORIGIN, csrf_token, post_form
from .test_organizers_editor import campaign_form
from .test_pledges_manage import VALID_PLEDGE


@pytest.fixture
def app_config():
    return {"PETITION_MODERATION": True}


@pytest.fixture
def live(app, client, make_user, make_owned_campaign):
    owner = make_user("owner@example.org")
    log_in(client, owner)
    return make_owned_campaign(
        owner, title="Approved title", demand="Approved wording.", signature_count=3
    )


@pytest.fixture
def admin(app, make_user):
    admin_client = app.test_client()
    log_in(admin_client, make_user(admin=True))
    return admin_client


def edit(client, campaign, **changes):
    page = f"/dashboard/campaigns/{campaign.id}/edit"
    return post_form(client, page, page, campaign_form(**changes))


def decide_edit(admin_client, edit_id: int, decision: str, data=None):
    """Post the approve or reject form of an edit as the admin's browser does, with its version."""
    page = admin_client.get("/admin/moderation").get_data(as_text=True)
    action = f"/admin/moderation/edits/{edit_id}/{decision}"
    form = page[page.index(f'action="{action}"') :]
    version = re.search(r'name="version" value="([0-9a-f]+)"', form).group(1)
    return post_form(
        admin_client, "/admin/moderation", action, {"version": version, **(data or {})}
    )


def public_page(app, campaign) -> str:
    return app.test_client().get(f"/c/{campaign.slug}").get_data(as_text=True)


def test_an_edit_to_a_live_demand_waits_and_the_approved_text_stays_public(
    app, client, live, admin
):
    response = edit(client, live, title="Sneaky title", demand="Unreviewed **wording**.")

    assert response.status_code == 303
    page = public_page(app, live)
    assert "Approved wording." in page
    assert "Unreviewed" not in page
    assert "Sneaky title" not in page
    queue = admin.get("/admin/moderation").get_data(as_text=True)
    assert "Unreviewed <strong>wording</strong>." in queue
    # The organizer sees it waits, and the editor keeps what they proposed.
    assert "waits for review" in client.get(f"/dashboard/campaigns/{live.id}").get_data(
        as_text=True
    )
    assert "Unreviewed **wording**." in client.get(f"/dashboard/campaigns/{live.id}/edit").get_data(
        as_text=True
    )


def test_approving_the_edit_makes_it_public(app, client, live, admin):
    edit(client, live, title="Better title", demand="Reviewed wording.")
    with app.app_context():
        edit_id = db.session.scalar(sa.select(PendingCampaignEdit.id))

    response = decide_edit(admin, edit_id, "approve")

    assert response.status_code == 303
    page = public_page(app, live)
    assert "Reviewed wording." in page
    assert "Better title" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PendingCampaignEdit.id))) == 0
        # People signed the old wording: it is kept, as for any edit after signing.
        assert db.session.scalar(sa.select(CampaignRevision.demand)) == "Approved wording."


def test_rejecting_the_edit_keeps_the_old_text_and_tells_the_organizers(
    app, client, live, admin, outbox
):
    edit(client, live, demand="Unreviewed wording.")
    with app.app_context():
        edit_id = db.session.scalar(sa.select(PendingCampaignEdit.id))

    decide_edit(admin, edit_id, "reject", {"reason": "Names a private person"})

    assert "Approved wording." in public_page(app, live)
    assert "Unreviewed" not in public_page(app, live)
    [note] = [m for m in outbox() if m.category == "campaign_edit_rejected"]
    assert note.to_address == "owner@example.org"
    assert "Names a private person" in note.body_text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PendingCampaignEdit.id))) == 0


def _read_then_edit_again(app, client, live, admin, decision):
    """The admin opens the queue, the organizer edits again, then the admin clicks."""
    edit(client, live, title="Benign title", demand="Benign wording.")
    with app.app_context():
        edit_id = db.session.scalar(sa.select(PendingCampaignEdit.id))
    page = admin.get("/admin/moderation").get_data(as_text=True)
    assert "Benign wording." in page
    version = re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)
    token = csrf_token(admin, "/admin/moderation")
    edit(client, live, title="Benign title", demand="Swapped after review.")
    return edit_id, admin.post(
        f"/admin/moderation/edits/{edit_id}/{decision}",
        data={"csrf_token": token, "version": version, "reason": "Not now"},
        headers=SAME_ORIGIN,
    )


def test_approving_binds_to_the_wording_the_admin_read(app, client, live, admin):
    edit_id, response = _read_then_edit_again(app, client, live, admin, "approve")

    assert response.status_code == 303
    page = public_page(app, live)
    assert "Swapped after review." not in page
    assert "Approved wording." in page
    queue = admin.get("/admin/moderation").get_data(as_text=True)
    assert "changed this edit after you opened the page" in queue
    assert "Swapped after review." in queue
    with app.app_context():
        assert db.session.get(PendingCampaignEdit, edit_id).demand == "Swapped after review."


def test_rejecting_binds_to_the_wording_the_admin_read(app, client, live, admin, outbox):
    edit_id, response = _read_then_edit_again(app, client, live, admin, "reject")

    assert response.status_code == 303
    assert "changed this edit" in admin.get("/admin/moderation").get_data(as_text=True)
    assert not [m for m in outbox() if m.category == "campaign_edit_rejected"]
    with app.app_context():
        assert db.session.get(PendingCampaignEdit, edit_id) is not None


def test_an_approval_without_the_version_read_changes_nothing(app, client, live, admin):
    edit(client, live, demand="Unreviewed wording.")
    with app.app_context():
        edit_id = db.session.scalar(sa.select(PendingCampaignEdit.id))

    post_form(admin, "/admin/moderation", f"/admin/moderation/edits/{edit_id}/approve", {})

    assert "Unreviewed" not in public_page(app, live)
    with app.app_context():
        assert db.session.get(PendingCampaignEdit, edit_id) is not None


def test_a_reject_without_reason_changes_nothing(app, client, live, admin):
    edit(client, live, demand="Unreviewed wording.")
    with app.app_context():
        edit_id = db.session.scalar(sa.select(PendingCampaignEdit.id))
    decide_edit(admin, edit_id, "reject", {"reason": ""})
    with app.app_context():
        assert db.session.get(PendingCampaignEdit, edit_id) is not None


def test_settings_that_are_not_wording_apply_at_once(app, client, live):
    same_wording = {
        "title": "Approved title",
        "demand": "Approved wording.",
        "targets-0-name": "Test Prosecutor",
        "targets-0-office": "Test County District Attorney",
        "targets-0-jurisdiction": "Testville, LA",
    }
    edit(client, live, signature_goal="9000", **same_wording)

    with app.app_context():
        assert db.session.get(Campaign, live.id).signature_goal == 9000
        assert db.session.scalar(sa.select(sa.func.count(PendingCampaignEdit.id))) == 0


def test_organizers_cannot_approve_their_own_edit(app, client, live):
    edit(client, live, demand="Unreviewed wording.")
    with app.app_context():
        edit_id = db.session.scalar(sa.select(PendingCampaignEdit.id))

    response = post_form(client, "/dashboard", f"/admin/moderation/edits/{edit_id}/approve", {})

    assert response.status_code == 404
    assert "Unreviewed" not in public_page(app, live)


def test_a_draft_is_edited_directly_and_reviewed_when_published(
    app, client, make_user, make_owned_campaign
):
    drafter = make_user()
    draft = make_owned_campaign(drafter, status=CampaignStatus.DRAFT, title="Draft title")
    log_in(client, drafter)

    edit(client, draft, title="New draft title")

    with app.app_context():
        assert db.session.get(Campaign, draft.id).title == "New draft title"
        assert db.session.scalar(sa.select(sa.func.count(PendingCampaignEdit.id))) == 0


def test_a_live_pledges_wording_is_fixed_under_moderation(app, client, make_pledge):
    pledge = make_pledge()
    log_in(client, pledge.owner)
    page = f"/dashboard/pledges/{pledge.id}/edit"
    before = app.test_client().get(pledge.url).get_data(as_text=True)

    post_form(client, page, page, VALID_PLEDGE | {"title": "Unreviewed", "text": "Unreviewed."})

    after = app.test_client().get(pledge.url).get_data(as_text=True)
    assert "Unreviewed" not in after
    assert "or a moderator approved it" in client.get(page).get_data(as_text=True)
    assert before.count("<h1") == after.count("<h1")


# Updates to signers under moderation


def test_an_update_waits_for_an_admin_before_anyone_sees_or_gets_it(
    app, client, live, admin, add_signature, outbox, runner
):
    from .test_organizers_updates import send

    add_signature(live, email="signer@example.net", wants_updates=True)

    assert send(client, live, subject="Unreviewed news").status_code == 303
    runner.invoke(args=["outbox", "work", "--once"])

    assert "Unreviewed news" not in public_page(app, live)
    assert [m for m in outbox() if m.category == "update"] == []
    assert "waiting for review" in client.get(f"/dashboard/campaigns/{live.id}").get_data(True)
    queue = admin.get("/admin/moderation").get_data(as_text=True)
    assert "Unreviewed news" in queue
    assert "<title>Moderation" in queue
    with app.app_context():
        update_id = db.session.scalar(sa.select(CampaignUpdate.id))

    approve = f"/admin/moderation/updates/{update_id}/approve"
    assert post_form(admin, "/admin/moderation", approve, {}).status_code == 303

    assert "Unreviewed news" in public_page(app, live)
    assert [m.to_address for m in outbox() if m.category == "update"] == ["signer@example.net"]


def test_a_rejected_update_is_never_shown_nor_mailed(
    app, client, live, admin, add_signature, outbox
):
    from .test_organizers_updates import send

    add_signature(live, email="signer@example.net", wants_updates=True)
    send(client, live, subject="Unreviewed news")
    with app.app_context():
        update_id = db.session.scalar(sa.select(CampaignUpdate.id))

    reject = f"/admin/moderation/updates/{update_id}/reject"
    post_form(admin, "/admin/moderation", reject, {"reason": "Names a witness"})

    assert "Unreviewed news" not in public_page(app, live)
    assert [m for m in outbox() if m.category == "update"] == []
    [note] = [m for m in outbox() if m.category == "campaign_update_rejected"]
    assert "Names a witness" in note.body_text
    with app.app_context():
        assert db.session.get(CampaignUpdate, update_id) is None
