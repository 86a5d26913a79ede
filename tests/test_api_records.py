"""The API after the vote or the delivery: election results, promise records, targets' answers.

Every response is checked against the OpenAPI document (the ``api`` fixture).
"""

import json
from datetime import UTC, datetime
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from petition.extensions import db
from petition.models import EvidenceEntry, TargetAnswer

from . import api_contract
from .fixtures_accounts import log_in
from .fixtures_pledges import answer, link_for
from .helpers import count_queries
from .test_promise_records import ELECTION_PASSED, SOURCE, add_evidence, record_winner
from .test_target_answers import add_target_evidence, target_of
from .test_target_answers import record as record_answer


@pytest.fixture
def api(app, client):
    """GET from the API; every response is checked against the OpenAPI document."""
    doc = api_contract.document(app)

    def get(url: str):
        response = client.get(url)
        api_contract.check(doc, urlsplit(url).path, response)
        assert response.status_code == 200
        return response.get_json()

    return get


@pytest.fixture
def race(app, client, make_pledge, frozen_clock):
    pledge = make_pledge(candidates=("Winner W (test)", "Runner R (test)"))
    winner_id = pledge.candidates["Winner W (test)"]
    answer(app.test_client(), link_for(app, winner_id), "pledged", "I will.")
    log_in(client, pledge.owner)
    return SimpleNamespace(pledge=pledge, winner_id=winner_id, clock=frozen_clock)


@pytest.fixture
def demand_owner(make_user):
    return make_user()


@pytest.fixture
def demand(client, demand_owner, make_owned_campaign, frozen_clock):
    """A campaign delivered on February 20, 2026, with its owner logged in."""
    log_in(client, demand_owner)
    delivered = datetime(2026, 2, 20, 12, tzinfo=UTC)
    return make_owned_campaign(demand_owner, delivered_at=delivered, delivered_to="The DA (test)")


def statements(app, client, url: str) -> int:
    with count_queries(app) as executed:
        assert client.get(url).status_code == 200
    return len([s for s in executed if not s.startswith(("PRAGMA", "BEGIN"))])


def entry_ids(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(EvidenceEntry.id).order_by(EvidenceEntry.id)))


def test_a_pledge_has_no_election_result_before_one_is_recorded(api, race):
    assert api(f"/api/v1/pledges/{race.pledge.slug}")["election"] is None


def test_a_pledge_gives_the_winner_and_their_whole_promise_record_with_permalinks(
    app, client, api, race
):
    race.clock.advance(ELECTION_PASSED)
    assert record_winner(client, race).status_code == 303
    assert add_evidence(client, race).status_code == 303
    assert add_evidence(client, race, happened_on="2026-12-10", rating="kept").status_code == 303
    first, second = entry_ids(app)
    fixed = add_evidence(
        client, race, entry=second, happened_on="2026-12-10", rating="stalled", summary="Paused."
    )
    assert fixed.status_code == 303
    correction = entry_ids(app)[-1]

    election = api(f"/api/v1/pledges/{race.pledge.slug}")["election"]

    assert election["winner"] == {"id": race.winner_id, "name": "Winner W (test)"}
    assert election["source_url"] == SOURCE
    assert election["recorded_at"] == "2026-12-28T15:00:00Z"
    record = election["promise_record"]
    assert (record["rating"], record["rating_label"]) == ("stalled", "Stalled")
    assert [(c["from"], c["to"], c["entry"]) for c in record["history"]] == [
        ("not_yet_rated", "in_the_works", first),
        ("in_the_works", "stalled", correction),
    ], "the corrected 'kept' no longer counts"
    entries = {entry["id"]: entry for entry in record["evidence"]}
    assert list(entries) == [first, second, correction]
    assert entries[first] | {"permalink": None} == {
        "id": first,
        "happened_on": "2026-12-01",
        "summary": "Announced a review of the policy.",
        "source_url": "https://example.org/news/review",
        "rating": "in_the_works",
        "corrects": None,
        "corrected_by": [],
        "recorded_at": "2026-12-28T15:00:00Z",
        "permalink": None,
    }
    assert entries[second]["corrected_by"] == [correction]
    assert entries[correction]["corrects"] == second
    permalink = entries[correction]["permalink"]
    assert permalink == f"http://petition.test/p/{race.pledge.slug}/record#entry-{correction}"
    page = client.get(urlsplit(permalink).path).get_data(as_text=True)
    assert f'id="entry-{correction}"' in page


