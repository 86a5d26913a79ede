"""Local time: a demand's and a race's dates and times read in their own time zone, not UTC."""

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from petition import create_app
from petition.extensions import db
from petition.models import Campaign, Candidate, Pledge, PledgeResponse
from petition.pledges.services import record_organizer_answer
from petition.templating import long_date, long_datetime

from .conftest import app_test_config
from .fixtures_accounts import log_in
from .helpers import post_form
from .test_organizers_editor import campaign_form

# 03:00 UTC on March 3 is still the evening of March 2 in Chicago.
LATE_EVENING_IN_CHICAGO = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)


def formatted(app, template: str, **context) -> str:
    with app.test_request_context():
        return app.jinja_env.from_string(template).render(**context)


@pytest.mark.parametrize(
    ("moment", "zone", "expected"),
    [
        (LATE_EVENING_IN_CHICAGO, "America/Chicago", "March 2, 2026, 9:00 PM CST"),
        (LATE_EVENING_IN_CHICAGO, "America/New_York", "March 2, 2026, 10:00 PM EST"),
        (LATE_EVENING_IN_CHICAGO, "Europe/Madrid", "March 3, 2026, 4:00 AM CET"),
        # Spring forward (March 8, 2026): 1:59 AM CST, then 3:00 AM CDT.
        (datetime(2026, 3, 8, 7, 59, tzinfo=UTC), "America/Chicago", "March 8, 2026, 1:59 AM CST"),
        (datetime(2026, 3, 8, 8, 0, tzinfo=UTC), "America/Chicago", "March 8, 2026, 3:00 AM CDT"),
        # Fall back (November 1, 2026): 1:30 AM happens twice, once in each.
        (
            datetime(2026, 11, 1, 6, 30, tzinfo=UTC),
            "America/Chicago",
            "November 1, 2026, 1:30 AM CDT",
        ),
        (
            datetime(2026, 11, 1, 7, 30, tzinfo=UTC),
            "America/Chicago",
            "November 1, 2026, 1:30 AM CST",
        ),
        (datetime(2026, 7, 4, 12, 5, tzinfo=UTC), "America/Phoenix", "July 4, 2026, 5:05 AM MST"),
        (datetime(2026, 7, 4, 0, 0, tzinfo=UTC), "America/Chicago", "July 3, 2026, 7:00 PM CDT"),
    ],
)
def test_a_moment_reads_as_the_clocks_show_it_in_the_zone(app, moment, zone, expected):
    assert (
        formatted(app, "{{ moment | long_datetime(zone) }}", moment=moment, zone=zone) == expected
    )


def test_the_date_of_a_moment_is_its_date_in_the_pages_zone(app):
    page = "{{ moment | long_date }}"
    assert formatted(app, page, moment=LATE_EVENING_IN_CHICAGO) == "March 2, 2026"
    assert formatted(app, page, moment=LATE_EVENING_IN_CHICAGO, time_zone="Asia/Tokyo") == (
        "March 3, 2026"
    )


def test_an_election_day_is_a_date_and_never_shifts(app):
    for zone in ("America/Chicago", "Pacific/Honolulu", "Asia/Tokyo"):
        assert formatted(app, "{{ day | long_date(zone) }}", day=date(2026, 11, 3), zone=zone) == (
            "November 3, 2026"
        )


def test_the_filters_are_plain_functions_too(app):
    with app.test_request_context():
        context = app.jinja_env.from_string("").new_context({"time_zone": "America/Chicago"})
        assert long_date(context, None) == ""
        assert long_datetime(context, LATE_EVENING_IN_CHICAGO) == "March 2, 2026, 9:00 PM CST"


class TestTheDefaultZone:
    def test_new_demands_start_in_the_configured_zone(self, app, make_campaign):
        assert app.config["PETITION_DEFAULT_TIME_ZONE"] == "America/Chicago"
        assert make_campaign().time_zone == "America/Chicago"

    @pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "../../etc/passwd", "CST6CDT "])
    def test_an_unknown_default_zone_stops_the_app_from_starting(self, tmp_path, zone):
        config = app_test_config(f"sqlite:///{tmp_path / 'x.sqlite'}")
        with pytest.raises(RuntimeError, match="PETITION_DEFAULT_TIME_ZONE"):
            create_app(config | {"PETITION_DEFAULT_TIME_ZONE": zone or " "})

    def test_another_default_zone_is_used_for_new_rows(self, app, make_campaign):
        app.config["PETITION_DEFAULT_TIME_ZONE"] = "America/Denver"
        assert make_campaign().time_zone == "America/Denver"


