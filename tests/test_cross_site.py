"""Supporter forms have no session token; the browser's own headers keep other sites out."""

import re

import pytest
import sqlalchemy as sa

from petition.extensions import db
from petition.models import OutboxMessage, Signature

GOOD = {"name": "Sam Example", "email": "sam@example.org", "zip_code": "70112"}

CROSS_SITE = [
    {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
    {"Sec-Fetch-Site": "same-site", "Origin": "https://sub.localhost"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Origin": "https://evil.example"},  # an older browser: no Fetch Metadata
    {"Origin": "null"},  # a sandboxed frame
]
SAME_SITE = [
    {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"},
    {"Origin": "http://localhost"},
    {"Origin": "http://petition.test"},  # the configured PETITION_BASE_URL, behind a proxy
    {},  # not a browser at all: a script can forge anything, so nothing is gained
]


def stored(app) -> tuple[int, int]:
    with app.app_context():
        signatures = db.session.scalar(sa.select(sa.func.count()).select_from(Signature))
        mail = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))
        return signatures, mail


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_a_signature_forged_from_another_site_is_refused(app, client, make_campaign, headers):
    campaign = make_campaign()

    response = client.post(f"/c/{campaign.slug}/sign", data=GOOD, headers=headers)

    assert response.status_code == 403
    assert "sent from another website" in response.get_data(as_text=True)
    assert stored(app) == (0, 0)


@pytest.mark.parametrize("headers", CROSS_SITE[:2])
def test_backing_a_pledge_from_another_site_is_refused(app, client, make_pledge, headers):
    pledge = make_pledge()
    before = stored(app)

    response = client.post(f"{pledge.url}/back", data=GOOD, headers=headers)

    assert response.status_code == 403
    assert stored(app) == before


@pytest.mark.parametrize("headers", SAME_SITE)
def test_a_signature_from_the_site_itself_is_accepted(app, client, make_campaign, headers):
    campaign = make_campaign()

    response = client.post(f"/c/{campaign.slug}/sign", data=GOOD, headers=headers)

    assert response.status_code == 303
    assert stored(app) == (1, 1)


def test_organizer_forms_still_need_the_session_token(client, make_user):
    from .fixtures_accounts import log_in

    log_in(client, make_user())
    response = client.post(
        "/dashboard/campaigns/new",
        data={"title": "No token"},
        headers={"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"},
    )
    assert response.status_code == 400
    assert "Your form expired" in response.get_data(as_text=True)


def test_one_click_unsubscribe_from_a_mail_provider_works_but_not_from_another_site(
    app, client, make_campaign, add_signature
):
    from petition.tokens import unsubscribe_token

    campaign = make_campaign()
    signature_id = add_signature(campaign, wants_updates=True)
    with app.test_request_context():
        path = f"/unsubscribe/{unsubscribe_token(signature_id)}"

    forged = client.post(path, headers={"Sec-Fetch-Site": "cross-site"})
    provider = client.post(path, data={"List-Unsubscribe": "One-Click"})

    assert forged.status_code == 403
    assert provider.status_code == 200 and "You are unsubscribed" in provider.get_data(True)


def test_every_other_form_needs_the_session_token(app, client, make_user):
    """Only the supporter forms trade Flask-WTF's token for the same-origin check."""
    from petition.extensions import csrf

    from .fixtures_accounts import log_in

    supporter_forms = set()
    keyed_apis = set()
    posted = []
    log_in(client, make_user())
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        view = app.view_functions[rule.endpoint]
        if f"{view.__module__}.{view.__name__}" in csrf._exempt_views:
            supporter_forms.add(rule.endpoint)
            continue
        if rule.endpoint.partition(".")[0] in {bp.name for bp in csrf._exempt_blueprints}:
            # Bearer-key APIs: a browser never adds an Authorization header by itself.
            keyed_apis.add(rule.endpoint.partition(".")[0])
            continue
        path = rule.rule
        for name, value in (("slug", "test-campaign-1"), ("token", "x.y.z")):
            path = path.replace(f"<slug:{name}>", value).replace(f"<{name}>", value)
        path = re.sub(r"<id:\w+>", "1", path)
        response = client.post(path, headers={"Sec-Fetch-Site": "same-origin"})
        posted.append((rule.endpoint, response.status_code))

    assert supporter_forms == {
        "signing.sign_campaign",
        "signing.confirm_post",
        "signing.withdraw_post",
        "signing.unsubscribe_post",
        "pledges.back",
        # "Send the email again": its SameSite=Lax cookie never rides a cross-site POST.
        "signing.resend",
        "pledges.resend",
        # The language switch is on every page, cached ones included; it sets only its cookie.
        "language.switch",
    }
    assert keyed_apis == {"organizer_api"}
    assert posted and all(status == 400 for _, status in posted), posted


def test_a_refused_cross_site_post_does_not_use_up_the_visitors_limit(
    request, database, app_config
):
    from petition import ratelimits

    app_config.update(RATELIMIT_ENABLED=True, PETITION_SIGN_RATE_LIMIT="1 per minute")
    app = request.getfixturevalue("app")
    client = app.test_client()
    campaign = request.getfixturevalue("make_campaign")()
    try:
        for _ in range(3):
            forged = client.post(f"/c/{campaign.slug}/sign", data=GOOD, headers=CROSS_SITE[0])
            assert forged.status_code == 403
        own = client.post(f"/c/{campaign.slug}/sign", data=GOOD, headers=SAME_SITE[0])
    finally:
        with app.app_context():
            ratelimits.reset()
    assert own.status_code == 303


def test_pages_reached_by_a_private_link_are_never_stored(app, client, make_campaign, outbox):
    from .helpers import SAME_ORIGIN, links, path_of

    campaign = make_campaign()
    client.post(f"/c/{campaign.slug}/sign", data=GOOD, headers=SAME_ORIGIN)
    body = outbox()[-1].body_text
    for fragment in ("/confirm/", "/withdraw/"):
        [url] = [u for u in links(body) if fragment in u]
        response = client.get(path_of(url))
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-store"
