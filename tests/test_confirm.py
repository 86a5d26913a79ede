"""Confirming a signature by email: scanners cannot confirm, people can, once."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from petition.extensions import db
from petition.models import Campaign, Signature
from petition.tokens import signature_confirm_token

from .helpers import SAME_ORIGIN, links, path_of, post_form

GOOD = {"name": "Dana Whitfield", "email": "dana@example.org", "zip_code": "75201"}


def sign(client, campaign, **fields):
    page = f"/c/{campaign.slug}"
    return post_form(client, page, f"{page}/sign", {**GOOD, **fields})


def confirm_path(outbox) -> str:
    [link] = [url for url in links(outbox()[-1].body_text) if "/confirm/" in url]
    return path_of(link)


def state(app, campaign) -> tuple[int, list[bool]]:
    with app.app_context():
        count = db.session.get(Campaign, campaign.id).signature_count
        confirmed = list(
            db.session.scalars(
                sa.select(Signature.confirmed_at.is_not(None)).order_by(Signature.id)
            )
        )
        return count, confirmed


def confirm(client, path, campaign):
    """POST the confirm form as the browser showing the confirm page does."""
    return client.post(path, headers=SAME_ORIGIN)


def test_opening_the_link_does_not_confirm(app, client, make_campaign, outbox):
    campaign = make_campaign()
    sign(client, campaign)
    path = confirm_path(outbox)

    response = client.get(path)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Confirm my signature" in page
    assert campaign.title in page
    assert state(app, campaign) == (0, [False])


def test_tapping_confirm_counts_the_signature_and_thanks_the_signer(
    app, client, make_campaign, outbox
):
    campaign = make_campaign()
    sign(client, campaign)

    response = confirm(client, confirm_path(outbox), campaign)

    assert response.status_code == 303
    assert response.headers["Location"] == f"/c/{campaign.slug}/thanks"
    assert state(app, campaign) == (1, [True])
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "your signature counts" in thanks
    assert "https://wa.me/?text=" in thanks
    assert f"http%3A//petition.test/c/{campaign.slug}" in thanks
    assert client.get(f"/c/{campaign.slug}/count.json").json["signatures"] == 1


def test_confirming_again_is_harmless(app, client, make_campaign, outbox):
    campaign = make_campaign()
    sign(client, campaign)
    path = confirm_path(outbox)
    client.post(path, headers=SAME_ORIGIN)

    again = client.post(path, headers=SAME_ORIGIN)

    assert again.status_code == 303
    assert state(app, campaign) == (1, [True])
    assert "already confirmed" in client.get(path).get_data(as_text=True)


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}],
    ids=["origin", "fetch-metadata"],
)
def test_a_confirmation_posted_from_another_site_counts_nothing(
    app, client, make_campaign, outbox, headers
):
    campaign = make_campaign()
    sign(client, campaign)

    response = client.post(confirm_path(outbox), headers=headers)

    assert response.status_code == 403
    assert "sent from another website" in response.get_data(as_text=True)
    assert state(app, campaign) == (0, [False])


def test_each_confirmed_signer_counts_once(app, client, make_campaign, outbox):
    campaign = make_campaign()
    for number in range(3):
        sign(client, campaign, email=f"person{number}@example.org")
        confirm(client, confirm_path(outbox), campaign)
    assert state(app, campaign) == (3, [True, True, True])


def test_a_confirmed_signer_who_signs_again_gets_a_thank_you_not_a_second_count(
    app, client, make_campaign, outbox, frozen_clock
):
    campaign = make_campaign()
    sign(client, campaign)
    confirm(client, confirm_path(outbox), campaign)
    frozen_clock.advance(timedelta(minutes=11))

    sign(client, campaign, email="DANA@example.org")

    assert [m.category for m in outbox()] == ["confirm_signature", "already_signed"]
    assert state(app, campaign) == (1, [True])


def test_the_email_has_a_text_part_with_the_absolute_link_and_an_html_part(
    client, make_campaign, outbox
):
    campaign = make_campaign()
    sign(client, campaign)
    [message] = outbox()
    assert "http://petition.test/confirm/" in message.body_text
    assert 'href="http://petition.test/confirm/' in message.body_html
    assert campaign.title in message.subject


def test_a_tampered_token_gets_a_friendly_400(app, client, make_campaign, outbox):
    campaign = make_campaign()
    sign(client, campaign)
    path = confirm_path(outbox)
    tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")

    for response in (client.get(tampered), confirm(client, tampered, campaign)):
        assert response.status_code == 400
        assert "This link does not work" in response.get_data(as_text=True)
    assert state(app, campaign) == (0, [False])


def test_garbage_tokens_get_a_friendly_400(client):
    for token in ["garbage", "a.b.c", "%00", "x" * 600, "eyJzIjoxfQ.AAAA.BBBB"]:
        response = client.get(f"/confirm/{token}")
        assert response.status_code == 400, token


def test_a_token_for_another_purpose_is_refused(app, client, make_campaign, outbox):
    from petition.tokens import dump

    campaign = make_campaign()
    sign(client, campaign)
    with app.app_context():
        forged = dump("some-other-purpose", {"s": 1})
    assert client.get(f"/confirm/{forged}").status_code == 400


def test_an_expired_token_offers_a_fresh_link(app, client, make_campaign, outbox, frozen_clock):
    campaign = make_campaign()
    sign(client, campaign)
    path = confirm_path(outbox)

    frozen_clock.advance(timedelta(days=7, seconds=1))
    response = client.get(path)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This link has expired" in page
    assert f'href="/c/{campaign.slug}#sign-heading"' in page
    assert confirm(client, path, campaign).status_code == 400
    assert state(app, campaign) == (0, [False])


def test_a_token_still_works_just_before_it_expires(
    app, client, make_campaign, outbox, frozen_clock
):
    campaign = make_campaign()
    sign(client, campaign)
    path = confirm_path(outbox)
    frozen_clock.advance(timedelta(days=6, hours=23))
    assert confirm(client, path, campaign).status_code == 303
    assert state(app, campaign) == (1, [True])


def test_the_token_lifetime_is_configurable(app, client, make_campaign, outbox, frozen_clock):
    app.config["PETITION_CONFIRM_MAX_AGE"] = 3600
    campaign = make_campaign()
    sign(client, campaign)
    path = confirm_path(outbox)  # the link's hour starts when the mail is written
    frozen_clock.advance(timedelta(hours=1, seconds=1))
    assert client.get(path).status_code == 400


def test_a_token_for_a_deleted_signature_is_a_400(app, client, make_campaign):
    campaign = make_campaign()
    with app.app_context():
        token = signature_confirm_token(999_999)
    assert client.get(f"/confirm/{token}").status_code == 400
    assert client.post(f"/confirm/{token}", headers=SAME_ORIGIN).status_code == 400
    assert state(app, campaign) == (0, [])


def test_confirming_after_the_campaign_closed_is_refused_clearly(
    app, client, make_campaign, outbox
):
    campaign = make_campaign()
    sign(client, campaign)
    path = confirm_path(outbox)
    assert client.get(path).status_code == 200
    with app.app_context():
        db.session.get(Campaign, campaign.id).status = "closed"
        db.session.commit()

    response = client.post(path, headers=SAME_ORIGIN)

    assert response.status_code == 409
    assert "no longer collecting signatures" in response.get_data(as_text=True)
    assert state(app, campaign) == (0, [False])
