"""Organizer pages for pledges: who may use them, and what they do."""

from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from petition.extensions import db
from petition.models import Campaign, CampaignStatus, Candidate, Pledge

from .fixtures_accounts import log_in
from .fixtures_pledges import (
    answer,
    link_for,
    record_winner_with_entry,
    responses_of,
    snapshot,
    store_photo,
)
from .helpers import post_form

VALID_PLEDGE = {
    "title": "No prosecutions for pregnancy outcomes",
    "text": "I will not prosecute anyone for the outcome of a pregnancy.",
    "office": "Orleans Parish District Attorney",
    "jurisdiction": "New Orleans, LA",
    "election_date": "2026-11-03",
    "jurisdiction_zips": "70112, 70113\n70112",
    "supporter_goal": "2000",
}
VALID_CANDIDATE = {"name": "Candidate Z (test)", "party": "nonpartisan"}
# The world's candidate won and has a record: their name cannot change, the rest can.
EDITED_CANDIDATE = {"name": "Candidate A (test)", "party": "Green"}
VALID_RECORD = {"answer": "pledged", "source_description": "Forum", "answered_on": "2026-01-02"}
VALID_RESULT = {"winner": "0", "source_url": "https://example.org/results"}
VALID_EVIDENCE = {
    "happened_on": "2026-01-02",
    "summary": "Dropped the charges.",
    "source_url": "https://example.org/news",
    "rating": "kept",
}


@dataclass
class Route:
    endpoint: str
    method: str
    path: str  # with {pledge}, {candidate}, {response} placeholders
    data: dict  # a valid submission, so the owner's request succeeds
    owner_status: int


