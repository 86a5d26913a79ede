"""The authorization matrix: every organizer route times every kind of visitor.

Owners and co-organizers may use each route; any other organizer (admins
included) gets a 404, as if the campaign did not exist; a visitor who is not
logged in is sent to the login page. The route list must name every rule under
/dashboard/campaigns/<id>, so a new route cannot be added without a row here.
"""

import re
from datetime import date

import pytest
import sqlalchemy as sa

from petition.extensions import db
from petition.models import Campaign, CampaignOrganizer, CampaignStatus, EvidenceEntry, Target

from .fixtures_accounts import log_in
from .helpers import csrf_token

# (method, path); {id} is the campaign, {co_organizer_id} a co-organizer row of it.
ROUTES = [
    ("GET", "/dashboard/campaigns/{id}"),
    ("GET", "/dashboard/campaigns/{id}/edit"),
    ("POST", "/dashboard/campaigns/{id}/edit"),
    ("GET", "/dashboard/campaigns/{id}/preview"),
    ("POST", "/dashboard/campaigns/{id}/publish"),
    ("GET", "/dashboard/campaigns/{id}/close"),
    ("POST", "/dashboard/campaigns/{id}/close"),
    ("POST", "/dashboard/campaigns/{id}/reopen"),
    ("GET", "/dashboard/campaigns/{id}/delete"),
    ("POST", "/dashboard/campaigns/{id}/delete"),
    ("GET", "/dashboard/campaigns/{id}/victory"),
    ("POST", "/dashboard/campaigns/{id}/victory"),
    ("GET", "/dashboard/campaigns/{id}/deliver"),
    ("POST", "/dashboard/campaigns/{id}/deliver"),
    ("GET", "/dashboard/campaigns/{id}/organizers"),
    ("POST", "/dashboard/campaigns/{id}/organizers"),
    ("POST", "/dashboard/campaigns/{id}/organizers/{co_organizer_id}/remove"),
    ("POST", "/dashboard/campaigns/{id}/export.csv"),
    ("POST", "/dashboard/campaigns/{id}/export-delivery.csv"),
    ("GET", "/dashboard/campaigns/{id}/history"),
    ("GET", "/dashboard/campaigns/{id}/updates/new"),
    ("POST", "/dashboard/campaigns/{id}/updates/new"),
    ("GET", "/dashboard/campaigns/{id}/answer"),
    ("POST", "/dashboard/campaigns/{id}/answer"),
    ("GET", "/dashboard/campaigns/{id}/record"),
    ("GET", "/dashboard/campaigns/{id}/targets/{target_id}/evidence/new"),
    ("POST", "/dashboard/campaigns/{id}/targets/{target_id}/evidence/new"),
    ("GET", "/dashboard/campaigns/{id}/targets/{target_id}/evidence/{entry_id}/correct"),
    ("POST", "/dashboard/campaigns/{id}/targets/{target_id}/evidence/{entry_id}/correct"),
    ("POST", "/dashboard/campaigns/{id}/held/restore"),
]

ROLES = ["owner", "co-organizer", "other organizer", "admin", "anonymous"]


def _rule_to_template(rule: str) -> str:
    rule = re.sub(r"<[^:]*:campaign_id>", "{id}", rule)
    return re.sub(r"<[^:]*:(co_organizer_id|target_id|entry_id)>", r"{\1}", rule)


