"""The public record reads in the race's or demand's time zone, and its days turn there.

A race in Honolulu: a moment at 05:00 UTC on June 10 is still the evening of
June 9 there (and already June 10 in the default zone, Chicago). Election day,
"today" for a date typed in a form, and days since delivery all follow the
race's or demand's own clock, not UTC.
"""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from petition.extensions import db
from petition.models import (
    CampaignStatus,
    ElectionResult,
    EvidenceEntry,
    Pledge,
    PledgeResponse,
    Target,
)
from petition.pledges.tallies import public_tallies

from .fixtures_accounts import log_in
from .helpers import post_form

HONOLULU = "Pacific/Honolulu"
# June 9, 7 PM in Honolulu; June 10 in Chicago and in UTC.
EVENING_OF_JUNE_9 = datetime(2026, 6, 10, 5, 0, tzinfo=UTC)
AFTER_THE_ELECTION = datetime(2026, 12, 28, 15, 0, tzinfo=UTC)


@pytest.fixture
def honolulu_race(app, make_pledge, frozen_clock):
    """A decided race in Honolulu: the winner pledged, and one entry, both on June 9 there."""
    frozen_clock.freeze(AFTER_THE_ELECTION)
    pledge = make_pledge(candidates=("Winner W (test)",))
    winner_id = pledge.candidate_ids[0]
    with app.app_context():
        db.session.get(Pledge, pledge.id).time_zone = HONOLULU
        db.session.add_all(
            [
                PledgeResponse(
                    candidate_id=winner_id,
                    answer="pledged",
                    source="candidate",
                    answered_at=EVENING_OF_JUNE_9,
                ),
                ElectionResult(
                    pledge_id=pledge.id,
                    winner_id=winner_id,
                    source_url="https://example.org/result",
                    recorded_at=EVENING_OF_JUNE_9,
                ),
                EvidenceEntry(
                    candidate_id=winner_id,
                    happened_on=date(2026, 6, 1),
                    summary="Dropped the charges.",
                    source_url="https://example.org/news",
                    rating="kept",
                    recorded_at=EVENING_OF_JUNE_9,
                ),
            ]
        )
        db.session.commit()
    return pledge


@pytest.mark.parametrize("page", ["show", "record", "manage"])
def test_the_winner_and_the_record_show_dates_where_the_race_is(client, honolulu_race, page):
    log_in(client, honolulu_race.owner)
    path = {
        "show": honolulu_race.url,
        "record": f"{honolulu_race.url}/record",
        "manage": f"{honolulu_race.manage_url}/promise",
    }[page]

    text = client.get(path).get_data(as_text=True)

    assert "June 9, 2026" in text
    assert "June 10, 2026" not in text


def test_a_targets_record_shows_dates_where_the_demand_is(app, client, make_campaign):
    campaign = make_campaign(time_zone=HONOLULU)
    with app.app_context():
        target_id = db.session.scalar(select(Target.id).where(Target.campaign_id == campaign.id))
        db.session.add(
            EvidenceEntry(
                target_id=target_id,
                happened_on=date(2026, 6, 1),
                summary="Stopped asking for cash bail.",
                source_url="https://example.org/news",
                rating="kept",
                recorded_at=EVENING_OF_JUNE_9,
            )
        )
        db.session.commit()

    text = client.get(f"/c/{campaign.slug}/record").get_data(as_text=True)

    assert "Recorded by the organizers on June 9, 2026" in text
    assert "June 10, 2026" not in text


def test_the_take_down_notice_is_dated_where_the_demand_is(client, make_campaign):
    campaign = make_campaign(
        time_zone=HONOLULU,
        status=CampaignStatus.TAKEN_DOWN,
        taken_down_at=EVENING_OF_JUNE_9,
        take_down_reason="Names a private person.",
    )

    response = client.get(f"/c/{campaign.slug}")

    assert response.status_code == 410
    assert "on June 9, 2026" in response.get_data(as_text=True)


# -- days turn at midnight where the race or demand is ---------------------

# 08:00 UTC on November 4: election day is over in Chicago, not yet in Honolulu.
ELECTION_NIGHT_IN_HONOLULU = datetime(2026, 11, 4, 8, 0, tzinfo=UTC)


