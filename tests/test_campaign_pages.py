"""Public pages: the campaign, its live count, and the home listing."""

import re
from datetime import timedelta

import sqlalchemy as sa

from petition.extensions import db
from petition.models import Campaign, Signature
from petition.signing.services import confirm_signature

from .helpers import count_queries


def test_the_campaign_page_shows_the_demand_target_count_and_form(
    app, client, make_campaign, add_signature
):
    campaign = make_campaign(demand="End **money bail**.", signature_goal=20000)
    for number in range(3):
        add_signature(campaign, email=f"s{number}@example.org")

    html = client.get(f"/c/{campaign.slug}").get_data(as_text=True)

    assert campaign.title in html
    assert "End <strong>money bail</strong>." in html
    assert "Test Prosecutor" in html and "Test County District Attorney" in html
    assert '<strong class="counter-number" data-count>3</strong>' in html
    assert 'max="20000" value="3"' in html
    assert 'name="csrf_token"' not in html  # cached for everyone: no session token
    assert 'autocomplete="email"' in html and 'inputmode="numeric"' in html


def test_numbers_are_formatted_for_people(app, client, make_campaign):
    campaign = make_campaign(signature_goal=20000, signature_count=12480)
    html = client.get(f"/c/{campaign.slug}").get_data(as_text=True)
    assert "12,480" in html
    assert "62% of 20,000 goal" in html.replace("<span data-percent>", "").replace("</span>", "")


def test_recent_signers_show_only_chosen_names_as_first_name_and_initial(
    app, client, make_campaign, add_signature
):
    campaign = make_campaign()
    add_signature(
        campaign, email="public@example.org", show_publicly=True, name="Maria  de la Cruz"
    )
    add_signature(campaign, email="private@example.org", show_publicly=False, name="Hidden Person")
    add_signature(
        campaign, email="pending@example.org", confirmed=False, show_publicly=True, name="Pat Q"
    )

    html = client.get(f"/c/{campaign.slug}").get_data(as_text=True)

    assert "Maria C." in html
    assert "ZIP 701xx" in html
    assert "de la Cruz" not in html
    assert "Hidden" not in html
    assert "Pat" not in html
    assert "@example.org" not in html


def test_count_json_reports_confirmed_signatures_only(app, client, make_campaign, add_signature):
    campaign = make_campaign(signature_goal=500)
    add_signature(campaign, email="a@example.org")
    add_signature(campaign, email="b@example.org", confirmed=False)

    response = client.get(f"/c/{campaign.slug}/count.json")

    assert response.status_code == 200
    assert response.json == {
        "slug": campaign.slug,
        "signatures": 1,
        "goal": 500,
        "status": "live",
        "open": True,
    }
    assert "max-age=1" in response.headers["Cache-Control"]


def test_count_json_answers_304_until_the_count_changes(app, client, make_campaign, add_signature):
    campaign = make_campaign()
    url = f"/c/{campaign.slug}/count.json"
    etag = client.get(url).headers["ETag"]

    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304

    add_signature(campaign, email="new@example.org")
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.json["signatures"] == 1
    assert changed.headers["ETag"] != etag


def test_count_json_does_not_scan_signatures(app, client, make_campaign):
    campaign = make_campaign()
    with count_queries(app) as statements:
        client.get(f"/c/{campaign.slug}/count.json")
    assert statements, "the view should read the campaign"
    # It sums the campaign's count shards; it never reads the signatures table.
    assert not any(re.search(r"\bsignatures\.", statement) for statement in statements)
    assert not any(re.search(r"FROM signatures\b", statement) for statement in statements)


def test_home_lists_live_campaigns_most_active_first(
    app, client, make_campaign, frozen_clock, add_signature
):
    quiet = make_campaign(title="Quiet but big")
    busy = make_campaign(title="Busy today")
    make_campaign(title="Still a draft", status="draft")
    make_campaign(title="Already closed", status="closed")
    for number in range(5):
        add_signature(quiet, email=f"old{number}@example.org")
    frozen_clock.advance(timedelta(days=2))
    for number in range(2):
        add_signature(busy, email=f"new{number}@example.org")

    html = client.get("/").get_data(as_text=True)

    assert html.index("Busy today") < html.index("Quiet but big")
    assert "Still a draft" not in html
    assert "Already closed" not in html
    assert "5 signatures" in html and "2 in the last day" in html


def test_home_page_issues_a_fixed_number_of_queries(app, client, make_campaign):
    for _ in range(6):
        make_campaign()
    counts = []
    for _ in range(2):
        with count_queries(app) as statements:
            client.get("/")
        counts.append(len(statements))
        make_campaign()
        make_campaign()
    assert counts[0] == counts[1], "the home page must not query once per campaign"


def test_pages_send_a_strict_content_security_policy(client, make_campaign):
    campaign = make_campaign()
    response = client.get(f"/c/{campaign.slug}")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    html = response.get_data(as_text=True)
    assert "<script>" not in html and " style=" not in html
    # Absolute links (previews, sharing) name only the site itself.
    assert "http://" not in html.replace("http://petition.test/", "")


def test_the_dev_mailbox_is_404_outside_debug(client):
    assert client.get("/dev/mail").status_code == 404


def test_the_dev_mailbox_lists_queued_mail_with_links_in_debug(app, client, make_campaign):
    from .helpers import post_form

    campaign = make_campaign()
    page = f"/c/{campaign.slug}"
    post_form(
        client,
        page,
        f"{page}/sign",
        {"name": "Lee", "email": "lee@example.org", "zip_code": "70112"},
    )
    app.debug = True
    html = client.get("/dev/mail").get_data(as_text=True)
    assert "Confirm your signature" in html
    assert 'href="http://petition.test/confirm/' in html


def test_signature_counts_stay_consistent_with_confirmed_rows(app, make_campaign, add_signature):
    from petition.signing.services import withdraw_signature

    campaign = make_campaign()
    add_signature(campaign, email="a@example.org")
    add_signature(campaign, email="b@example.org")
    with app.app_context():
        signature = db.session.scalar(
            sa.select(Signature).where(Signature.email == "a@example.org")
        )
        assert withdraw_signature(signature) is True
        assert withdraw_signature(signature) is False
        assert confirm_signature(signature) is False
        db.session.commit()
        stored = db.session.get(Campaign, campaign.id).signature_count
        counted = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Signature)
            .where(Signature.confirmed_at.is_not(None), Signature.withdrawn_at.is_(None))
        )
    assert stored == counted == 1


def test_the_demand_is_rendered_once_when_saved_not_on_every_view(
    app, client, make_campaign, monkeypatch
):
    campaign = make_campaign(demand="End **money bail**.\n\n<script>alert(1)</script>")
    with app.app_context():
        stored = db.session.get(Campaign, campaign.id).demand_html
    assert "<strong>money bail</strong>" in stored and "<script>" not in stored

    def explode(*args, **kwargs):
        raise AssertionError("Markdown rendered during a page view")

    monkeypatch.setattr("petition.markup._md.render", explode)
    html = client.get(f"/c/{campaign.slug}").get_data(as_text=True)

    assert "End <strong>money bail</strong>." in html
    assert "<script>alert(1)" not in html
