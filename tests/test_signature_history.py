"""Signatures over time: the campaign page's chart and /c/<slug>/history.json."""

import re
from datetime import timedelta

from petition.extensions import db
from petition.models import CampaignStatus, Signature
from petition.signing.services import withdraw_signature

from .fixtures_accounts import log_in
from .helpers import count_queries

HOUR = timedelta(hours=1)


def withdraw(app, signature_id: int) -> None:
    with app.test_request_context(method="POST"):
        assert withdraw_signature(db.session.get(Signature, signature_id))
        db.session.commit()


def history(client, campaign) -> dict:
    response = client.get(f"/c/{campaign.slug}/history.json")
    assert response.status_code == 200
    return response.json


def section(page: str) -> str:
    return page.split('<section class="history"', 1)[1].split("</section>", 1)[0]


def test_a_young_campaign_is_charted_hour_by_hour_with_withdrawals_taken_off(
    app, client, frozen_clock, make_campaign, add_signature
):
    campaign = make_campaign()  # 15:00 UTC, March 3
    first = add_signature(campaign)
    add_signature(campaign)
    frozen_clock.advance(2 * HOUR + timedelta(minutes=10))  # 17:10
    add_signature(campaign)
    add_signature(campaign, confirmed=False)  # not confirmed: not counted
    frozen_clock.advance(HOUR)  # 18:10
    withdraw(app, first)

    series = history(client, campaign)

    assert series["granularity"] == "hour"
    assert series["total"] == 2
    assert series["points"] == [
        {"start": "2026-03-03T15:00:00Z", "count": 2, "total": 2},
        {"start": "2026-03-03T16:00:00Z", "count": 0, "total": 2},
        {"start": "2026-03-03T17:00:00Z", "count": 1, "total": 3},
        {"start": "2026-03-03T18:00:00Z", "count": -1, "total": 2},
    ]


def test_after_three_days_the_series_is_by_day_in_the_campaigns_time_zone(
    app, client, frozen_clock, make_campaign, add_signature
):
    campaign = make_campaign(time_zone="America/Chicago")  # 9 AM CST, March 3
    first = add_signature(campaign)
    frozen_clock.advance(14 * HOUR)  # 05:00 UTC March 4, still 11 PM March 3 in Chicago
    add_signature(campaign)
    frozen_clock.advance(2 * HOUR)  # 1 AM March 4 in Chicago
    add_signature(campaign)
    withdraw(app, first)
    # Past the switch to daylight saving time (March 8): midnight is 05:00 UTC.
    frozen_clock.advance(timedelta(days=5))  # 2 AM CDT March 9
    add_signature(campaign)

    series = history(client, campaign)

    assert series["granularity"] == "day"
    assert series["time_zone"] == "America/Chicago"
    assert [(p["start"], p["count"], p["total"]) for p in series["points"]] == [
        ("2026-03-03T06:00:00Z", 2, 2),
        ("2026-03-04T06:00:00Z", 0, 2),
        ("2026-03-05T06:00:00Z", 0, 2),
        ("2026-03-06T06:00:00Z", 0, 2),
        ("2026-03-07T06:00:00Z", 0, 2),
        ("2026-03-08T06:00:00Z", 0, 2),
        ("2026-03-09T05:00:00Z", 1, 3),
    ]
    with app.app_context():
        assert series["total"] == db.session.scalar(
            db.select(db.func.count()).where(
                Signature.campaign_id == campaign.id,
                Signature.confirmed_at.is_not(None),
                Signature.withdrawn_at.is_(None),
            )
        )


def test_a_closed_campaigns_series_ends_at_its_last_change(
    app, client, frozen_clock, make_campaign, add_signature
):
    campaign = make_campaign(closes_at=frozen_clock.now() + HOUR)
    add_signature(campaign)
    frozen_clock.advance(timedelta(days=30))  # long closed: no month of empty bars

    series = history(client, campaign)

    assert series["granularity"] == "hour"
    assert series["points"] == [{"start": "2026-03-03T15:00:00Z", "count": 1, "total": 1}]