def test_election_day_comes_at_midnight_where_the_race_is(app, client, make_pledge, frozen_clock):
    frozen_clock.freeze(datetime(2026, 11, 3, 6, 0, tzinfo=UTC))  # Nov 2, 8 PM in Honolulu
    pledge = make_pledge(candidates=("Winner W (test)",))
    with app.app_context():
        db.session.get(Pledge, pledge.id).time_zone = HONOLULU
        db.session.commit()
    log_in(client, pledge.owner)
    page = f"{pledge.manage_url}/result"
    data = {"winner": str(pledge.candidate_ids[0]), "source_url": "https://example.org/r"}

    assert post_form(client, page, page, data).status_code != 303

    frozen_clock.freeze(datetime(2026, 11, 3, 10, 0, tzinfo=UTC))  # midnight there
    assert post_form(client, page, page, data).status_code == 303


def test_races_whose_election_day_is_not_over_where_they_are_are_listed_first(
    app, make_pledge, frozen_clock
):
    chicago = make_pledge()
    honolulu = make_pledge()
    with app.app_context():
        db.session.get(Pledge, chicago.id).time_zone = "America/Chicago"
        db.session.get(Pledge, honolulu.id).time_zone = HONOLULU
        db.session.commit()
    frozen_clock.freeze(ELECTION_NIGHT_IN_HONOLULU)

    with app.app_context():
        order = [tally.slug for tally in public_tallies()]

    assert order == [honolulu.slug, chicago.slug]


@pytest.mark.parametrize(("zone", "status"), [("Asia/Tokyo", 303), ("America/Chicago", 422)])
def test_today_for_a_targets_answer_or_evidence_is_today_where_the_demand_is(
    app, client, make_user, make_owned_campaign, frozen_clock, zone, status
):
    # 23:00 UTC on March 2: already March 3 in Tokyo, still March 2 in Chicago.
    frozen_clock.freeze(datetime(2026, 3, 2, 23, 0, tzinfo=UTC))
    owner = make_user()
    log_in(client, owner)
    campaign = make_owned_campaign(owner, time_zone=zone)
    with app.app_context():
        target_id = db.session.scalar(select(Target.id).where(Target.campaign_id == campaign.id))
    answer = f"/dashboard/campaigns/{campaign.id}/answer"
    evidence = f"/dashboard/campaigns/{campaign.id}/targets/{target_id}/evidence/new"
    said = {"kind": "statement", "summary": "Said no.", "source_url": "https://example.org/s"}
    did = {"summary": "Did it.", "source_url": "https://example.org/d", "rating": "kept"}

    assert post_form(client, answer, answer, said | {"answered_on": "2026-03-03"}).status_code == (
        status
    )
    assert (
        post_form(client, evidence, evidence, did | {"happened_on": "2026-03-03"}).status_code
        == status
    )


def test_today_for_a_winners_evidence_is_today_where_the_race_is(
    app, client, honolulu_race, frozen_clock
):
    # 05:00 UTC on December 29: still December 28 in Honolulu.
    frozen_clock.freeze(datetime(2026, 12, 29, 5, 0, tzinfo=UTC))
    log_in(client, honolulu_race.owner)
    page = f"{honolulu_race.manage_url}/evidence/new"
    data = {"summary": "Did it.", "source_url": "https://example.org/d", "rating": "kept"}

    assert post_form(client, page, page, data | {"happened_on": "2026-12-29"}).status_code == 422
    assert post_form(client, page, page, data | {"happened_on": "2026-12-28"}).status_code == 303


def test_days_since_delivery_count_calendar_days_where_the_demand_is(
    client, make_campaign, frozen_clock
):
    # Delivered at noon in Chicago on March 2; it is 9 AM there on March 3.
    campaign = make_campaign(
        time_zone="America/Chicago",
        delivered_at=datetime(2026, 3, 2, 18, 0, tzinfo=UTC),
        delivered_to="The DA",
    )

    page = client.get(f"/c/{campaign.slug}").get_data(as_text=True)

    assert "1 day since delivery without an answer." in page
