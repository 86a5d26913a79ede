"""The public read API, v1: what it lists, what it never shows, how it caches, and its contract."""

import json
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from petition.extensions import db
from petition.models import Campaign, SignatureCountHour

from . import api_contract
from .api_world import PRIVATE_SIGNER, PUBLIC_SIGNER, World, build_world
from .helpers import count_queries


@pytest.fixture
def world(app, make_campaign, add_signature, make_pledge, make_user) -> World:
    return build_world(app, make_campaign, add_signature, make_pledge, make_user)


@pytest.fixture
def api(app, client):
    """GET from the API; every response is checked against the OpenAPI document."""
    doc = api_contract.document(app)

    def get(url: str, **headers: str):
        response = client.get(url, headers=headers)
        api_contract.check(doc, urlsplit(url).path, response)
        return response

    return get


def path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def slugs(response) -> list[str]:
    return [campaign["slug"] for campaign in response.get_json()["data"]]


def public_campaign_slugs(app) -> set[str]:
    with app.app_context():
        return {
            c.slug
            for c in db.session.scalars(db.select(Campaign))
            if c.status in ("live", "closed", "won")
        }


def test_lists_public_campaigns_newest_first_and_never_drafts_or_pending(app, api, world):
    listed = slugs(api("/api/v1/campaigns"))

    assert listed == [
        world.pledge_campaign_slug,
        "audit-elsewhere",
        "free-the-testville-two",
        "end-cash-bail",
    ]
    assert set(listed) == public_campaign_slugs(app)
    assert not {"draft-demand", "pending-demand"} & set(listed)


def test_a_cursor_walks_every_public_campaign_once(app, api, world):
    seen, url = [], "/api/v1/campaigns?limit=2"
    while url:
        page = api(url).get_json()
        assert len(page["data"]) <= 2
        seen += [campaign["slug"] for campaign in page["data"]]
        url = path(page["links"]["next"]) if page["links"]["next"] else None
        assert (page["next_cursor"] is None) == (url is None)

    assert len(seen) == len(set(seen)) == len(public_campaign_slugs(app)) == 4


def test_a_cursor_past_every_id_starts_from_the_newest(api, world):
    page = api("/api/v1/campaigns?cursor=zzzzzzzzzzzz&limit=1").get_json()

    assert [c["slug"] for c in page["data"]] == [world.pledge_campaign_slug]


def test_campaigns_filter_by_status_and_by_a_targets_jurisdiction(api, world):
    assert slugs(api("/api/v1/campaigns?status=won")) == ["free-the-testville-two"]
    assert slugs(api("/api/v1/campaigns?jurisdiction=elsewhere,%20tx")) == ["audit-elsewhere"]
    assert slugs(api("/api/v1/campaigns?status=live&jurisdiction=Nowhere")) == []


@pytest.mark.parametrize(
    "query, says",
    [
        ("limit=0", "limit must be a whole number from 1 to 100"),
        ("limit=101", "limit must be a whole number from 1 to 100"),
        ("limit=ten", "limit must be a whole number from 1 to 100"),
        ("limit=%EF%BC%95", "limit must be a whole number"),  # a full-width digit
        (f"limit={'9' * 5000}", "limit must be a whole number"),  # int() refuses > 4,300 digits
        (f"limit=0000000000{'0' * 5000}1", "limit must be a whole number"),
        (f"cursor={'z' * 5000}", "cursor is not one this API gave out"),
        ("jurisdiction=%00", "jurisdiction must be at most 200 characters, with no control"),
        ("jurisdiction=New%0AOrleans", "jurisdiction must be at most 200 characters"),
        (f"jurisdiction={'a' * 201}", "jurisdiction must be at most 200 characters"),
        ("cursor=not-ours", "cursor is not one this API gave out"),
        ("cursor=-1", "cursor is not one this API gave out"),
        ("cursor=%00%FF", "cursor is not one this API gave out"),
        ("cursor=1234567890abc", "cursor is not one this API gave out"),
        ("status=draft", "status must be one of: live, closed, won"),
    ],
)
def test_a_malformed_argument_is_a_400_problem_that_says_what_to_fix(api, world, query, says):
    response = api(f"/api/v1/campaigns?{query}")

    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert says in response.get_json()["detail"]


@pytest.mark.parametrize(
    "query", ["jurisdiction=a%00", "jurisdiction=%1F", f"limit={'1' * 4301}", "cursor=%00"]
)
def test_the_pledge_list_refuses_the_same_malformed_arguments(api, world, query):
    response = api(f"/api/v1/pledges?{query}")

    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


