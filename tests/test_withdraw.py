"""A signer can take their name back at any time, from a link in their email."""

from datetime import timedelta

from petition.extensions import db
from petition.models import Campaign, Signature

from .helpers import SAME_ORIGIN, links, path_of, post_form

GOOD = {"name": "Quinn Sample", "email": "quinn@example.org", "zip_code": "27834"}


def sign_and_confirm(client, campaign, outbox):
    page = f"/c/{campaign.slug}"
    post_form(client, page, f"{page}/sign", GOOD)
    body = outbox()[-1].body_text
    confirm = path_of(next(url for url in links(body) if "/confirm/" in url))
    withdraw = path_of(next(url for url in links(body) if "/withdraw/" in url))
    client.post(confirm, headers=SAME_ORIGIN)
    return withdraw


def counted(app, campaign) -> int:
    with app.app_context():
        return db.session.get(Campaign, campaign.id).signature_count


def test_the_confirmation_email_carries_a_withdraw_link(client, make_campaign, outbox):
    campaign = make_campaign()
    post_form(client, f"/c/{campaign.slug}", f"/c/{campaign.slug}/sign", GOOD)
    assert "http://petition.test/withdraw/" in outbox()[0].body_text
    assert 'href="http://petition.test/withdraw/' in outbox()[0].body_html


def test_opening_the_withdraw_link_changes_nothing(app, client, make_campaign, outbox):
    campaign = make_campaign()
    withdraw = sign_and_confirm(client, campaign, outbox)
    page = client.get(withdraw).get_data(as_text=True)
    assert "Remove my signature" in page
    assert counted(app, campaign) == 1


def test_withdrawing_uncounts_the_signature_once(app, client, make_campaign, outbox, frozen_clock):
    campaign = make_campaign()
    withdraw = sign_and_confirm(client, campaign, outbox)
    frozen_clock.advance(timedelta(days=400))  # long after the confirmation link died

    first = client.post(withdraw, headers=SAME_ORIGIN)
    second = client.post(withdraw, headers=SAME_ORIGIN)

    assert first.status_code == second.status_code == 200
    assert "Your signature has been removed" in second.get_data(as_text=True)
    assert counted(app, campaign) == 0
    with app.app_context():
        assert db.session.get(Signature, 1).withdrawn_at is not None


def test_someone_who_withdrew_can_sign_again(app, client, make_campaign, outbox, frozen_clock):
    campaign = make_campaign()
    withdraw = sign_and_confirm(client, campaign, outbox)
    client.post(withdraw, headers=SAME_ORIGIN)

    sign_and_confirm(client, campaign, outbox)

    assert counted(app, campaign) == 1


def test_a_tampered_withdraw_link_is_a_400(app, client, make_campaign, outbox):
    campaign = make_campaign()
    withdraw = sign_and_confirm(client, campaign, outbox)
    assert client.get(withdraw[:-2] + "xx").status_code == 400
    confirm_token = withdraw.replace("/withdraw/", "/confirm/")
    assert client.get(confirm_token).status_code == 400  # a withdraw token confirms nothing
    assert counted(app, campaign) == 1


def test_an_old_confirmation_link_cannot_bring_back_a_withdrawn_signature(
    app, client, make_campaign, outbox
):
    campaign = make_campaign()
    page = f"/c/{campaign.slug}"
    post_form(client, page, f"{page}/sign", GOOD)
    body = outbox()[-1].body_text
    confirm = path_of(next(url for url in links(body) if "/confirm/" in url))
    withdraw = path_of(next(url for url in links(body) if "/withdraw/" in url))
    client.post(withdraw, headers=SAME_ORIGIN)

    response = client.post(confirm, headers=SAME_ORIGIN)

    assert response.headers["Location"].endswith(confirm)
    assert "This signature was withdrawn" in client.get(confirm).get_data(as_text=True)
    assert counted(app, campaign) == 0


def test_a_withdrawal_posted_from_another_site_is_refused(app, client, make_campaign, outbox):
    campaign = make_campaign()
    withdraw = sign_and_confirm(client, campaign, outbox)

    response = client.post(withdraw, headers={"Origin": "https://evil.example"})

    assert response.status_code == 403
    assert counted(app, campaign) == 1


def test_a_link_from_an_earlier_signing_acts_on_nothing_after_the_address_signs_again(
    app, client, make_campaign, outbox, frozen_clock
):
    """Issue 9, finding 10: a used link once counted the next signing of the same address."""
    campaign = make_campaign()
    page = f"/c/{campaign.slug}"
    post_form(client, page, f"{page}/sign", GOOD)
    first = outbox()[-1].body_text
    old_confirm = path_of(next(url for url in links(first) if "/confirm/" in url))
    old_withdraw = path_of(next(url for url in links(first) if "/withdraw/" in url))
    client.post(old_confirm, headers=SAME_ORIGIN)
    client.post(old_withdraw, headers=SAME_ORIGIN)
    frozen_clock.advance(timedelta(minutes=11))  # past the resend throttle
    post_form(client, page, f"{page}/sign", {**GOOD, "name": "Someone Else"})
    assert counted(app, campaign) == 0

    replayed = client.post(old_confirm, headers=SAME_ORIGIN)

    assert replayed.status_code == 400
    assert "from an earlier email" in replayed.get_data(as_text=True)
    assert client.post(old_withdraw, headers=SAME_ORIGIN).status_code == 400
    assert counted(app, campaign) == 0
    fresh = path_of(next(u for u in links(outbox()[-1].body_text) if "/confirm/" in u))
    assert client.post(fresh, headers=SAME_ORIGIN).status_code == 303
    assert counted(app, campaign) == 1
