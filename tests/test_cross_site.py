"""Supporter forms have no session token; the browser's own headers keep other sites out."""

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