ROUTES = [
    Route("pledges.manage_pledge", "GET", "/dashboard/pledges/{pledge}", {}, 200),
    Route("pledges.manage_edit", "GET", "/dashboard/pledges/{pledge}/edit", {}, 200),
    Route("pledges.manage_edit", "POST", "/dashboard/pledges/{pledge}/edit", VALID_PLEDGE, 303),
    Route(
        "pledges.manage_candidate_new",
        "GET",
        "/dashboard/pledges/{pledge}/candidates/new",
        {},
        200,
    ),
    Route(
        "pledges.manage_candidate_new",
        "POST",
        "/dashboard/pledges/{pledge}/candidates/new",
        VALID_CANDIDATE,
        303,
    ),
    Route(
        "pledges.manage_candidate_edit",
        "GET",
        "/dashboard/pledges/{pledge}/candidates/{candidate}/edit",
        {},
        200,
    ),
    Route(
        "pledges.manage_candidate_edit",
        "POST",
        "/dashboard/pledges/{pledge}/candidates/{candidate}/edit",
        EDITED_CANDIDATE,
        303,
    ),
    Route(
        "pledges.manage_invite",
        "POST",
        "/dashboard/pledges/{pledge}/candidates/{candidate}/invite",
        {},
        303,
    ),
    Route("pledges.manage_remind", "POST", "/dashboard/pledges/{pledge}/remind", {}, 303),
    Route(
        "pledges.manage_revoke",
        "GET",
        "/dashboard/pledges/{pledge}/candidates/{candidate}/revoke",
        {},
        200,
    ),
    Route(
        "pledges.manage_revoke",
        "POST",
        "/dashboard/pledges/{pledge}/candidates/{candidate}/revoke",
        {},
        303,
    ),
    Route(
        "pledges.manage_record",
        "GET",
        "/dashboard/pledges/{pledge}/candidates/{candidate}/record",
        {},
        200,
    ),
    Route(
        "pledges.manage_record",
        "POST",
        "/dashboard/pledges/{pledge}/candidates/{candidate}/record",
        VALID_RECORD,
        303,
    ),
    Route(
        "pledges.manage_hide",
        "GET",
        "/dashboard/pledges/{pledge}/responses/{response}/hide",
        {},
        200,
    ),
    Route(
        "pledges.manage_hide",
        "POST",
        "/dashboard/pledges/{pledge}/responses/{response}/hide",
        {"reason": "A slur"},
        303,
    ),
    Route("pledges.manage_promise", "GET", "/dashboard/pledges/{pledge}/promise", {}, 200),
    # The world's result is already recorded: both say so and go back (the
    # refusals themselves are specified in test_promise_records.py).
    Route("pledges.manage_result", "GET", "/dashboard/pledges/{pledge}/result", {}, 303),
    Route("pledges.manage_result", "POST", "/dashboard/pledges/{pledge}/result", VALID_RESULT, 303),
    Route(
        "pledges.manage_evidence_new", "GET", "/dashboard/pledges/{pledge}/evidence/new", {}, 200
    ),
    Route(
        "pledges.manage_evidence_new",
        "POST",
        "/dashboard/pledges/{pledge}/evidence/new",
        VALID_EVIDENCE,
        303,
    ),
    Route(
        "pledges.manage_evidence_correct",
        "GET",
        "/dashboard/pledges/{pledge}/evidence/{entry}/correct",
        {},
        200,
    ),
    Route(
        "pledges.manage_evidence_correct",
        "POST",
        "/dashboard/pledges/{pledge}/evidence/{entry}/correct",
        VALID_EVIDENCE,
        303,
    ),
    Route(
        "pledges.manage_photo",
        "GET",
        "/dashboard/pledges/{pledge}/candidates/{candidate}/photo",
        {},
        200,
    ),
    # No file: the owner gets past the access check to the form's error.
    Route(
        "pledges.manage_photo",
        "POST",
        "/dashboard/pledges/{pledge}/candidates/{candidate}/photo",
        {},
        422,
    ),
    Route(
        "pledges.manage_photo_image",
        "GET",
        "/dashboard/pledges/{pledge}/candidates/{candidate}/photo/image",
        {},
        200,
    ),
    Route(
        "pledges.manage_photo_remove",
        "POST",
        "/dashboard/pledges/{pledge}/candidates/{candidate}/photo/remove",
        {},
        303,
    ),
    Route(
        "pledges.manage_contact",
        "POST",
        "/dashboard/pledges/{pledge}/candidates/{candidate}/contacts",
        {"method": "phone", "contacted_on": "2026-01-02"},
        303,
    ),
    # The world's pledge has its own demand, so the owner is told there is nothing to unlink.
    Route("pledges.manage_unlink", "POST", "/dashboard/pledges/{pledge}/unlink", {}, 303),
]
# Routes that name no pledge: anyone logged in may use them for their own pledges.
OWNERLESS = {("pledges.manage_index", "GET"), ("pledges.manage_new", "GET")}
OWNERLESS |= {("pledges.manage_new", "POST")}


def test_the_matrix_covers_every_organizer_route(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("pledges.") and rule.rule.startswith("/dashboard")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes == {(route.endpoint, route.method) for route in ROUTES} | OWNERLESS


ROLES = ["owner", "co-organizer", "other organizer", "admin", "anonymous"]


@pytest.fixture
def world(app, client, make_pledge, make_user, add_co_organizer):
    """The owner's pledge with an answered candidate, its ids, and who is who."""
    pledge = make_pledge()
    candidate_id = pledge.candidate_ids[0]
    answer(app.test_client(), link_for(app, candidate_id), "declined", "A statement.")
    [response] = responses_of(app, candidate_id)
    entry_id = record_winner_with_entry(app, pledge.id, candidate_id)
    store_photo(app, candidate_id)
    ids = {"pledge": pledge.id, "candidate": candidate_id, "response": response.id}
    ids["entry"] = entry_id
    co_organizer = make_user()
    add_co_organizer(SimpleNamespace(id=pledge.campaign_id), co_organizer)
    users = {
        "owner": pledge.owner,
        "co-organizer": co_organizer,
        "other organizer": make_user(),
        "admin": make_user(admin=True),
    }
    return pledge, ids, users


def _request(client, route: Route, path: str, csrf_page: str):
    if route.method == "GET":
        return client.get(path)
    return post_form(client, csrf_page, path, route.data)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.endpoint}")