def test_a_campaign_carries_its_demand_targets_count_outcome_and_revisions(api, world):
    live = api("/api/v1/campaigns/end-cash-bail").get_json()
    won = api("/api/v1/campaigns/free-the-testville-two").get_json()

    assert live["demand"]["html"].startswith("<p>Stop asking for <strong>cash bail</strong>.</p>")
    assert live["demand"]["text"] == (
        "Stop asking for cash bail.\n\n- for misdemeanors\n- for traffic stops"
    )
    assert live["targets"] == [
        {"name": "Test Prosecutor", "office": "Test County District Attorney"}
        | {"jurisdiction": "Testville, LA"}
    ]
    assert live["counts"] == {"signatures": 2}, "the unconfirmed signature is not counted"
    assert live["goal"] == 1000 and live["outcome"] is None and live["revisions"] == []
    assert live["links"]["page"] == "http://petition.test/c/end-cash-bail"
    assert won["outcome"]["won"] is True
    assert won["outcome"]["victory_story"]["text"] == "The charges were dropped."
    assert won["outcome"]["delivered_to"] == "Test County courthouse"
    assert won["revisions"][0]["demand"]["text"] == "Free both of them."
    assert won["revisions"][0]["targets"] == [
        {"name": "Old Prosecutor (test)", "office": "DA", "jurisdiction": "Testville, LA"}
    ], "a target's email is not public"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/campaigns/draft-demand",
        "/api/v1/campaigns/pending-demand",
        "/api/v1/campaigns/draft-demand/history",
        "/api/v1/campaigns/no-such-demand",
    ],
)
def test_a_campaign_the_public_cannot_see_is_a_404_problem(api, world, url):
    response = api(url)

    assert response.status_code == 404
    assert response.get_json()["title"] == "Not Found"


def test_the_hidden_pledge_is_a_404_and_is_not_listed(api, world):
    assert api(f"/api/v1/pledges/{world.hidden_pledge_slug}").status_code == 404
    listed = [p["slug"] for p in api("/api/v1/pledges").get_json()["data"]]
    assert listed == [world.pledge_slug]


def test_pledges_filter_by_the_races_jurisdiction(api, world):
    def listed(query: str) -> list[str]:
        return [p["slug"] for p in api(f"/api/v1/pledges?{query}").get_json()["data"]]

    assert listed("jurisdiction=TESTVILLE,%20la") == [world.pledge_slug]
    assert listed("jurisdiction=Elsewhere,%20TX") == []


def test_history_gives_each_hour_that_changed_the_count(
    api, frozen_clock, make_campaign, add_signature
):
    campaign = make_campaign(slug="growing")
    add_signature(campaign)
    add_signature(campaign)
    frozen_clock.advance(timedelta(hours=5, minutes=10))
    add_signature(campaign)

    history = api("/api/v1/campaigns/growing/history").get_json()
    later = api("/api/v1/campaigns/growing/history?since=2026-03-03T19:30:00%2B02:00").get_json()
    daily = api("/api/v1/campaigns/growing/history?granularity=day").get_json()

    assert history["points"] == [
        {"start": "2026-03-03T15:00:00Z", "confirmed": 2, "withdrawn": 0, "total": 2},
        {"start": "2026-03-03T20:00:00Z", "confirmed": 1, "withdrawn": 0, "total": 3},
    ]
    assert history["count"] == 3 and history["links"]["next"] is None
    assert later["points"] == history["points"][1:]
    assert daily["granularity"] == "day" and daily["points"] == [
        {"start": "2026-03-03T00:00:00Z", "confirmed": 3, "withdrawn": 0, "total": 3},
    ]


def test_a_long_hourly_history_comes_in_pages_of_1000_hours(app, api, frozen_clock, make_campaign):
    campaign = make_campaign(slug="marathon")
    start = frozen_clock.now()
    with app.app_context():  # a confirmation an hour for 1,002 hours, written directly
        db.session.execute(
            sa.insert(SignatureCountHour),
            [
                {"campaign_id": campaign.id, "hour": start + timedelta(hours=n), "shard": 0}
                | {"confirmed": 1, "withdrawn": 0}
                for n in range(1002)
            ],
        )
        db.session.commit()

    first = api("/api/v1/campaigns/marathon/history").get_json()
    second = api(path(first["links"]["next"])).get_json()

    assert len(first["points"]) == 1000 and len(second["points"]) == 2
    assert second["points"][0]["start"] == "2026-04-14T07:00:00Z"
    assert second["points"][-1]["total"] == 1002 and second["links"]["next"] is None


@pytest.mark.parametrize("since", ["yesterday", "2026-03-03T15:00:00", "2026-02-30T15:00:00Z"])
def test_history_since_must_be_a_moment_with_a_zone(api, make_campaign, since):
    make_campaign(slug="growing")

    response = api(f"/api/v1/campaigns/growing/history?since={since}")

    assert response.status_code == 400
    assert "since must be an ISO 8601 date and time with a zone" in response.get_json()["detail"]


