"""Bad input gets a clear 4xx answer, keeps what was typed, and changes nothing."""

import pytest
import sqlalchemy as sa

from petition.extensions import db
from petition.models import OutboxMessage, Signature

from .helpers import SAME_ORIGIN, post_form

GOOD = {"name": "Ana Ruiz", "email": "ana@example.org", "zip_code": "32801", "comment": "Yes."}


def nothing_stored(app) -> bool:
    with app.app_context():
        return (
            db.session.scalar(sa.select(sa.func.count()).select_from(Signature)) == 0
            and db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
        )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter your name"),
        ("name", "   ", "Enter your name"),
        ("name", "x" * 101, "Enter a name of 100 characters or fewer"),
        ("name", "Ana\x00Ruiz", "contains characters we cannot accept"),
        ("name", "Ana\x1bRuiz", "contains characters we cannot accept"),
        ("name", "Ana\nRuiz", "contains characters we cannot accept"),
        ("email", "", "Enter your email address"),
        ("email", "not-an-email", "Enter an email address in the correct format"),
        ("email", "ana@", "Enter an email address in the correct format"),
        ("email", "ana@example.org\x00", "contains characters we cannot accept"),
        ("email", "a" * 250 + "@example.org", "254 characters or fewer"),
        ("zip_code", "", "Enter your 5-digit ZIP code"),
        ("zip_code", "1234", "Enter a 5-digit ZIP code"),
        ("zip_code", "123456", "Enter a 5-digit ZIP code"),
        ("zip_code", "7011a", "Enter a 5-digit ZIP code"),
        ("zip_code", "\u0661\u0662\u0663\u0664\u0665", "Enter a 5-digit ZIP code"),
        ("comment", "x" * 501, "500 characters or fewer"),
        ("comment", "hello\x00", "contains characters we cannot accept"),
    ],
)
def test_invalid_fields_are_refused_with_a_message_and_nothing_is_stored(
    app, client, make_campaign, field, value, message
):
    campaign = make_campaign()
    page = f"/c/{campaign.slug}"

    response = post_form(client, page, f"{page}/sign", {**GOOD, field: value})

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "There is a problem" in html
    assert message in html
    assert f'href="#{field}"' in html
    assert nothing_stored(app)


def test_the_form_keeps_what_was_typed(client, make_campaign):
    campaign = make_campaign()
    page = f"/c/{campaign.slug}"
    response = post_form(
        client, page, f"{page}/sign", {**GOOD, "zip_code": "abc", "show_publicly": "y"}
    )
    html = response.get_data(as_text=True)
    assert 'value="Ana Ruiz"' in html
    assert 'value="ana@example.org"' in html
    assert 'value="abc"' in html
    assert "Yes.</textarea>" in html
    assert 'id="show_publicly" name="show_publicly" type="checkbox" value="y"' in html
    assert "checked" in html


def test_multiline_comments_are_allowed(app, client, make_campaign):
    campaign = make_campaign()
    page = f"/c/{campaign.slug}"
    post_form(client, page, f"{page}/sign", {**GOOD, "comment": "One.\r\nTwo."})
    with app.app_context():
        assert db.session.scalar(sa.select(Signature.comment)) == "One.\nTwo."


def test_zip_is_optional_where_the_organizer_says_so(app, client, make_campaign):
    campaign = make_campaign(zip_required=False)
    page = f"/c/{campaign.slug}"
    response = post_form(client, page, f"{page}/sign", {**GOOD, "zip_code": ""})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(sa.select(Signature.zip_code)) is None


def test_html_typed_into_name_and_comment_is_shown_escaped(app, client, make_campaign, outbox):
    campaign = make_campaign()
    page = f"/c/{campaign.slug}"
    evil = {
        **GOOD,
        "name": "<script>alert(1)</script> Ruiz",
        "comment": '<img src=x onerror="alert(2)">',
        "show_publicly": "y",
    }
    post_form(client, page, f"{page}/sign", evil)
    confirm_url = [line for line in outbox()[0].body_text.split() if "/confirm/" in line][0]
    path = confirm_url.replace("http://petition.test", "")
    client.post(path, headers=SAME_ORIGIN)

    html = client.get(page).get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<img src=x onerror="alert(2)">' not in html
    assert "&lt;img src=x onerror=" in html
    assert "<script>" not in outbox()[0].body_html


