"""Under moderation, organizer-written public content waits for an admin (issue 9, finding 3).

The victory story, the delivery note, a target's answer, evidence entries of
a promise record and candidate photos are stored held: no page, record page,
API answer or photo URL shows them until an admin approves them in the queue.
A rejection hides them for good and mails the organizers why. Without
moderation nothing waits (the feature tests of each kind cover that path).
"""

import re
from io import BytesIO

import pytest
from sqlalchemy import func, select

from petition.extensions import db
from petition.models import (
    AuditEvent,
    Campaign,
    CandidatePhoto,
    EvidenceEntry,
    Target,
    TargetAnswer,
)
from petition.webhooks import events as webhook_events

from .fixtures_accounts import log_in
from .helpers import csrf_token, post_form
from .test_candidate_photos import png
from .test_promise_records import ELECTION_PASSED, add_evidence, race, record_winner  # noqa: F401
from .test_target_answers import STATEMENT

QUEUE = "/admin/moderation"


@pytest.fixture
def app_config():
    return {"PETITION_MODERATION": True}


@pytest.fixture
def admin(app, make_user):
    admin_client = app.test_client()
    log_in(admin_client, make_user("admin@example.org", admin=True))
    return admin_client


@pytest.fixture
def owner(client, make_user):
    user = make_user("owner@example.org")
    log_in(client, user)
    return user


@pytest.fixture
def campaign(owner, make_owned_campaign):
    return make_owned_campaign(owner, title="End cash bail", slug="end-cash-bail")


def public(app, path: str) -> str:
    """What an anonymous reader gets at ``path``."""
    return app.test_client().get(path).get_data(as_text=True)


def decide(admin, action: str, reason: str | None = None):
    return post_form(admin, QUEUE, action, {} if reason is None else {"reason": reason})


