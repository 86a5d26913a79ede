"""Under moderation a new pledge linked to a published demand waits for an admin."""

import re

import pytest
import sqlalchemy as sa

from petition.extensions import db
from petition.models import Pledge

from .fixtures_accounts import log_in
from .helpers import SAME_ORIGIN, csrf_token, post_form
from .test_pledges_manage import VALID_PLEDGE


@pytest.fixture
def app_config():
    return {"PETITION_MODERATION": True}


@pytest.fixture
def admin(app, make_user):
    admin_client = app.test_client()
    log_in(admin_client, make_user(admin=True))
    return admin_client


@pytest.fixture
def held(app, client, make_user, make_owned_campaign):
    """A new pledge whose supporters are the signers of an approved, live demand."""
    owner = make_user("owner@example.org")
    log_in(client, owner)
    demand = make_owned_campaign(owner, title="Approved demand", demand="Approved wording.")
    data = dict(
        VALID_PLEDGE, slug="new-pledge", title="Unreviewed pledge", campaign_slug=demand.slug
    )
    response = post_form(client, "/dashboard/pledges/new", "/dashboard/pledges/new", data)
    assert response.status_code == 303
    with app.app_context():
        return db.session.scalar(sa.select(Pledge.id).where(Pledge.slug == "new-pledge")), demand


def decide(admin_client, pledge_id: int, decision: str, data=None):
    page = admin_client.get("/admin/moderation").get_data(as_text=True)
    action = f"/admin/moderation/pledges/{pledge_id}/{decision}"
    form = page[page.index(f'action="{action}"') :]
    version = re.search(r'name="version" value="([0-9a-f]+)"', form).group(1)
    return post_form(
        admin_client, "/admin/moderation", action, {"version": version, **(data or {})}
    )


def test_a_linked_pledge_is_hidden_until_an_admin_approves_it(app, held, admin):
    pledge_id, demand = held
    visitor = app.test_client()

    assert visitor.get("/p/new-pledge").status_code == 404
    assert visitor.get("/p/new-pledge/record").status_code == 404
    assert visitor.get("/p/new-pledge/count.json").status_code == 404
    assert "Unreviewed pledge" not in visitor.get(f"/c/{demand.slug}").get_data(as_text=True)
    queue = admin.get("/admin/moderation").get_data(as_text=True)
    assert "Unreviewed pledge" in queue

    assert decide(admin, pledge_id, "approve").status_code == 303

    page = visitor.get("/p/new-pledge")
    assert page.status_code == 200
    assert "Unreviewed pledge" in page.get_data(as_text=True)
    assert "Unreviewed pledge" in visitor.get(f"/c/{demand.slug}").get_data(as_text=True)
    assert f"pledges/{pledge_id}/approve" not in admin.get("/admin/moderation").get_data(
        as_text=True
    )


def test_a_refused_pledge_stays_hidden_and_its_organizer_is_told_why(
    app, client, held, admin, outbox
):
    pledge_id, _ = held

    assert decide(admin, pledge_id, "reject", {"reason": "Names a private person"}).status_code
    assert app.test_client().get("/p/new-pledge").status_code == 404
    [note] = [m for m in outbox() if m.category == "pledge_rejected"]
    assert note.to_address == "owner@example.org"
    assert "Names a private person" in note.body_text
    assert f"pledges/{pledge_id}/approve" not in admin.get("/admin/moderation").get_data(
        as_text=True
    )

    # Its organizer edits it: it is reviewed again, still hidden meanwhile.
    page = f"/dashboard/pledges/{pledge_id}/edit"
    fixed = dict(VALID_PLEDGE, title="Fixed pledge")
    assert post_form(client, page, page, fixed).status_code == 303
    assert "Fixed pledge" in admin.get("/admin/moderation").get_data(as_text=True)
    assert app.test_client().get("/p/new-pledge").status_code == 404


def test_an_approval_binds_to_the_pledge_the_admin_read(app, client, held, admin):
    pledge_id, _ = held
    token = csrf_token(admin, "/admin/moderation")
    page = admin.get("/admin/moderation").get_data(as_text=True)
    version = re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)
    edit_page = f"/dashboard/pledges/{pledge_id}/edit"
    swapped = dict(VALID_PLEDGE, title="Swapped after review")
    assert post_form(client, edit_page, edit_page, swapped).status_code == 303

    admin.post(
        f"/admin/moderation/pledges/{pledge_id}/approve",
        data={"csrf_token": token, "version": version},
        headers=SAME_ORIGIN,
    )

    assert app.test_client().get("/p/new-pledge").status_code == 404
    assert "changed this pledge" in admin.get("/admin/moderation").get_data(as_text=True)


def test_organizers_cannot_approve_their_own_pledge(app, client, held):
    pledge_id, _ = held
    action = f"/admin/moderation/pledges/{pledge_id}/approve"
    assert post_form(client, "/dashboard", action, {}).status_code == 404
    assert app.test_client().get("/p/new-pledge").status_code == 404