@pytest.fixture
def organizer(client, make_user):
    user = make_user("organizer@example.org")
    log_in(client, user)
    return user


def saved_campaign(app) -> Campaign:
    with app.app_context():
        campaign = db.session.scalar(sa.select(Campaign))
        db.session.expunge(campaign)
        return campaign


class TestTheCampaignEditor:
    def test_offers_us_zones_first_then_every_zone(self, client, organizer):
        page = client.get("/dashboard/campaigns/new").get_data(as_text=True)
        assert '<label class="label" for="time_zone">Time zone</label>' in page
        assert '<optgroup label="United States">' in page
        assert '<option selected value="America/Chicago">' in page
        assert '<optgroup label="All time zones">' in page
        assert '<option value="Europe/Madrid">Europe/Madrid</option>' in page

    def test_the_closing_day_ends_at_midnight_where_the_demand_is(
        self, app, client, organizer, frozen_clock
    ):
        page = "/dashboard/campaigns/new"
        response = post_form(
            client,
            page,
            page,
            campaign_form(time_zone="America/New_York", closes_on="2026-03-10"),
        )

        assert response.status_code == 303
        campaign = saved_campaign(app)
        assert campaign.time_zone == "America/New_York"
        # 11:59:59 PM EDT (daylight time began on March 8) is 03:59:59 UTC the next day.
        assert campaign.closes_at == datetime(2026, 3, 11, 3, 59, 59, tzinfo=UTC)
        edit = client.get(f"/dashboard/campaigns/{campaign.id}/edit").get_data(as_text=True)
        assert 'value="2026-03-10"' in edit
        assert '<option selected value="America/New_York">' in edit

    @pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "EST5EDT;", "../zoneinfo"])
    def test_an_unknown_zone_is_a_form_error_and_saves_nothing(self, app, client, organizer, zone):
        page = "/dashboard/campaigns/new"
        response = post_form(client, page, page, campaign_form(time_zone=zone))

        assert response.status_code == 422
        assert "Choose a time zone from the list" in response.get_data(as_text=True)
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count(Campaign.id))) == 0


class TestCampaignPages:
    def test_the_public_page_shows_dates_and_the_closing_time_in_its_zone(
        self, client, make_campaign, frozen_clock
    ):
        campaign = make_campaign(
            edited_at=LATE_EVENING_IN_CHICAGO,
            closes_at=datetime(2026, 3, 21, 4, 59, 59, tzinfo=UTC),
        )

        page = client.get(f"/c/{campaign.slug}").get_data(as_text=True)

        assert "Edited on March 2, 2026." in page
        assert "Signing closes" in page
        assert "March 20, 2026, 11:59 PM CDT</time>" in page

    def test_the_same_moment_reads_as_the_next_day_in_tokyo(self, client, make_campaign):
        campaign = make_campaign(edited_at=LATE_EVENING_IN_CHICAGO, time_zone="Asia/Tokyo")

        page = client.get(f"/c/{campaign.slug}").get_data(as_text=True)

        assert "Edited on March 3, 2026." in page
        revisions = client.get(f"/c/{campaign.slug}/revisions").get_data(as_text=True)
        assert "since March 3, 2026" in revisions

    @pytest.mark.parametrize("zone", ["America/Chicago", "Pacific/Honolulu", "Asia/Tokyo"])
    def test_a_delivery_day_reads_back_as_the_day_the_organizer_typed(
        self, client, organizer, make_owned_campaign, zone, frozen_clock
    ):
        campaign = make_owned_campaign(organizer, time_zone=zone)
        page = f"/dashboard/campaigns/{campaign.id}/deliver"

        response = post_form(
            client, page, page, {"delivered_on": "2026-03-02", "delivered_to": "The DA"}
        )

        assert response.status_code == 303
        assert "Delivered on March 2, 2026" in client.get(f"/c/{campaign.slug}").get_data(
            as_text=True
        )
        assert "on March 2, 2026" in client.get("/").get_data(as_text=True)

    @pytest.mark.parametrize(("zone", "status"), [("Asia/Tokyo", 303), ("Pacific/Honolulu", 422)])
    def test_today_for_a_delivery_is_today_where_the_demand_is(
        self, app, client, organizer, make_owned_campaign, frozen_clock, zone, status
    ):
        # 23:00 UTC on March 2: already March 3 in Tokyo, still March 2 in Honolulu.
        frozen_clock.freeze(datetime(2026, 3, 2, 23, 0, tzinfo=UTC))
        campaign = make_owned_campaign(organizer, time_zone=zone)
        page = f"/dashboard/campaigns/{campaign.id}/deliver"

        response = post_form(
            client, page, page, {"delivered_on": "2026-03-03", "delivered_to": "The DA"}
        )

        assert response.status_code == status
        if status == 422:
            assert "Enter a date that is not in the future" in response.get_data(as_text=True)

    def test_the_organizer_page_shows_the_closing_time_with_its_zone(
        self, client, organizer, make_owned_campaign, frozen_clock
    ):
        campaign = make_owned_campaign(
            organizer,
            time_zone="America/Los_Angeles",
            closes_at=datetime(2026, 3, 6, 7, 59, 59, tzinfo=UTC),
        )

        page = client.get(f"/dashboard/campaigns/{campaign.id}").get_data(as_text=True)

        assert "signing stops March 5, 2026, 11:59 PM PST" in page


