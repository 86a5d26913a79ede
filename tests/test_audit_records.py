"""The audit log also holds the public record's entries, photos, API keys and webhooks.

Each action leaves one event with who did it; one about a campaign or a
pledge shows on that campaign's history page, the account's own (keys,
webhooks) on the admins' page. Details are ids, never a token, secret or address.
"""

from io import BytesIO
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from petition.extensions import db
from petition.models import ApiKey, AuditEvent, EvidenceEntry, TargetAnswer, WebhookEndpoint

from .fixtures_accounts import log_in
from .helpers import csrf_token, post_form
from .test_candidate_photos import png
from .test_promise_records import ELECTION_PASSED, add_evidence, record_winner
from .test_target_answers import add_target_evidence, target_of
from .test_target_answers import record as record_answer


def events(app) -> list[tuple[str, int | None, int | None, int | None, dict]]:
    with app.app_context():
        return [
            (e.action, e.actor_id, e.campaign_id, e.pledge_id, e.detail)
            for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))
        ]


def history(client, campaign_id: int) -> str:
    return client.get(f"/dashboard/campaigns/{campaign_id}/history").get_data(as_text=True)


def ids(app, model) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(sa.select(model.id).order_by(model.id)))


@pytest.fixture
def race(client, make_pledge, frozen_clock):
    pledge = make_pledge(candidates=("Winner W (test)", "Runner R (test)"))
    log_in(client, pledge.owner)
    return SimpleNamespace(
        pledge=pledge,
        winner_id=pledge.candidates["Winner W (test)"],
        owner=pledge.owner,
        clock=frozen_clock,
    )


@pytest.fixture
def owner(client, make_user):
    user = make_user()
    log_in(client, user)
    return user


@pytest.fixture
def campaign(owner, make_owned_campaign, frozen_clock):
    return make_owned_campaign(owner, title="End cash bail")


def test_recording_the_winner_is_audited_on_the_pledge(app, client, race):
    race.clock.advance(ELECTION_PASSED)

    assert record_winner(client, race).status_code == 303

    pledge = race.pledge
    assert events(app) == [
        (
            "pledge.record_result",
            race.owner.id,
            pledge.campaign_id,
            pledge.id,
            {"winner_id": race.winner_id},
        )
    ]
    assert "Recorded the election result" in history(client, pledge.campaign_id)


def test_a_refused_winner_records_nothing(app, client, race):
    record_winner(client, race)  # before election day

    assert events(app) == []


def test_evidence_and_its_correction_on_the_winners_record_are_audited(app, client, race):
    race.clock.advance(ELECTION_PASSED)
    record_winner(client, race)

    add_evidence(client, race)
    [first] = ids(app, EvidenceEntry)
    add_evidence(client, race, entry=first, rating="stalled")
    second = ids(app, EvidenceEntry)[-1]

    recorded = [(action, detail) for action, *_, detail in events(app)[1:]]
    assert recorded == [
        ("pledge.add_evidence", {"entry_id": first, "corrects_id": None, "rating": "in_the_works"}),
        (
            "pledge.correct_evidence",
            {"entry_id": second, "corrects_id": first, "rating": "stalled"},
        ),
    ]
    page = history(client, race.pledge.campaign_id)
    assert "Added evidence to the winner’s record" in page
    assert "Corrected the winner’s record" in page


def test_a_targets_answer_is_audited_on_the_campaign(app, client, owner, campaign):
    assert record_answer(client, campaign).status_code == 303

    [answer_id] = ids(app, TargetAnswer)
    assert events(app) == [
        (
            "campaign.record_answer",
            owner.id,
            campaign.id,
            None,
            {"answer_id": answer_id, "kind": "statement"},
        )
    ]
    assert "Recorded the target’s answer" in history(client, campaign.id)


def test_a_refused_answer_records_nothing(app, client, campaign):
    record_answer(client, campaign, answered_on="2099-01-01")

    assert events(app) == []