def test_the_same_invalid_input_never_makes_a_half_written_signature(app, client, make_campaign):
    campaign = make_campaign()
    page = f"/c/{campaign.slug}"
    for value in ["%00", "x" * 5000, "Ana%01"]:
        body = f"name={value}&email=ana%40example.org&zip_code=32801"
        response = client.post(
            f"{page}/sign", data=body, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 422, value
    assert nothing_stored(app)


def test_an_oversized_request_is_a_413(app, client, make_campaign):
    campaign = make_campaign()
    page = f"/c/{campaign.slug}"
    response = client.post(
        f"{page}/sign",
        data={**GOOD, "comment": "x" * 100_000},
    )
    assert response.status_code == 413
    assert "too much" in response.get_data(as_text=True)
    assert nothing_stored(app)


@pytest.mark.parametrize(
    "path",
    ["/c/no-such-campaign", "/c/UPPER", "/c/bad%00slug", "/c/" + "a" * 200, "/c/-x-"],
)
def test_unknown_or_malformed_slugs_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


@pytest.mark.parametrize("status", ["draft", "pending"])
def test_campaigns_not_yet_public_are_404_everywhere(app, client, make_campaign, status):
    campaign = make_campaign(status=status)
    page = f"/c/{campaign.slug}"
    assert client.get(page).status_code == 404
    assert client.get(f"{page}/count.json").status_code == 404
    assert client.post(f"{page}/sign", data=GOOD).status_code in (400, 404)
    assert nothing_stored(app)


def test_signing_a_closed_campaign_is_refused_clearly(app, client, make_campaign):
    campaign = make_campaign(status="closed")
    page = f"/c/{campaign.slug}"
    html = client.get(page).get_data(as_text=True)
    assert "no longer collecting signatures" in html
    assert 'action="/c/' not in html
    response = client.post(f"{page}/sign", data=GOOD, headers=SAME_ORIGIN)
    assert response.status_code == 409
    assert nothing_stored(app)


def test_signing_stops_by_itself_after_the_closing_date(app, client, make_campaign, frozen_clock):
    from datetime import timedelta

    campaign = make_campaign(closes_at=frozen_clock.now() + timedelta(hours=1))
    page = f"/c/{campaign.slug}"
    assert client.get(page).status_code == 200
    frozen_clock.advance(timedelta(hours=1))
    response = client.post(f"{page}/sign", data=GOOD, headers=SAME_ORIGIN)
    assert response.status_code == 409
    assert nothing_stored(app)


def test_a_method_the_sign_url_does_not_take_is_a_405_page(client, make_campaign):
    # A GET redirects to the campaign (tests/test_phone_review.py); others are refused.
    campaign = make_campaign()
    response = client.put(f"/c/{campaign.slug}/sign", headers=SAME_ORIGIN)
    assert response.status_code == 405
    assert "That did not work" in response.get_data(as_text=True)


def test_bytes_that_are_not_utf8_never_cause_an_error(app, client, make_campaign):
    campaign = make_campaign()
    page = f"/c/{campaign.slug}"
    body = "name=%FF%FE%ED%A0%80&email=ana%40example.org&zip_code=32801"
    response = client.post(
        f"{page}/sign", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (303, 422)
    with app.app_context():
        names = list(db.session.scalars(sa.select(Signature.name)))
    assert all("\ufffd" not in name and "\ud800" not in name for name in names)


def sign_under_a_limit(request, app_config, limit: str, emails: list[str]):
    """Sign one demand with each address in turn under PETITION_SIGN_RATE_LIMIT ``limit``."""
    from petition import ratelimits

    app_config.update(RATELIMIT_ENABLED=True, PETITION_SIGN_RATE_LIMIT=limit)
    app = request.getfixturevalue("app")
    client = app.test_client()
    page = f"/c/{request.getfixturevalue('make_campaign')().slug}"
    try:
        return app, [
            post_form(client, page, f"{page}/sign", {**GOOD, "email": email}) for email in emails
        ]
    finally:
        with app.app_context():
            ratelimits.reset()


def test_a_flood_of_signatures_from_one_address_is_slowed_with_a_429_page(
    request, database, app_config
):
    emails = [f"x{n}@example.org" for n in range(3)]
    _, statuses = sign_under_a_limit(request, app_config, "2 per minute", emails)
    assert [r.status_code for r in statuses] == [303, 303, 429]
    assert "Too many tries" in statuses[-1].get_data(as_text=True)
    assert statuses[-1].headers["Retry-After"] == "60"


def test_a_flood_of_forms_with_errors_is_slowed_too_and_the_refused_one_stores_nothing(
    request, database, app_config
):
    emails = ["not an address", "x@example.org", "y@example.org", "also not"]
    app, statuses = sign_under_a_limit(request, app_config, "2 per minute", emails)
    assert [r.status_code for r in statuses] == [422, 303, 429, 429]
    with app.app_context():
        assert db.session.scalars(sa.select(Signature.email)).all() == ["x@example.org"]


def test_rate_limits_can_live_in_redis_so_all_workers_share_them(request, database, app_config):
    import os

    import redis

    from petition import ratelimits

    server = redis.Redis.from_url("redis://127.0.0.1:6379")
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    pattern = "*signing.sign_campaign*"
    for key in server.keys(pattern):
        server.delete(key)
    app_config.update(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379",
        PETITION_SIGN_RATE_LIMIT="1 per minute",
    )
    app = request.getfixturevalue("app")
    campaign = request.getfixturevalue("make_campaign")()
    page = f"/c/{campaign.slug}"
    try:
        first = post_form(app.test_client(), page, f"{page}/sign", GOOD)
        # A second client (think: another gunicorn worker) sees the same counter.
        second = post_form(app.test_client(), page, f"{page}/sign", {**GOOD, "email": "b@x.org"})
        keys = server.keys(pattern)
    finally:
        for key in server.keys(pattern):
            server.delete(key)
        server.close()
        with app.app_context():
            ratelimits.reset()
    assert (first.status_code, second.status_code) == (303, 429)
    assert keys, "the counter should be stored in Redis"
    assert not any(b"127.0.0.1" in key for key in keys), "keyed by a hash of the address"


def test_every_limit_in_a_setting_holds_not_only_the_first(request, database, app_config):
    emails = [f"y{n}@example.org" for n in range(3)]
    _, statuses = sign_under_a_limit(request, app_config, "5 per minute; 2 per hour", emails)
    assert [r.status_code for r in statuses] == [303, 303, 429]
    assert statuses[-1].headers["Retry-After"] == "3600"


def test_a_campaign_closed_while_a_process_keeps_it_takes_no_more_signatures(
    app, client, make_campaign, frozen_clock
):
    # Each process keeps what signing reads of a campaign for a second, as it
    # keeps the page; the close, committed by another process meanwhile, holds.
    from petition.models import Campaign, CampaignStatus

    app.config["PETITION_PAGE_CACHE_SECONDS"] = 1
    campaign = make_campaign()
    sign = f"/c/{campaign.slug}/sign"
    assert client.post(sign, data=GOOD, headers=SAME_ORIGIN).status_code == 303
    with app.app_context():
        db.session.execute(
            sa.update(Campaign)
            .where(Campaign.id == campaign.id)
            .values(status=CampaignStatus.CLOSED)
        )
        db.session.commit()

    late = {**GOOD, "email": "late@example.org"}
    response = client.post(sign, data=late, headers=SAME_ORIGIN)

    assert response.status_code == 409
    assert "no longer collecting signatures" in response.get_data(as_text=True)
    # The answer to a signing is prepared before its write: a refused write sends none of it.
    assert "just_signed" not in response.headers.get("Set-Cookie", "")
    with app.app_context():
        assert db.session.scalars(sa.select(Signature.email)).all() == [GOOD["email"]]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1