def held_id(app, model) -> int:
    with app.app_context():
        key = model.candidate_id if model is CandidatePhoto else model.id
        return db.session.scalar(select(key).where(model.held_at.is_not(None)))


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def audited(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


# -- victory story and delivery note --------------------------------------


def declare(client, campaign, story="The DA **dropped** 4,000 cases."):
    page = f"/dashboard/campaigns/{campaign.id}/victory"
    return post_form(client, page, page, {"story": story})


def deliver(client, campaign, note="Handed over 1,200 names."):
    page = f"/dashboard/campaigns/{campaign.id}/deliver"
    data = {"delivered_on": "2026-03-02", "delivered_to": "DA Jane Doe (test)", "note": note}
    return post_form(client, page, page, data)


def test_a_victory_story_waits_and_is_public_once_approved(
    app, client, admin, campaign, frozen_clock
):
    assert declare(client, campaign).status_code == 303

    page = public(app, "/c/end-cash-bail")
    assert "We won on March 3, 2026" in page, "the status is a fact; only the words wait"
    assert "4,000 cases" not in page
    assert "4,000 cases" not in public(app, "/victories")
    assert "4,000 cases" not in public(app, "/api/v1/campaigns/end-cash-bail")
    assert "waiting for review" in client.get(f"/dashboard/campaigns/{campaign.id}").get_data(
        as_text=True
    )
    assert "<strong>dropped</strong> 4,000 cases" in admin.get(QUEUE).get_data(as_text=True)

    response = decide(admin, f"{QUEUE}/victories/{campaign.id}/approve")

    assert response.status_code == 303
    assert "<strong>dropped</strong> 4,000 cases" in public(app, "/c/end-cash-bail")
    assert "dropped 4,000 cases" in public(app, "/api/v1/campaigns/end-cash-bail")
    assert "4,000 cases" not in admin.get(QUEUE).get_data(as_text=True)
    assert "held.story_approved" in audited(app)


def test_rewriting_an_approved_story_holds_the_new_text(app, client, admin, campaign):
    declare(client, campaign, story="Reviewed story.")
    decide(admin, f"{QUEUE}/victories/{campaign.id}/approve")

    # Saving the approved text again keeps it public.
    declare(client, campaign, story="Reviewed story.")
    assert "Reviewed story." in public(app, "/c/end-cash-bail")

    declare(client, campaign, story="Unreviewed rewrite.")

    page = public(app, "/c/end-cash-bail")
    assert "Unreviewed rewrite." not in page
    assert "Unreviewed rewrite." in admin.get(QUEUE).get_data(as_text=True)


def test_a_rejected_delivery_note_is_never_shown_and_the_reason_is_mailed(
    app, client, admin, campaign, outbox
):
    assert deliver(client, campaign).status_code == 303
    page = public(app, "/c/end-cash-bail")
    assert "To DA Jane Doe (test)." in page
    assert "1,200 names" not in page

    response = decide(admin, f"{QUEUE}/deliveries/{campaign.id}/reject", "Names a person")

    assert response.status_code == 303
    assert "1,200 names" not in public(app, "/c/end-cash-bail")
    assert "1,200 names" not in public(app, "/api/v1/campaigns/end-cash-bail")
    with app.app_context():
        row = db.session.get(Campaign, campaign.id)
        assert row.delivery_note is None and row.delivery_note_held_at is None
    [note] = [m for m in outbox() if m.category == "held_content_rejected"]
    assert note.to_address == "owner@example.org"
    assert "Names a person" in note.body_text and "delivery note" in note.body_text
    assert "held.story_rejected" in audited(app)
    # Decided once: the item is gone from the queue and its routes.
    again = decide(admin, f"{QUEUE}/deliveries/{campaign.id}/approve")
    assert again.status_code == 404


# -- a target's answer ------------------------------------------------------


def record_answer(client, campaign, **changes):
    page = f"/dashboard/campaigns/{campaign.id}/answer"
    return post_form(client, page, page, STATEMENT | changes)


def test_an_answer_waits_then_shows_and_its_webhook_goes_out_on_approval(
    app, client, admin, campaign, monkeypatch
):
    sent = []
    monkeypatch.setattr(webhook_events, "campaign_answered", lambda c, a: sent.append(a.id))
    assert record_answer(client, campaign).status_code == 303

    summary = STATEMENT["summary"]
    assert summary not in public(app, "/c/end-cash-bail")
    assert summary not in public(app, "/api/v1/campaigns/end-cash-bail")
    assert sent == []
    assert "waiting for review" in client.get(
        f"/dashboard/campaigns/{campaign.id}/answer"
    ).get_data(as_text=True)
    answer_id = held_id(app, TargetAnswer)

    decide(admin, f"{QUEUE}/answers/{answer_id}/approve")

    assert summary in public(app, "/c/end-cash-bail")
    assert summary in public(app, "/api/v1/campaigns/end-cash-bail")
    assert sent == [answer_id]


def test_a_rejected_answer_is_gone_for_good(app, client, admin, campaign, outbox):
    record_answer(client, campaign)
    answer_id = held_id(app, TargetAnswer)

    decide(admin, f"{QUEUE}/answers/{answer_id}/reject", "No such statement exists")

    assert count(app, TargetAnswer) == 0
    assert STATEMENT["summary"] not in public(app, "/c/end-cash-bail")
    [note] = [m for m in outbox() if m.category == "held_content_rejected"]
    assert "No such statement exists" in note.body_text


# -- evidence entries -------------------------------------------------------


@pytest.fixture
def decided(race):  # noqa: F811
    race.clock.advance(ELECTION_PASSED)
    return race


def test_a_winners_record_entry_waits_then_counts(app, client, admin, decided):
    client_ = client
    assert record_winner(client_, decided).status_code == 303
    assert add_evidence(client_, decided, summary="Ended cash bail for misdemeanors.").status_code
    record_page = f"{decided.pledge.url}/record"
    api = f"/api/v1/pledges/{decided.pledge.url.rsplit('/', 1)[-1]}"

    assert "Ended cash bail" not in public(app, record_page)
    assert "Ended cash bail" not in public(app, decided.pledge.url)
    assert "Ended cash bail" not in public(app, api)
    assert "In the works" not in public(app, record_page), "a held entry moves no rating"
    manage = client_.get(f"/dashboard/pledges/{decided.pledge.id}/promise").get_data(as_text=True)
    assert "Ended cash bail" in manage and "Waiting for review" in manage
    entry_id = held_id(app, EvidenceEntry)
    # A held entry cannot be corrected: corrections point at public entries only.
    assert add_evidence(client_, decided, entry=entry_id).status_code == 404

    decide(admin, f"{QUEUE}/evidence/{entry_id}/approve")

    assert "Ended cash bail" in public(app, record_page)
    assert "In the works" in public(app, record_page)
    assert "Ended cash bail" in public(app, api)
    with app.app_context():
        entry = db.session.get(EvidenceEntry, entry_id)
        assert entry.held_at is None and entry.summary == "Ended cash bail for misdemeanors."
    assert "held.evidence_approved" in audited(app)


def test_a_targets_record_entry_rejected_is_never_public(
    app, client, admin, owner, campaign, outbox, frozen_clock
):
    with app.app_context():
        target_id = db.session.scalar(select(Target.id).where(Target.campaign_id == campaign.id))
    base = f"/dashboard/campaigns/{campaign.id}"
    data = {
        "happened_on": "2026-03-01",
        "summary": "Invented claim.",
        "source_url": "https://example.org/n",
        "rating": "broken",
    }
    post_form(client, f"{base}/record", f"{base}/targets/{target_id}/evidence/new", data)
    assert "Invented claim." not in public(app, "/c/end-cash-bail/record")
    assert "Invented claim." not in public(app, "/api/v1/campaigns/end-cash-bail")
    entry_id = held_id(app, EvidenceEntry)

    decide(admin, f"{QUEUE}/evidence/{entry_id}/reject", "No source says so")

    assert count(app, EvidenceEntry) == 0
    assert "Invented claim." not in public(app, "/c/end-cash-bail/record")
    [note] = [m for m in outbox() if m.category == "held_content_rejected"]
    assert "No source says so" in note.body_text


# -- candidate photos -------------------------------------------------------


@pytest.fixture
def pledge(client, make_pledge):
    made = make_pledge(candidates=("Maria Lopez (test)", "Sam Doe (test)"))
    log_in(client, made.owner)
    return made


def upload(client, pledge):
    page = f"{pledge.manage_url}/candidates/{pledge.candidates['Maria Lopez (test)']}/photo"
    return post_form(client, page, page, {"photo": (BytesIO(png()), "photo.png")})


def test_a_photo_waits_its_url_serves_nothing_until_approved(app, client, admin, pledge):
    candidate_id = pledge.candidates["Maria Lopez (test)"]
    photo_url = f"{pledge.url}/candidates/{candidate_id}/photo"
    assert upload(client, pledge).status_code == 303

    assert "avatar-photo" not in public(app, pledge.url)
    assert app.test_client().get(photo_url).status_code == 404
    assert "Photo waiting for review" in client.get(pledge.manage_url).get_data(as_text=True)
    queue = admin.get(QUEUE).get_data(as_text=True)
    assert f"{QUEUE}/photos/{candidate_id}/image" in queue
    assert admin.get(f"{QUEUE}/photos/{candidate_id}/image").status_code == 200
    assert client.get(f"{QUEUE}/photos/{candidate_id}/image").status_code == 404, "admins only"

    decide(admin, f"{QUEUE}/photos/{candidate_id}/approve")

    assert "avatar-photo" in public(app, pledge.url)
    assert app.test_client().get(photo_url).status_code == 200


def test_a_rejected_photo_is_deleted_and_the_reason_mailed(app, client, admin, pledge, outbox):
    candidate_id = pledge.candidates["Maria Lopez (test)"]
    upload(client, pledge)

    decide(admin, f"{QUEUE}/photos/{candidate_id}/reject", "Not the candidate")

    assert count(app, CandidatePhoto) == 0
    assert app.test_client().get(f"{pledge.url}/candidates/{candidate_id}/photo").status_code == 404
    [note] = [m for m in outbox() if m.category == "held_content_rejected"]
    assert "Not the candidate" in note.body_text and "Maria Lopez (test)" in note.body_text


# -- the routes themselves --------------------------------------------------


def test_a_rejection_needs_a_reason_and_changes_nothing(app, client, admin, campaign, outbox):
    record_answer(client, campaign)
    answer_id = held_id(app, TargetAnswer)

    decide(admin, f"{QUEUE}/answers/{answer_id}/reject", "")

    assert held_id(app, TargetAnswer) == answer_id
    assert [m for m in outbox() if m.category == "held_content_rejected"] == []


def test_only_an_admin_with_a_csrf_token_decides(app, client, admin, campaign):
    record_answer(client, campaign)
    answer_id = held_id(app, TargetAnswer)
    approve = f"{QUEUE}/answers/{answer_id}/approve"

    # The organizer who wrote it cannot approve it (admin pages are 404 to others).
    assert post_form(client, f"/dashboard/campaigns/{campaign.id}", approve, {}).status_code == 404
    assert app.test_client().post(approve).status_code in (302, 400)
    assert admin.post(approve).status_code == 400, "no CSRF token"
    assert held_id(app, TargetAnswer) == answer_id


def held_routes(app) -> list[str]:
    """Every approve and reject route of the held content, with the held items' ids."""
    return [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("admin.") and "POST" in rule.methods
        if app.view_functions[rule.endpoint].__module__ == "petition.admin.held_views"
    ]


def test_every_held_content_route_is_refused_to_organizers_and_strangers(
    app, client, admin, owner, campaign, pledge
):
    photographer = app.test_client()
    log_in(photographer, pledge.owner)
    upload(photographer, pledge)
    log_in(client, owner)
    declare(client, campaign)
    deliver(client, campaign)
    record_answer(client, campaign)
    ids = {
        "campaign_id": campaign.id,
        "answer_id": held_id(app, TargetAnswer),
        "candidate_id": held_id(app, CandidatePhoto),
    }
    routes = held_routes(app)
    assert len(routes) == 10, "approve and reject: story, note, answer, entry, photo"
    token = csrf_token(client, f"/dashboard/campaigns/{campaign.id}")  # the demand's organizer
    for rule in routes:
        path = re.sub(r"<id:(\w+)>", lambda m: str(ids.get(m.group(1), 1)), rule)
        body = {"csrf_token": token, "reason": "Because"}
        assert client.post(path, data=body).status_code == 404, path
        assert app.test_client().post(path, data=body).status_code in (302, 400), path
    queue = admin.get(QUEUE).get_data(as_text=True)
    assert "4,000 cases" in queue and "1,200 names" in queue, "nothing was decided"
    assert STATEMENT["summary"] in queue and f"{QUEUE}/photos/" in queue


@pytest.mark.parametrize(
    "path",
    [
        "/admin/moderation/answers/99999999999999999999/approve",
        "/admin/moderation/evidence/2147483648/reject",
        "/admin/moderation/photos/99999999999999999999/approve",
        "/admin/moderation/victories/2147483648/approve",
        "/admin/moderation/deliveries/99999999999999999999/reject",
    ],
)
def test_unknown_or_odd_items_are_not_found(admin, path):
    assert admin.post(path).status_code in (400, 404)
    assert admin.get(path).status_code in (404, 405)


class TestWithoutModeration:
    @pytest.fixture
    def app_config(self):
        return {"PETITION_MODERATION": False}

    def test_every_kind_is_public_at_once_and_nothing_waits(
        self, app, client, admin, campaign, make_pledge
    ):
        declare(client, campaign)
        deliver(client, campaign)
        record_answer(client, campaign)
        made = make_pledge(candidates=("Maria Lopez (test)",))
        log_in(client, made.owner)
        upload(client, made)

        page = public(app, "/c/end-cash-bail")
        assert "4,000 cases" in page and "1,200 names" in page
        assert STATEMENT["summary"] in page
        assert "avatar-photo" in public(app, made.url)
        assert "Nothing to review." in admin.get(QUEUE).get_data(as_text=True)