def test_evidence_and_its_correction_on_a_targets_record_are_audited(app, client, owner, campaign):
    target_id = target_of(app, campaign)

    add_target_evidence(client, campaign, target_id)
    [first] = ids(app, EvidenceEntry)
    add_target_evidence(client, campaign, target_id, entry=first, rating="compromise")
    second = ids(app, EvidenceEntry)[-1]

    assert events(app) == [
        (
            "campaign.add_evidence",
            owner.id,
            campaign.id,
            None,
            {"target_id": target_id, "entry_id": first, "corrects_id": None, "rating": "kept"},
        ),
        (
            "campaign.correct_evidence",
            owner.id,
            campaign.id,
            None,
            {
                "target_id": target_id,
                "entry_id": second,
                "corrects_id": first,
                "rating": "compromise",
            },
        ),
    ]
    page = history(client, campaign.id)
    assert "Added evidence to a target’s record" in page
    assert "Corrected a target’s record" in page


def test_uploading_and_removing_a_candidates_photo_are_audited(app, client, race):
    pledge = race.pledge
    page = f"{pledge.manage_url}/candidates/{race.winner_id}/photo"

    uploaded = post_form(client, page, page, {"photo": (BytesIO(png()), "photo.png")})
    removed = post_form(client, page, f"{page}/remove", {})
    again = post_form(client, page, f"{page}/remove", {})  # nothing left to remove

    assert (uploaded.status_code, removed.status_code, again.status_code) == (303, 303, 303)
    assert events(app) == [
        (action, race.owner.id, pledge.campaign_id, pledge.id, {"candidate_id": race.winner_id})
        for action in ("pledge.upload_photo", "pledge.remove_photo")
    ]
    history_page = history(client, pledge.campaign_id)
    assert "Uploaded a candidate’s photo" in history_page
    assert "Removed a candidate’s photo" in history_page


def test_making_and_revoking_an_api_key_are_audited_without_the_key(app, client, owner, make_user):
    page = "/dashboard/account/api-keys"

    made = client.post(page, data={"csrf_token": csrf_token(client, page), "name": "CRM sync"})
    [key_id] = ids(app, ApiKey)
    client.post(f"{page}/{key_id}/revoke", data={"csrf_token": csrf_token(client, page)})

    assert events(app) == [
        ("apikey.create", owner.id, None, None, {"key_id": key_id, "name": "CRM sync"}),
        ("apikey.revoke", owner.id, None, None, {"key_id": key_id}),
    ]
    with app.app_context():
        prefix = db.session.get(ApiKey, key_id).prefix
    assert prefix in made.get_data(as_text=True)
    assert all(prefix not in str(detail) for *_, detail in events(app))
    log_in(client, make_user(admin=True))
    admin_page = client.get("/admin/audit").get_data(as_text=True)
    assert "Made an API key" in admin_page and "Revoked an API key" in admin_page


@pytest.fixture
def app_config(app_config):
    app_config["PETITION_WEBHOOK_ALLOW_PRIVATE"] = True  # the test address is on 127.0.0.1
    return app_config


def test_registering_and_removing_a_webhook_are_audited_without_its_address(
    app, client, owner, make_user
):
    page = "/dashboard/account/webhooks"
    data = {
        "csrf_token": csrf_token(client, page),
        "url": "http://127.0.0.1:9/hooks?token=receiver-secret",
        "event_pledge_answered": "y",
    }

    assert client.post(page, data=data).status_code == 200
    [endpoint_id] = ids(app, WebhookEndpoint)
    client.post(f"{page}/{endpoint_id}/remove", data={"csrf_token": csrf_token(client, page)})

    assert events(app) == [
        (
            "webhook.register",
            owner.id,
            None,
            None,
            {"endpoint_id": endpoint_id, "events": ["pledge.answered"]},
        ),
        ("webhook.remove", owner.id, None, None, {"endpoint_id": endpoint_id}),
    ]
    log_in(client, make_user(admin=True))
    admin_page = client.get("/admin/audit").get_data(as_text=True)
    assert "Registered a webhook endpoint" in admin_page
    assert "Removed a webhook endpoint" in admin_page
    assert "receiver-secret" not in admin_page