def test_pledge_routes_answer_by_who_is_asking(app, client, world, route, role):
    """Organizers of the pledge's demand may; anyone else gets a 404 or the login page."""
    pledge, ids, users = world
    path = route.path.format(**ids)
    if role == "anonymous":
        csrf_page = "/login"  # a real session token, so only the login check stops it
    else:
        log_in(client, users[role])
        csrf_page = "/dashboard/pledges/new"
    before = snapshot(app)

    response = _request(client, route, path, csrf_page)

    if role in ("owner", "co-organizer"):
        assert response.status_code == route.owner_status, response.get_data(True)[:2000]
        return
    if role == "anonymous":
        assert response.status_code == 302 and "login" in response.location
    else:
        assert response.status_code == 404
        assert b"A statement." not in response.data
    assert snapshot(app) == before


def test_a_co_organizer_removed_from_the_demand_loses_its_pledge(app, client, world, make_user):
    pledge, ids, users = world
    with app.app_context():
        from petition.models import CampaignOrganizer

        db.session.execute(
            CampaignOrganizer.__table__.delete().where(
                CampaignOrganizer.user_id == users["co-organizer"].id
            )
        )
        db.session.commit()
    log_in(client, users["co-organizer"])

    assert client.get(pledge.manage_url).status_code == 404
    assert "Test pledge" not in client.get("/dashboard/pledges").get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "owned_by_other"),
    [
        # A candidate or answer of someone else's pledge, under my own pledge's id.
        ("/dashboard/pledges/{mine}/candidates/{their_candidate}/edit", True),
        ("/dashboard/pledges/{mine}/candidates/{their_candidate}/record", True),
        ("/dashboard/pledges/{mine}/responses/{their_response}/hide", True),
    ],
)
def test_ids_from_another_pledge_under_my_pledge_are_404(
    app, client, make_pledge, make_user, path, owned_by_other
):
    me = make_user()
    mine = make_pledge(owner=me)
    theirs = make_pledge()
    their_candidate = theirs.candidate_ids[0]
    answer(app.test_client(), link_for(app, their_candidate), "pledged", "Mine to keep.")
    [their_response] = responses_of(app, their_candidate)
    log_in(client, me)
    url = path.format(
        mine=mine.id, their_candidate=their_candidate, their_response=their_response.id
    )
    before = snapshot(app)
    assert client.get(url).status_code == 404
    assert post_form(client, mine.manage_url, url, {"reason": "x", **VALID_RECORD}).status_code == (
        404
    )
    assert snapshot(app) == before


def test_the_pledge_list_shows_only_my_pledges(app, client, make_pledge, make_user):
    me = make_user()
    make_pledge(owner=me)
    make_pledge()
    log_in(client, me)
    html = client.get("/dashboard/pledges").get_data(as_text=True)
    assert "Test pledge 1" in html and "Test pledge 2" not in html


def test_creating_a_pledge_makes_a_live_backing_demand(app, client, make_user):
    organizer = make_user()
    log_in(client, organizer)

    response = post_form(client, "/dashboard/pledges/new", "/dashboard/pledges/new", VALID_PLEDGE)

    assert response.status_code == 303
    with app.app_context():
        pledge = db.session.scalar(select(Pledge))
        assert pledge.slug == "no-prosecutions-for-pregnancy-outcomes"
        assert pledge.owner_id == organizer.id and pledge.owns_campaign
        assert pledge.zip_codes == ["70112", "70113"]
        campaign = pledge.campaign
        assert campaign.status == CampaignStatus.LIVE and campaign.signature_goal == 2000
        assert campaign.title == VALID_PLEDGE["title"] and campaign.zip_required
        assert campaign.owner_id == organizer.id
    assert client.get("/p/no-prosecutions-for-pregnancy-outcomes").status_code == 200


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Enter a title"),
        ({"slug": "Not A Slug!"}, "lowercase letters, numbers and hyphens"),
        ({"jurisdiction_zips": "70112 7011x"}, "is not a 5-digit ZIP code"),
        ({"election_date": "next tuesday"}, "Enter a real date"),
        ({"campaign_slug": "no-such-demand"}, "None of your published demands"),
        ({"supporter_goal": "0"}, "between 1 and 10,000,000"),
        ({"text": "bad\x00byte"}, "characters we cannot accept"),
    ],
)
def test_bad_pledge_input_gets_a_form_error(app, client, make_user, changes, message):
    log_in(client, make_user())
    data = {**VALID_PLEDGE, **changes}
    response = post_form(client, "/dashboard/pledges/new", "/dashboard/pledges/new", data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Pledge)) is None