def test_the_page_charts_the_days_with_a_summary_and_a_table(
    app, client, frozen_clock, make_campaign, add_signature
):
    campaign = make_campaign(time_zone="America/Chicago")
    add_signature(campaign, name="Private Person", email="private@example.org")
    add_signature(campaign)
    frozen_clock.advance(timedelta(days=4))  # March 7
    add_signature(campaign)
    frozen_clock.advance(timedelta(days=4))  # March 11

    page = client.get(f"/c/{campaign.slug}").get_data(as_text=True)
    chart = section(page)

    assert '<h2 id="history-heading">Signatures over time</h2>' in chart
    summary = re.search(r'<p id="history-summary">(.*?)</p>', chart, re.S)[1]
    assert " ".join(summary.split()) == (
        "3 signatures in 9 days; the busiest day was March 3, 2026 with 2."
    )
    svg = re.search(r"<svg[^>]*>", chart)[0]
    assert 'role="img"' in svg and 'viewBox="0 0 600 188"' in svg
    assert 'aria-labelledby="history-heading history-summary"' in svg
    heights = re.findall(r'<rect class="chart-bar"[^>]*height="([\d.]+)"', chart)
    assert [float(height) for height in heights] == [160, 0, 0, 0, 80, 0, 0, 0, 0]
    # The strict CSP allows neither inline style nor script.
    assert "style=" not in chart and "<script" not in chart
    table = chart.split("<details", 1)[1].split("</details>", 1)[0]
    rows = [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td>(.*?)</td>", row)]
        for row in re.findall(r"<tr><td>.*?</tr>", table)
    ]
    assert rows == [["March 3, 2026", "2", "2"], ["March 7, 2026", "1", "3"]]
    assert "Private Person" not in chart and "private@example.org" not in page


def test_the_page_words_a_young_campaign_by_the_hour(
    client, frozen_clock, make_campaign, add_signature
):
    campaign = make_campaign(time_zone="America/Chicago")
    add_signature(campaign)
    frozen_clock.advance(HOUR)
    for _ in range(3):
        add_signature(campaign)

    chart = section(client.get(f"/c/{campaign.slug}").get_data(as_text=True))

    summary = re.search(r'<p id="history-summary">(.*?)</p>', chart, re.S)[1]
    assert " ".join(summary.split()) == (
        "4 signatures in 2 hours; the busiest hour was the hour from"
        " March 3, 2026, 10:00 AM CST with 3."
    )
    assert ">March 3, 2026, 9:00 AM CST</time></td><td>1</td><td>1</td>" in chart


def test_no_chart_until_someone_has_confirmed(client, make_campaign, add_signature):
    campaign = make_campaign()
    add_signature(campaign, confirmed=False)

    page = client.get(f"/c/{campaign.slug}").get_data(as_text=True)

    assert "Signatures over time" not in page


def test_the_chart_costs_the_page_one_statement_on_the_hourly_buckets(
    app, client, make_campaign, add_signature
):
    unsigned, signed = make_campaign(), make_campaign()
    for _ in range(5):
        add_signature(signed)
    client.get(f"/c/{unsigned.slug}")  # connections set up, caches warm

    with count_queries(app) as without_chart:
        client.get(f"/c/{unsigned.slug}")
    with count_queries(app) as with_chart:
        assert "Signatures over time" in client.get(f"/c/{signed.slug}").get_data(as_text=True)

    extra = [statement for statement in with_chart if statement not in without_chart]
    assert len(with_chart) == len(without_chart) + 1
    assert len(extra) == 1 and "FROM signature_count_hours" in extra[0]
    assert not re.search(r"\bsignatures\b", extra[0])


def summary_of(client, campaign) -> str:
    chart = section(client.get(f"/c/{campaign.slug}").get_data(as_text=True))
    return " ".join(re.search(r'<p id="history-summary">(.*?)</p>', chart, re.S)[1].split())


