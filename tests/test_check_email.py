""" "Check your email": where the link went, fixing a wrong address, and sending it again."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from petition.extensions import db
from petition.models import Campaign, Signature

from .helpers import SAME_ORIGIN, post_form

GOOD = {"name": "Maria Santos", "email": "maria@example.org", "zip_code": "70112"}


def sign(client, campaign, **fields):
    page = f"/c/{campaign.slug}"
    return post_form(client, page, f"{page}/sign", {**GOOD, **fields})


def resend(client, check_email: str):
    return client.post(f"{check_email}/resend", headers=SAME_ORIGIN)


def signature_rows(app) -> list[tuple[str, object]]:
    with app.app_context():
        return db.session.execute(
            sa.select(Signature.email, Signature.confirmed_at).order_by(Signature.id)
        ).all()


def count_of(app, campaign) -> int:
    with app.app_context():
        return db.session.get(Campaign, campaign.id).signature_count


def test_the_page_shows_the_address_the_link_went_to_and_keeps_it_private(client, make_campaign):
    campaign = make_campaign()
    signed = sign(client, campaign)

    # The address rides in a cookie only this demand's check-email path receives.
    cookie = signed.headers["Set-Cookie"]
    assert f"Path=/c/{campaign.slug}/check-email" in cookie
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "maria@example.org" not in cookie and "maria%40example.org" not in cookie
    page = client.get(f"/c/{campaign.slug}/check-email")
    html = page.get_data(as_text=True)
    assert "We sent it to <strong data-sent-to>maria@example.org</strong>" in html
    assert page.headers["Cache-Control"] == "private, no-store"
    assert f'href="/c/{campaign.slug}/check-email/fix">Fix it</a>' in html
    assert "Send the email again" in html
    # The cached campaign page never sees it.
    campaign_page = client.get(f"/c/{campaign.slug}")
    assert "maria@example.org" not in campaign_page.get_data(as_text=True)
    assert "public" in campaign_page.headers["Cache-Control"]


def test_another_visitor_sees_no_address(client, app, make_campaign):
    campaign = make_campaign()
    sign(client, campaign)

    html = app.test_client().get(f"/c/{campaign.slug}/check-email").get_data(as_text=True)

    assert "Now check your email" in html
    assert "maria@example.org" not in html and "Send the email again" not in html


def test_a_likely_typo_in_the_domain_gets_a_suggestion_and_a_one_tap_fix(
    app, client, make_campaign, outbox
):
    campaign = make_campaign()
    check_email = f"/c/{campaign.slug}/check-email"
    sign(client, campaign, email="maria@gmial.com")

    html = client.get(check_email).get_data(as_text=True)
    assert "Did you mean <strong>maria@gmail.com</strong>?" in html

    fix = client.get(f"{check_email}/fix?suggested=1")
    assert fix.headers["Cache-Control"] == "private, no-store"
    fixed_form = fix.get_data(as_text=True)
    assert 'value="maria@gmail.com"' in fixed_form
    assert 'value="Maria Santos"' in fixed_form and 'value="70112"' in fixed_form
    assert f'action="/c/{campaign.slug}/sign#error-summary"' in fixed_form

    assert sign(client, campaign, email="maria@gmail.com").status_code == 303
    assert [email for email, _ in signature_rows(app)] == ["maria@gmial.com", "maria@gmail.com"]
    assert [m.to_address for m in outbox()] == ["maria@gmial.com", "maria@gmail.com"]
    assert "Did you mean" not in client.get(check_email).get_data(as_text=True)


def test_fix_it_without_a_recent_signing_goes_to_the_demand(client, make_campaign):
    campaign = make_campaign()
    response = client.get(f"/c/{campaign.slug}/check-email/fix")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/c/{campaign.slug}"


def test_send_again_mails_the_link_once_the_interval_has_passed_and_counts_nothing(
    app, client, make_campaign, outbox, frozen_clock
):
    campaign = make_campaign()
    check_email = f"/c/{campaign.slug}/check-email"
    sign(client, campaign)

    too_soon = resend(client, check_email)
    frozen_clock.advance(timedelta(minutes=11))
    later = resend(client, check_email)

    assert too_soon.status_code == later.status_code == 303
    assert too_soon.headers["Location"] == later.headers["Location"] == f"{check_email}?resent=1"
    messages = outbox()
    assert [m.category for m in messages] == ["confirm_signature", "confirm_signature"]
    assert {m.to_address for m in messages} == {"maria@example.org"}
    assert len(signature_rows(app)) == 1
    assert count_of(app, campaign) == 0
    assert "the email is on its way again" in client.get(later.headers["Location"]).get_data(
        as_text=True
    )


def test_send_again_after_confirming_says_already_signed_and_never_counts_twice(
    app, client, make_campaign, outbox, frozen_clock
):
    campaign = make_campaign()
    check_email = f"/c/{campaign.slug}/check-email"
    sign(client, campaign)
    confirm_link = outbox()[0].body_text.split("http://petition.test", 1)[1].split()[0]
    client.post(confirm_link, headers=SAME_ORIGIN)
    assert count_of(app, campaign) == 1

    frozen_clock.advance(timedelta(minutes=11))
    resend(client, check_email)

    assert [m.category for m in outbox()][-1] == "already_signed"
    assert count_of(app, campaign) == 1


def test_send_again_from_another_browser_or_site_sends_nothing(
    app, client, make_campaign, outbox, frozen_clock
):
    campaign = make_campaign()
    check_email = f"/c/{campaign.slug}/check-email"
    sign(client, campaign)
    frozen_clock.advance(timedelta(minutes=11))

    stranger = app.test_client().post(f"{check_email}/resend", headers=SAME_ORIGIN)
    cross_site = client.post(
        f"{check_email}/resend",
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    )

    # Same answer as for a real resend: nothing says whether the address signed.
    assert stranger.status_code == 303
    assert stranger.headers["Location"] == f"{check_email}?resent=1"
    assert cross_site.status_code == 403
    assert len(outbox()) == 1


def test_backing_a_pledge_offers_the_same_fix_and_resend(app, client, make_pledge, outbox):
    pledge = make_pledge()
    post_form(client, pledge.url, f"{pledge.url}/back", {**GOOD, "email": "ana@yaho.com"})
    check_email = f"{pledge.url}/check-email"

    html = client.get(check_email).get_data(as_text=True)
    assert "We sent it to <strong data-sent-to>ana@yaho.com</strong>" in html
    assert "Did you mean <strong>ana@yahoo.com</strong>?" in html
    fix = client.get(f"{check_email}/fix").get_data(as_text=True)
    assert 'value="ana@yaho.com"' in fix
    assert f'action="{pledge.url}/back#error-summary"' in fix
    assert "updates about this pledge" in fix
    assert resend(client, check_email).status_code == 303


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_send_again_is_rate_limited(app, client, make_campaign, app_config):
    from petition import ratelimits

    app.config["PETITION_SIGN_RATE_LIMIT"] = "2 per minute"
    campaign = make_campaign()
    check_email = f"/c/{campaign.slug}/check-email"
    sign(client, campaign)
    try:
        statuses = [resend(client, check_email).status_code for _ in range(3)]
    finally:
        with app.app_context():
            ratelimits.reset()
    assert statuses == [303, 303, 429]


def test_send_again_after_withdrawing_sends_nothing(
    app, client, make_campaign, outbox, frozen_clock
):
    campaign = make_campaign()
    check_email = f"/c/{campaign.slug}/check-email"
    sign(client, campaign)
    with app.app_context():
        db.session.scalar(sa.select(Signature)).withdrawn_at = frozen_clock.now()
        db.session.commit()
    frozen_clock.advance(timedelta(minutes=11))

    response = resend(client, check_email)

    assert response.headers["Location"] == f"{check_email}?resent=1"
    assert len(outbox()) == 1