def test_a_taken_slug_is_a_form_error(app, client, make_pledge, make_user):
    existing = make_pledge()
    log_in(client, make_user())
    data = {**VALID_PLEDGE, "slug": existing.slug}
    response = post_form(client, "/dashboard/pledges/new", "/dashboard/pledges/new", data)
    assert response.status_code == 422
    assert "Another demand or pledge uses that web address" in response.get_data(as_text=True)


def test_a_pledge_can_count_the_signers_of_a_published_demand(
    app, client, make_user, make_campaign
):
    organizer = make_user()
    campaign = make_campaign(slug="existing-demand", owner_id=organizer.id)
    make_campaign(slug="draft-demand", status=CampaignStatus.DRAFT, owner_id=organizer.id)
    make_campaign(slug="someone-elses-demand", owner_id=make_user().id)
    log_in(client, organizer)
    for refused in ("draft-demand", "someone-elses-demand"):
        data = {**VALID_PLEDGE, "campaign_slug": refused}
        response = post_form(client, "/dashboard/pledges/new", "/dashboard/pledges/new", data)
        assert response.status_code == 422
        assert "None of your published demands" in response.get_data(as_text=True)

    data = {**VALID_PLEDGE, "campaign_slug": "existing-demand"}
    response = post_form(client, "/dashboard/pledges/new", "/dashboard/pledges/new", data)

    assert response.status_code == 303
    with app.app_context():
        pledge = db.session.scalar(select(Pledge))
        assert pledge.campaign_id == campaign.id and not pledge.owns_campaign
        assert db.session.scalar(select(Campaign).where(Campaign.slug.like("pledge-%"))) is None


def test_the_wording_is_fixed_once_a_candidate_has_answered(app, client, make_pledge):
    pledge = make_pledge()
    answer(app.test_client(), link_for(app, pledge.candidate_ids[0]), "pledged")
    log_in(client, pledge.owner)
    edit = f"{pledge.manage_url}/edit"
    assert "The wording is fixed" in client.get(edit).get_data(as_text=True)

    data = {**VALID_PLEDGE, "title": "A different promise", "text": "Something else."}
    response = post_form(client, edit, edit, data)

    assert response.status_code == 303
    with app.app_context():
        saved = db.session.get(Pledge, pledge.id)
        assert saved.title.startswith("Test pledge ")
        assert saved.text.startswith("I will **not** prosecute")
        assert saved.office == VALID_PLEDGE["office"]  # race details still editable
        assert saved.slug == pledge.slug


def test_the_wording_can_change_before_anyone_answers(app, client, make_pledge):
    pledge = make_pledge()
    log_in(client, pledge.owner)
    edit = f"{pledge.manage_url}/edit"
    data = {**VALID_PLEDGE, "slug": "attempt-to-move"}
    assert post_form(client, edit, edit, data).status_code == 303
    with app.app_context():
        saved = db.session.get(Pledge, pledge.id)
        assert saved.title == VALID_PLEDGE["title"]
        assert saved.campaign.title == VALID_PLEDGE["title"]  # the backing demand follows
        assert saved.slug == pledge.slug  # the public address never moves


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Enter the candidate&#39;s name"),
        ({"email": "not-an-email"}, "correct format"),
        ({"website": "javascript:alert(1)"}, "starting with https://"),
        ({"photo_url": "data:image/png;base64,AAAA"}, "starting with https://"),
    ],
)
def test_bad_candidate_input_gets_a_form_error(app, client, make_pledge, changes, message):
    pledge = make_pledge(candidates=())
    log_in(client, pledge.owner)
    url = f"{pledge.manage_url}/candidates/new"
    response = post_form(client, url, url, {**VALID_CANDIDATE, **changes})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Candidate)) is None