def test_the_page_reads_the_chart_once_per_page_max_age_and_then_shows_new_confirmations(
    app, client, frozen_clock, make_campaign, add_signature
):
    campaign = make_campaign()
    add_signature(campaign)
    assert summary_of(client, campaign).startswith("1 signature in 1 hour;")
    add_signature(campaign)

    # Within the page's own max-age the chart is the one already read, without a statement...
    with count_queries(app) as statements:
        assert summary_of(client, campaign).startswith("1 signature in 1 hour;")
    assert not [statement for statement in statements if "signature_count_hours" in statement]
    # ...while the count the page shows is read live, and count.json keeps it moving.
    assert client.get(f"/c/{campaign.slug}/count.json").json["signatures"] == 2

    frozen_clock.advance(timedelta(seconds=app.config["PETITION_PAGE_MAX_AGE"]))

    assert summary_of(client, campaign).startswith("2 signatures in 1 hour;")


def test_a_closed_campaigns_chart_is_redrawn_at_once(
    app, client, frozen_clock, make_campaign, add_signature
):
    campaign = make_campaign()
    add_signature(campaign)
    frozen_clock.advance(3 * HOUR)
    assert summary_of(client, campaign).startswith("1 signature in 4 hours;")

    with app.app_context():
        db.session.get(type(campaign), campaign.id).status = CampaignStatus.CLOSED
        db.session.commit()

    # Its history stops where its count did: no cached axis running on to now.
    assert summary_of(client, campaign).startswith("1 signature in 1 hour;")


def test_with_no_page_max_age_the_chart_is_read_on_every_view(
    app, client, frozen_clock, make_campaign, add_signature
):
    app.config["PETITION_PAGE_MAX_AGE"] = 0
    campaign = make_campaign()
    add_signature(campaign)
    assert summary_of(client, campaign).startswith("1 signature in")
    add_signature(campaign)

    assert summary_of(client, campaign).startswith("2 signatures in")


def test_history_json_is_cacheable_by_anyone_and_sets_no_cookie(
    app, client, make_campaign, add_signature, make_user
):
    campaign = make_campaign()
    add_signature(campaign, name="Private Person", email="private@example.org")

    for signed_in in (False, True):
        if signed_in:  # an organizer's session cookie changes nothing: the view never reads it
            log_in(client, make_user("organizer@example.org"))
        response = client.get(f"/c/{campaign.slug}/history.json")
        assert response.status_code == 200
        assert response.mimetype == "application/json"
        assert response.cache_control.public
        assert response.cache_control.max_age == app.config["PETITION_PAGE_MAX_AGE"]
        assert "Set-Cookie" not in response.headers
        assert "Cookie" not in response.headers.get("Vary", "")
        body = response.get_data(as_text=True)
        assert "Private" not in body and "example.org" not in body
        assert set(response.json) == {"granularity", "time_zone", "total", "points"}


def test_history_json_is_404_for_campaigns_the_public_may_not_see(client, make_campaign):
    draft = make_campaign(status=CampaignStatus.DRAFT)
    taken_down = make_campaign(status=CampaignStatus.TAKEN_DOWN)

    assert client.get(f"/c/{draft.slug}/history.json").status_code == 404
    assert client.get(f"/c/{taken_down.slug}/history.json").status_code == 404
    assert client.get("/c/no-such-campaign/history.json").status_code == 404


def test_hours_give_way_to_days_when_the_campaign_is_72_hours_old(
    client, frozen_clock, make_campaign, add_signature
):
    campaign = make_campaign(time_zone="UTC")  # 15:00, March 3
    add_signature(campaign)
    frozen_clock.advance(71 * HOUR + timedelta(minutes=59))

    young = history(client, campaign)
    frozen_clock.advance(timedelta(minutes=1))
    three_days_old = history(client, campaign)

    assert young["granularity"] == "hour" and len(young["points"]) == 72
    assert three_days_old["granularity"] == "day"
    assert [p["start"] for p in three_days_old["points"]] == [
        "2026-03-03T00:00:00Z",
        "2026-03-04T00:00:00Z",
        "2026-03-05T00:00:00Z",
        "2026-03-06T00:00:00Z",
    ]