def test_the_route_list_covers_every_campaign_route_of_the_app(app):
    in_app = {
        (method, _rule_to_template(rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/dashboard/campaigns/<")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert in_app == set(ROUTES)


@pytest.fixture
def matrix(app, make_user, make_owned_campaign, add_co_organizer, add_signature):
    owner = make_user("owner@example.org")
    co_organizer = make_user("co@example.org")
    users = {
        "owner": owner,
        "co-organizer": co_organizer,
        "other organizer": make_user("other@example.org"),
        "admin": make_user("admin@example.org", admin=True),
    }
    campaign = make_owned_campaign(owner, title="Owned campaign")
    add_co_organizer(campaign, co_organizer)
    add_signature(campaign, comment="Secret comment", email="signer@example.net")
    with app.app_context():
        co_organizer_id = db.session.scalar(sa.select(CampaignOrganizer.id))
        target_id = db.session.scalar(sa.select(Target.id).where(Target.campaign_id == campaign.id))
        entry = EvidenceEntry(
            target_id=target_id,
            happened_on=date(2026, 1, 2),
            summary="A first step.",
            source_url="https://example.org/n",
            rating="in_the_works",
        )
        db.session.add(entry)
        db.session.commit()
        ids = {"co_organizer_id": co_organizer_id, "target_id": target_id, "entry_id": entry.id}
    return users, campaign, ids


def _request(client, method, path, csrf_page):
    if method == "GET":
        return client.get(path)
    return client.post(path, data={"csrf_token": csrf_token(client, csrf_page)})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_organizer_routes_answer_by_who_is_asking(client, matrix, role, method, route):
    users, campaign, ids = matrix
    path = route.format(id=campaign.id, **ids)
    if role == "anonymous":
        csrf_page = "/login"  # a real session token, so only the login check stops it
    else:
        log_in(client, users[role])
        csrf_page = "/dashboard/campaigns/new"

    response = _request(client, method, path, csrf_page)

    if role == "anonymous":
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
    elif role in ("owner", "co-organizer"):
        assert response.status_code in (200, 303, 422), response.status_code
    else:
        assert response.status_code == 404
        assert b"Secret comment" not in response.data
        assert b"signer@example.net" not in response.data


def test_another_organizers_post_changes_nothing(app, client, matrix):
    users, campaign, _ = matrix
    log_in(client, users["other organizer"])
    token = csrf_token(client, "/dashboard/campaigns/new")

    for action in ("close", "victory", "publish"):
        client.post(
            f"/dashboard/campaigns/{campaign.id}/{action}",
            data={"csrf_token": token, "story": "Hijacked"},
        )

    with app.app_context():
        row = db.session.get(Campaign, campaign.id)
        assert row.status == CampaignStatus.LIVE
        assert row.victory_story is None


def test_removing_a_co_organizer_of_another_campaign_by_id_is_not_found(
    app, client, matrix, make_user, make_owned_campaign, add_co_organizer
):
    users, _, ids = matrix
    victim_row = ids["co_organizer_id"]
    intruder = make_user("intruder@example.org")
    own = make_owned_campaign(intruder)
    log_in(client, intruder)
    token = csrf_token(client, "/dashboard/campaigns/new")

    response = client.post(
        f"/dashboard/campaigns/{own.id}/organizers/{victim_row}/remove",
        data={"csrf_token": token},
    )

    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(CampaignOrganizer, victim_row) is not None


def test_the_dashboard_lists_only_own_and_co_organized_campaigns(
    client, make_user, make_owned_campaign, add_co_organizer
):
    me = make_user()
    someone = make_user()
    make_owned_campaign(me, title="Mine")
    theirs = make_owned_campaign(someone, title="Shared with me")
    add_co_organizer(theirs, me)
    make_owned_campaign(someone, title="Not mine")
    log_in(client, me)

    page = client.get("/dashboard").get_data(as_text=True)

    assert "Mine" in page
    assert "Shared with me" in page
    assert "Not mine" not in page


def test_an_invited_but_not_accepted_co_organizer_has_no_access(
    app, client, make_user, make_owned_campaign
):
    owner = make_user()
    invitee = make_user("invitee@example.org")
    campaign = make_owned_campaign(owner)
    with app.app_context():
        db.session.add(
            CampaignOrganizer(
                campaign_id=campaign.id,
                email=invitee.email,
                email_normalized=invitee.email_normalized,
                user_id=invitee.id,  # not accepted: accepted_at is empty
            )
        )
        db.session.commit()
    log_in(client, invitee)

    assert client.get(f"/dashboard/campaigns/{campaign.id}").status_code == 404


def test_the_dashboard_needs_a_login(client):
    response = client.get("/dashboard")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/campaigns/99999999999999999999",
        "/dashboard/campaigns/2147483648/edit",
        "/dashboard/campaigns/1/organizers/99999999999999999999/remove",
        "/admin/moderation/99999999999999999999/approve",
        "/admin/moderation/victories/99999999999999999999/approve",
        "/admin/moderation/answers/2147483648/reject",
        "/admin/moderation/photos/99999999999999999999/image",
    ],
)
def test_ids_too_large_for_the_database_are_not_found(client, make_user, path):
    log_in(client, make_user(admin=True))
    assert client.get(path).status_code in (404, 405)
    assert client.post(path).status_code in (400, 404, 405)