def test_the_organizer_page_shows_each_candidates_link_to_copy(app, client, make_pledge):
    pledge = make_pledge()
    log_in(client, pledge.owner)
    html = client.get(pledge.manage_url).get_data(as_text=True)
    for candidate_id in pledge.candidate_ids:
        assert f'id="link-{candidate_id}"' in html
    assert html.count("http://petition.test/respond/") == len(pledge.candidate_ids)
    assert 'data-copy="#link-' in html


def test_inviting_a_candidate_without_email_says_to_copy_the_link(app, client, make_pledge, outbox):
    pledge = make_pledge(emails=False)
    log_in(client, pledge.owner)
    url = f"{pledge.manage_url}/candidates/{pledge.candidate_ids[0]}/invite"
    response = post_form(client, pledge.manage_url, url, {})
    assert response.status_code == 303
    assert outbox() == []
    assert "copy their link" in client.get(pledge.manage_url).get_data(as_text=True)


def test_organizer_posts_without_csrf_are_refused(app, client, make_pledge):
    pledge = make_pledge()
    log_in(client, pledge.owner)
    before = snapshot(app)
    url = f"{pledge.manage_url}/candidates/{pledge.candidate_ids[0]}/revoke"
    assert client.post(url).status_code == 400
    assert snapshot(app) == before


def test_logged_in_organizers_find_their_pledges_from_the_header(app, client, make_user):
    assert "/dashboard/pledges" not in client.get("/").get_data(as_text=True)
    log_in(client, make_user())
    assert 'href="/dashboard/pledges"' in client.get("/").get_data(as_text=True)


def test_absurdly_large_ids_are_404_not_a_driver_overflow(app, client, make_user):
    log_in(client, make_user())
    for path in ["/dashboard/pledges/99999999999999999999", "/dashboard/pledges/2147483648/edit"]:
        assert client.get(path).status_code == 404


def test_a_pledges_own_demand_shows_as_the_pledge_not_as_a_separate_demand(app, client, make_user):
    log_in(client, make_user())
    post_form(client, "/dashboard/pledges/new", "/dashboard/pledges/new", VALID_PLEDGE)
    with app.app_context():
        backing = db.session.scalar(select(Pledge)).campaign.slug

    page = client.get(f"/c/{backing}")
    thanks = client.get(f"/c/{backing}/thanks").get_data(as_text=True)

    assert page.status_code == 302
    assert page.headers["Location"] == "/p/no-prosecutions-for-pregnancy-outcomes"
    # The front page lists the race's scoreboard, never its demand as one more demand.
    home = client.get("/").get_data(as_text=True)
    assert f'/c/{backing}"' not in home
    assert 'href="/p/no-prosecutions-for-pregnancy-outcomes"' in home
    assert "/p/no-prosecutions-for-pregnancy-outcomes" in thanks
    assert f'href="/c/{backing}"' not in thanks
    assert f'/c/{backing}"' not in thanks and f"%2Fc%2F{backing}" not in thanks


def test_a_title_of_only_spaces_is_a_form_error_not_an_empty_pledge(app, client, make_user):
    log_in(client, make_user())
    response = post_form(
        client, "/dashboard/pledges/new", "/dashboard/pledges/new", {**VALID_PLEDGE, "title": "   "}
    )
    assert response.status_code == 422
    assert "Enter a title" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Pledge)) is None