def test_a_campaign_gives_the_targets_answers_and_the_days_without_one(
    app, client, api, demand, frozen_clock
):
    url = f"/api/v1/campaigns/{demand.slug}"
    assert api(url)["answers"] == []
    assert api(url)["days_since_delivery_without_answer"] == 11

    record_answer(
        client,
        demand,
        kind="no_response",
        source_url="",
        summary="Calls unreturned.",
        answered_on="2026-03-03",
    )
    silence = api(url)
    assert silence["days_since_delivery_without_answer"] == 11, "silence is not an answer"
    assert silence["answers"][0]["is_answer"] is False
    assert silence["answers"][0]["source_url"] is None

    record_answer(client, demand)
    answered = api(url)
    with app.app_context():
        ids = list(db.session.scalars(select(TargetAnswer.id).order_by(TargetAnswer.id)))
    assert answered["days_since_delivery_without_answer"] is None
    assert [a["kind"] for a in answered["answers"]] == ["statement", "no_response"], (
        "oldest first: the statement is dated March 2, the silence March 3"
    )
    statement = answered["answers"][0]
    assert statement == {
        "id": ids[1],
        "kind": "statement",
        "kind_label": "A statement",
        "is_answer": True,
        "summary": "Said the office is reviewing bail requests.",
        "source_url": "https://example.org/news/statement",
        "answered_on": "2026-03-02",
        "recorded_at": "2026-03-03T15:00:00Z",
        "permalink": f"http://petition.test/c/{demand.slug}#answer-{ids[1]}",
    }
    page = client.get(f"/c/{demand.slug}").get_data(as_text=True)
    assert f'id="answer-{ids[1]}"' in page


def test_a_campaign_gives_its_targets_promise_records_when_there_are_any(app, client, api, demand):
    url = f"/api/v1/campaigns/{demand.slug}"
    assert api(url)["target_records"] == []

    target_id = target_of(app, demand)
    assert add_target_evidence(client, demand, target_id).status_code == 303
    [entry] = entry_ids(app)

    [record] = api(url)["target_records"]
    assert record["target"] == api(url)["targets"][0]
    assert record["promise_record"]["rating"] == "kept"
    [evidence] = record["promise_record"]["evidence"]
    assert evidence["summary"] == "Stopped asking for cash bail in misdemeanor cases."
    assert evidence["permalink"] == f"http://petition.test/c/{demand.slug}/record#entry-{entry}"


def test_no_one_who_recorded_an_entry_or_answer_is_named(
    app, client, api, demand, demand_owner, race
):
    race.clock.advance(ELECTION_PASSED)
    record_winner(client, race)
    add_evidence(client, race)
    log_in(client, demand_owner)
    record_answer(client, demand)

    bodies = json.dumps([api(f"/api/v1/pledges/{race.pledge.slug}")]) + json.dumps(
        api(f"/api/v1/campaigns/{demand.slug}")
    )

    for organizer in (race.pledge.owner, demand_owner):
        assert organizer.email not in bodies
    assert "recorded_by" not in bodies


def test_records_cost_a_fixed_number_of_statements_and_lists_do_not_carry_them(
    app, client, demand, demand_owner, race
):
    race.clock.advance(ELECTION_PASSED)
    record_winner(client, race)
    add_evidence(client, race)
    pledge_url = f"/api/v1/pledges/{race.pledge.slug}"
    campaign_url = f"/api/v1/campaigns/{demand.slug}"
    one_entry = statements(app, client, pledge_url)
    bare_campaign = statements(app, client, campaign_url)

    for day in range(2, 6):
        add_evidence(client, race, happened_on=f"2026-12-0{day}")
    log_in(client, demand_owner)
    for _ in range(3):
        record_answer(client, demand)
        add_target_evidence(client, demand, target_of(app, demand))

    assert statements(app, client, pledge_url) == one_entry
    assert statements(app, client, campaign_url) == bare_campaign
    listed = client.get("/api/v1/pledges").get_json()["data"]
    assert all("election" not in pledge for pledge in listed)
    campaigns = client.get("/api/v1/campaigns").get_json()["data"]
    assert all("answers" not in campaign for campaign in campaigns)


def test_the_api_world_has_records_so_schemathesis_explores_them_too(
    app, api, make_campaign, add_signature, make_pledge, make_user
):
    from .api_world import build_world

    world = build_world(app, make_campaign, add_signature, make_pledge, make_user)

    election = api(f"/api/v1/pledges/{world.pledge_slug}")["election"]
    won = api("/api/v1/campaigns/free-the-testville-two")
    assert election["winner"]["name"] == "Blair Roe (test)"
    assert election["promise_record"]["rating"] == "in_the_works", "the correction stands"
    assert [a["kind"] for a in won["answers"]] == ["no_response", "meeting"]
    assert won["days_since_delivery_without_answer"] is None
    [record] = won["target_records"]
    assert [e["corrects"] is None for e in record["promise_record"]["evidence"]] == [True, False]