class TestRaces:
    def test_the_race_editor_sets_the_zone_of_the_pledge_and_its_demand(
        self, app, client, make_pledge
    ):
        pledge = make_pledge()
        log_in(client, pledge.owner)
        page = f"{pledge.manage_url}/edit"
        form = {
            "title": "Test pledge",
            "text": "I will not.",
            "office": "District Attorney",
            "jurisdiction": "Orlando, FL",
            "election_date": "2026-11-03",
            "time_zone": "America/New_York",
            "supporter_goal": "1000",
        }

        response = post_form(client, page, page, form)

        assert response.status_code == 303
        with app.app_context():
            row = db.session.get(Pledge, pledge.id)
            assert (row.time_zone, row.campaign.time_zone) == ("America/New_York",) * 2

    def test_an_answer_recorded_for_a_day_reads_as_that_day_where_the_race_is(
        self, app, client, make_pledge
    ):
        pledge = make_pledge(candidates=("Candidate A (test)",))
        with app.app_context():
            db.session.get(Pledge, pledge.id).time_zone = "America/Los_Angeles"
            candidate = db.session.get(Candidate, pledge.candidate_ids[0])
            response = record_organizer_answer(
                candidate,
                answer="pledged",
                statement=None,
                source_description="Candidate forum",
                source_url=None,
                answered_on=date(2026, 3, 2),
                recorded_by=db.session.get(type(pledge.owner), pledge.owner.id),
            )
            db.session.commit()
            # The start of March 2 in Los Angeles, not midnight UTC (March 1 there).
            assert response.answered_at == datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

        page = client.get(pledge.url).get_data(as_text=True)

        assert ">March 2, 2026</time>" in page

    @pytest.mark.parametrize(("zone", "status"), [("Asia/Tokyo", 303), ("America/Chicago", 422)])
    def test_today_for_a_recorded_answer_is_today_where_the_race_is(
        self, app, client, make_pledge, frozen_clock, zone, status
    ):
        frozen_clock.freeze(datetime(2026, 3, 2, 23, 0, tzinfo=UTC))
        pledge = make_pledge(candidates=("Candidate A (test)",))
        with app.app_context():
            db.session.get(Pledge, pledge.id).time_zone = zone
            db.session.commit()
        log_in(client, pledge.owner)
        page = f"{pledge.manage_url}/candidates/{pledge.candidate_ids[0]}/record"
        form = {"answer": "pledged", "source_description": "Forum", "answered_on": "2026-03-03"}

        assert post_form(client, page, page, form).status_code == status

    def test_the_pledge_page_shows_an_answer_on_its_local_date(self, app, client, make_pledge):
        pledge = make_pledge(candidates=("Candidate A (test)",))
        with app.app_context():
            db.session.add(
                PledgeResponse(
                    candidate_id=pledge.candidate_ids[0],
                    answer="pledged",
                    source="candidate",
                    answered_at=LATE_EVENING_IN_CHICAGO,
                )
            )
            db.session.commit()

        page = client.get(pledge.url).get_data(as_text=True)

        assert ">March 2, 2026</time>" in page
        assert "November 3, 2026" in page  # election day: a date, as typed