def _new_pledge(client, **changes):
    return post_form(
        client, "/dashboard/pledges/new", "/dashboard/pledges/new", {**VALID_PLEDGE, **changes}
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"office": "DA\x00X"},
        {"jurisdiction": "New\x01Orleans"},
        {"campaign_slug": "a\x00"},
    ],
)
def test_control_characters_in_pledge_fields_are_form_errors(app, client, make_user, changes):
    log_in(client, make_user())
    response = _new_pledge(client, **changes)
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(Pledge)) is None


@pytest.mark.parametrize("address", ["http://[", "https://[x]/", "https://ex\x00ample.org"])
def test_broken_candidate_web_addresses_are_form_errors(app, client, make_user, address):
    log_in(client, make_user())
    _new_pledge(client)
    with app.app_context():
        pledge_id = db.session.scalar(select(Pledge.id))
    page = f"/dashboard/pledges/{pledge_id}/candidates/new"
    for field in ("website", "photo_url"):
        response = post_form(client, page, page, {**VALID_CANDIDATE, field: address})
        assert response.status_code == 422, (field, address)
    with app.app_context():
        assert db.session.scalar(select(Candidate)) is None


def test_editing_an_owned_pledge_changes_its_supporter_goal(app, client, make_user):
    log_in(client, make_user())
    _new_pledge(client)
    with app.app_context():
        pledge_id = db.session.scalar(select(Pledge.id))
    page = f"/dashboard/pledges/{pledge_id}/edit"
    response = post_form(client, page, page, {**VALID_PLEDGE, "supporter_goal": "5000"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Pledge, pledge_id).campaign.signature_goal == 5000


def test_a_pledge_linked_to_a_demand_can_be_edited(app, client, make_user, make_campaign):
    organizer = make_user()
    make_campaign(slug="existing-demand", owner_id=organizer.id, signature_goal=777)
    log_in(client, organizer)
    _new_pledge(client, campaign_slug="existing-demand")
    with app.app_context():
        pledge_id = db.session.scalar(select(Pledge.id))
    page = f"/dashboard/pledges/{pledge_id}/edit"
    data = {k: v for k, v in VALID_PLEDGE.items() if k != "supporter_goal"}
    response = post_form(client, page, page, {**data, "office": "District Attorney"})
    assert response.status_code == 303
    with app.app_context():
        pledge = db.session.get(Pledge, pledge_id)
        assert pledge.office == "District Attorney"
        assert pledge.campaign.signature_goal == 777


def test_with_moderation_a_new_pledge_waits_for_an_admin(app, client, make_user):
    app.config["PETITION_MODERATION"] = True
    log_in(client, make_user())
    assert _new_pledge(client).status_code == 303
    slug = "no-prosecutions-for-pregnancy-outcomes"
    assert client.get(f"/p/{slug}").status_code == 404
    assert client.get(f"/p/{slug}/count.json").status_code == 404
    with app.app_context():
        backing_id = db.session.scalar(select(Pledge)).campaign_id

    admin = app.test_client()
    log_in(admin, make_user(admin=True))
    assert VALID_PLEDGE["title"] in admin.get("/admin/moderation").get_data(as_text=True)
    approve = f"/admin/moderation/{backing_id}/approve"
    assert post_form(admin, "/admin/moderation", approve, {}).status_code == 303

    assert client.get(f"/p/{slug}").status_code == 200


def test_a_pledges_own_demand_sent_back_as_a_draft_is_not_deleted_under_the_pledge(
    app, client, make_user
):
    log_in(client, make_user())
    post_form(client, "/dashboard/pledges/new", "/dashboard/pledges/new", VALID_PLEDGE)
    with app.app_context():
        pledge = db.session.scalar(select(Pledge))
        backing = pledge.campaign
        # As a moderator's rejection leaves it: a draft that was never published.
        backing.status, backing.published_at = CampaignStatus.DRAFT, None
        db.session.commit()
        campaign_id, pledge_id = backing.id, pledge.id

    page = f"/dashboard/campaigns/{campaign_id}"
    response = post_form(client, page, f"{page}/delete", {})

    assert response.status_code == 303
    assert "change it from the pledge instead" in client.get(response.location).get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.get(Pledge, pledge_id).campaign_id == campaign_id
