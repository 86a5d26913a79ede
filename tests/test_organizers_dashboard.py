"""The dashboard: counts, signatures per day, ZIP codes, comments, co-organizers."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from petition.clock import now
from petition.extensions import db
from petition.models import CampaignOrganizer

from .fixtures_accounts import log_in
from .helpers import count_queries, path_of, post_form


@pytest.fixture
def owner(client, make_user):
    user = make_user("owner@example.org")
    log_in(client, user)
    return user


def test_the_dashboard_shows_confirmed_and_pending_counts(
    client, owner, make_owned_campaign, add_signature
):
    campaign = make_owned_campaign(owner, title="Count me")
    for _ in range(3):
        add_signature(campaign)
    add_signature(campaign, confirmed=False)
    add_signature(campaign, confirmed=False)
    add_signature(campaign, confirmed=False, withdrawn=True)

    page = client.get("/dashboard").get_data(as_text=True)

    row = page.split("Count me", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'<td class="num"[^>]*>(\d+)</td>', row) == ["3", "2"]


def test_the_dashboard_makes_the_same_number_of_queries_for_one_or_many_campaigns(
    app, client, owner, make_owned_campaign, add_signature
):
    first = make_owned_campaign(owner)
    add_signature(first, confirmed=False)
    with count_queries(app) as one:
        client.get("/dashboard")
    for _ in range(5):
        add_signature(make_owned_campaign(owner), confirmed=False)
    with count_queries(app) as six:
        client.get("/dashboard")

    assert len(six) == len(one)


def test_the_campaign_page_charts_signatures_per_day(
    app, client, owner, make_owned_campaign, add_signature, frozen_clock
):
    today = now()
    frozen_clock.freeze(today - timedelta(days=60))
    campaign = make_owned_campaign(owner)
    add_signature(campaign)  # outside the chart
    frozen_clock.freeze(today - timedelta(days=2))
    add_signature(campaign)
    add_signature(campaign)
    frozen_clock.freeze(today)
    add_signature(campaign)

    with count_queries(app) as statements:
        page = client.get(f"/dashboard/campaigns/{campaign.id}").get_data(as_text=True)

    assert '<svg class="chart"' in page
    # From the stored hourly buckets: the signatures are not grouped by hour.
    assert any("FROM signature_count_hours" in statement for statement in statements)
    assert not any(
        "FROM signatures" in statement and re.search(r"strftime|date_trunc", statement)
        for statement in statements
    )
    assert "March 1, 2026: 2 signatures" in page
    assert "March 3, 2026: 1 signature<" in page
    assert "3 in all" in page
    bars = re.findall(r'<rect class="chart-bar"[^>]*height="([\d.]+)"', page)
    assert len(bars) == 30
    assert max(float(h) for h in bars) == 160.0
    assert "style=" not in page.split('<svg class="chart"', 1)[1].split("</svg>", 1)[0]


def test_the_campaign_page_lists_top_zip_codes_comments_and_share_link(
    client, owner, make_owned_campaign, add_signature
):
    campaign = make_owned_campaign(owner, slug="share-me")
    add_signature(campaign, zip_code="70112")
    add_signature(campaign, zip_code="70112", comment="For my brother")
    add_signature(campaign, zip_code="70119")
    add_signature(campaign, zip_code="99999", confirmed=False, comment="Unconfirmed words")

    page = client.get(f"/dashboard/campaigns/{campaign.id}").get_data(as_text=True)

    zips = page.split('id="zips-heading"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r"<td>(\d{5})</td><td>(\d+)</td>", zips) == [("70112", "2"), ("70119", "1")]
    assert "For my brother" in page
    assert "Unconfirmed words" not in page
    assert 'value="http://petition.test/c/share-me"' in page


# Co-organizers


def invite(client, campaign, email):
    page = f"/dashboard/campaigns/{campaign.id}/organizers"
    return post_form(client, page, page, {"email": email})


def test_an_invited_organizer_accepts_with_the_emailed_link(
    app, client, owner, make_owned_campaign, make_user, outbox
):
    campaign = make_owned_campaign(owner, title="Team effort")
    invite(client, campaign, "Friend@Example.org")
    [message] = outbox()
    assert message.to_address == "Friend@example.org"  # domain lowered by check_email
    assert message.category == "organizer_invite"
    [link] = [
        path_of(url)
        for url in re.findall(r"https?://\S+", message.body_text)
        if "/invitations/" in url
    ]

    friend = make_user("friend@example.org")
    other = app.test_client()
    log_in(other, friend)
    assert other.get(f"/dashboard/campaigns/{campaign.id}").status_code == 404
    response = post_form(other, link, link, {})

    assert response.status_code == 303
    assert other.get(f"/dashboard/campaigns/{campaign.id}").status_code == 200
    assert "Team effort" in other.get("/dashboard").get_data(as_text=True)


def test_an_invitation_cannot_be_accepted_by_another_account(
    app, client, owner, make_owned_campaign, make_user, outbox
):
    campaign = make_owned_campaign(owner)
    invite(client, campaign, "friend@example.org")
    link = path_of(re.search(r"https?://\S+/invitations/\S+", outbox()[0].body_text).group(0))

    stranger = app.test_client()
    log_in(stranger, make_user("stranger@example.org"))
    response = post_form(stranger, link, link, {})

    assert response.status_code == 403
    assert "sent to a different email address" in response.get_data(as_text=True)
    assert stranger.get(f"/dashboard/campaigns/{campaign.id}").status_code == 404


def test_opening_an_invitation_needs_a_login(client, owner, make_owned_campaign, outbox):
    campaign = make_owned_campaign(owner)
    invite(client, campaign, "friend@example.org")
    link = path_of(re.search(r"https?://\S+/invitations/\S+", outbox()[0].body_text).group(0))
    response = client.application.test_client().get(link)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_tampered_invitation_link_is_a_clear_400(client, owner):
    assert client.get("/dashboard/invitations/not-a-token").status_code == 400


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter their email address"),
        ("nope", "Enter an email address in the correct format"),
        ("OWNER@example.org", "belongs to the demand’s owner"),
    ],
)
def test_bad_invitations_get_form_errors(
    client, owner, make_owned_campaign, outbox, email, message
):
    campaign = make_owned_campaign(owner)
    response = invite(client, campaign, email)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert outbox() == []


def test_inviting_an_active_co_organizer_again_is_refused(
    client, owner, make_owned_campaign, make_user, add_co_organizer
):
    campaign = make_owned_campaign(owner)
    add_co_organizer(campaign, make_user("co@example.org"))
    response = invite(client, campaign, "co@example.org")
    assert response.status_code == 422
    assert "already organizes" in response.get_data(as_text=True)


def test_the_owner_removes_a_co_organizer(
    app, client, owner, make_owned_campaign, make_user, add_co_organizer
):
    campaign = make_owned_campaign(owner)
    co = make_user("co@example.org")
    add_co_organizer(campaign, co)
    with app.app_context():
        co_organizer_id = db.session.scalar(sa.select(CampaignOrganizer.id))
    page = f"/dashboard/campaigns/{campaign.id}/organizers"

    post_form(client, page, f"{page}/{co_organizer_id}/remove", {})

    co_client = app.test_client()
    log_in(co_client, co)
    assert co_client.get(f"/dashboard/campaigns/{campaign.id}").status_code == 404