class TestEmails:
    def test_the_confirmation_says_until_when_the_link_works_in_the_demands_zone(
        self, client, make_campaign, outbox, frozen_clock
    ):
        campaign = make_campaign(zip_required=False)
        page = f"/c/{campaign.slug}"
        post_form(client, page, f"{page}/sign", {"name": "Ana", "email": "ana@example.net"})

        [message] = outbox()

        # Frozen at March 3, 15:00 UTC; 7 days later daylight time has begun.
        expected = "It works until March 10, 2026, 10:00 AM CDT."
        assert expected in message.body_text
        assert expected in message.body_html

    def test_an_update_says_when_it_was_posted_in_the_demands_zone(
        self, client, organizer, make_owned_campaign, add_signature, outbox, frozen_clock
    ):
        frozen_clock.freeze(LATE_EVENING_IN_CHICAGO)
        campaign = make_owned_campaign(organizer, time_zone="America/Chicago")
        add_signature(campaign, email="yes@example.net", wants_updates=True)
        page = f"/dashboard/campaigns/{campaign.id}/updates/new"

        post_form(client, page, page, {"subject": "News", "body": "We won.", "send": "Send"})

        [message] = outbox()
        assert "Posted March 2, 2026, 9:00 PM CST" in message.body_text
        assert "Posted March 2, 2026, 9:00 PM CST" in message.body_html

    def test_a_co_organizer_invitation_is_dated_in_the_demands_zone(
        self, client, organizer, make_owned_campaign, outbox, frozen_clock
    ):
        campaign = make_owned_campaign(organizer, time_zone="America/Los_Angeles")
        page = f"/dashboard/campaigns/{campaign.id}/organizers"

        post_form(client, page, page, {"email": "friend@example.org"})

        [message] = outbox()
        # March 3, 15:00 UTC plus 14 days, after the change to daylight time.
        assert "It works until March 17, 2026, 8:00 AM PDT." in message.body_text
        assert "It works until March 17, 2026, 8:00 AM PDT." in message.body_html

    def test_a_candidates_invitation_is_dated_in_the_races_zone(
        self, app, client, make_pledge, outbox, frozen_clock
    ):
        frozen_clock.freeze(LATE_EVENING_IN_CHICAGO)
        pledge = make_pledge(candidates=("Candidate A (test)",))
        with app.app_context():
            db.session.get(Pledge, pledge.id).time_zone = "America/Denver"
            db.session.commit()
        log_in(client, pledge.owner)
        url = f"{pledge.manage_url}/candidates/{pledge.candidate_ids[0]}/invite"

        post_form(client, pledge.manage_url, url, {})

        [message] = outbox()
        # 60 days after 8:00 PM MST on March 2 is in daylight time.
        assert "It works until May 1, 2026, 9:00 PM MDT." in message.body_text
        assert "election day November 3, 2026" in message.body_text


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("America/Chicago", [("March 2, 2026", "1"), ("March 3, 2026", "1")]),
        ("Asia/Tokyo", [("March 3, 2026", "2")]),
    ],
)
def test_the_dashboard_counts_signatures_per_day_where_the_demand_is(
    client, organizer, make_owned_campaign, add_signature, frozen_clock, zone, expected
):
    today = frozen_clock.now()
    frozen_clock.freeze(LATE_EVENING_IN_CHICAGO)
    campaign = make_owned_campaign(organizer, time_zone=zone)
    add_signature(campaign)
    frozen_clock.freeze(datetime(2026, 3, 3, 14, 0, tzinfo=UTC))
    add_signature(campaign)
    frozen_clock.freeze(today)

    page = client.get(f"/dashboard/campaigns/{campaign.id}").get_data(as_text=True)

    table = page.split('<svg class="chart"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r"<tr><td>([^<]+)</td><td>(\d+)</td></tr>", table) == expected