def test_a_pledge_lists_each_candidates_answers_and_how_each_was_recorded(api, world):
    pledge = api(f"/api/v1/pledges/{world.pledge_slug}").get_json()
    by_name = {candidate["name"]: candidate for candidate in pledge["candidates"]}

    alex, blair, cam = by_name["Alex Doe (test)"], by_name["Blair Roe (test)"], by_name["Cam Poe"]
    assert [a["answer"] for a in alex["answers"]] == ["pledged", "declined"]
    assert [a["change"] for a in alex["answers"]] == ["Took the pledge", "Withdrew the pledge"]
    assert alex["answer"] == "declined"
    assert alex["answers"][0]["recorded"]["by"] == "candidate"
    assert alex["answers"][0]["statement"] == "I will."
    assert alex["answers"][1]["statement"] is None, "a hidden statement stays hidden"
    assert alex["answers"][1]["hidden"]["reason"] == "A slur against a group"
    assert blair["answers"][0]["recorded"] | {"recorded_at": None} == {
        "by": "organizer",
        "source_description": "Candidate forum, Oct 1",
        "source_url": "https://example.org/forum",
        "recorded_at": None,
    }
    # A day an organizer records starts at midnight where the race is (Central: UTC-5 then).
    assert blair["answers"][0]["answered_at"] == "2026-10-01T05:00:00Z"
    assert cam["answer"] is None and cam["answers"] == []
    assert pledge["counts"] | {"supporters": None} == {
        "supporters": None,
        "pledged": 0,
        "declined": 2,
        "no_response": 1,
    }
    assert pledge["race"]["election_date"] == "2026-11-03"


def every_response(api, world) -> list:
    urls = [
        "/api/v1/campaigns",
        "/api/v1/campaigns?limit=1",
        "/api/v1/campaigns/end-cash-bail",
        "/api/v1/campaigns/end-cash-bail/history",
        "/api/v1/campaigns/free-the-testville-two",
        "/api/v1/pledges",
        f"/api/v1/pledges/{world.pledge_slug}",
        "/api/v1/openapi.json",
    ]
    return [api(url) for url in urls]


def test_no_response_carries_a_supporters_details_whether_or_not_they_chose_to_be_shown(api, world):
    bodies = [response.get_data(as_text=True) for response in every_response(api, world)]
    everything = "\n".join(bodies).lower()

    for signer in (PUBLIC_SIGNER, PRIVATE_SIGNER):
        for value in signer.values():
            assert value.lower() not in everything
        first, last = signer["name"].split()
        assert last.lower() not in everything
        assert f"{first} {last[0]}.".lower() not in everything, "not even as the page shows it"
        assert signer["zip_code"][:3] + "xx" not in everything
    assert "@example.net" not in everything and "@example.org" not in everything.replace(
        "https://example.org/forum", ""
    ), "no supporter's, candidate's or target's email"


def test_responses_are_public_cacheable_and_never_touch_the_session(app, client, api, world):
    client.set_cookie("session", "someone-logged-in")
    for response in every_response(api, world):
        assert response.headers["Cache-Control"] == (
            "public, max-age=10, stale-while-revalidate=60"
        )
        assert "Set-Cookie" not in response.headers
        assert "Cookie" not in response.headers.get("Vary", "")
        assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_an_unchanged_response_is_a_304_without_a_body(api, world):
    first = api("/api/v1/campaigns/end-cash-bail")

    again = api("/api/v1/campaigns/end-cash-bail", **{"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 304 and again.data == b""


def test_cors_is_open_for_get_and_its_preflight_and_nothing_else(client, world):
    preflight = client.options(
        "/api/v1/campaigns",
        headers={"Origin": "https://news.example", "Access-Control-Request-Method": "GET"},
    )
    post = client.post("/api/v1/campaigns", data="{}", content_type="application/json")
    delete = client.delete("/api/v1/campaigns/end-cash-bail")
    missing = client.get("/api/v1/nothing-here")

    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET, HEAD"
    for refused in (post, delete):
        assert refused.status_code == 405
        assert refused.mimetype == "application/problem+json"
        assert "GET" in refused.headers["Allow"] and "POST" not in refused.headers["Allow"]
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    assert missing.headers["Access-Control-Allow-Origin"] == "*"
    assert json.loads(missing.data)["status"] == 404


def test_the_document_is_valid_openapi_3_1_and_is_served(app, api):
    served = api("/api/v1/openapi.json").get_json()

    api_contract.check_document(served)
    assert served["openapi"] == "3.1.0"
    assert served == json.loads(json.dumps(api_contract.document(app)))


def test_every_api_route_is_documented(app):
    doc = api_contract.document(app)
    documented = {template for template in doc["paths"]}
    # Public and keyed (organizer, OSDI) alike: every route under /api/ is in the one document.
    routes = {
        re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
    }
    assert routes == documented


def test_a_list_costs_the_same_statements_for_two_items_or_twenty(
    app, client, world, make_campaign, make_pledge
):
    def statements(url: str) -> list[str]:
        with count_queries(app) as executed:
            assert client.get(url).status_code == 200
        # SQLite's per-request pragmas and BEGIN are not queries of the view.
        return [s for s in executed if not s.startswith(("PRAGMA", "BEGIN"))]

    few_campaigns = statements("/api/v1/campaigns")
    few_pledges = statements("/api/v1/pledges")
    for _ in range(16):
        make_campaign()
    for _ in range(3):
        make_pledge()

    assert len(statements("/api/v1/campaigns")) == len(few_campaigns) <= 3
    assert len(statements("/api/v1/pledges")) == len(few_pledges) <= 4
