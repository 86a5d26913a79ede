"""Signing a demand: validation, one signature per person, and nothing leaked."""

import pytest
import sqlalchemy as sa

from petition.extensions import db
from petition.models import Signature

from .helpers import post_form

GOOD = {
    "name": "Maria Santos",
    "email": "maria@example.org",
    "zip_code": "70112",
    "comment": "For my sister.",
}


def sign(client, campaign, **fields):
    page = f"/c/{campaign.slug}"
    return post_form(client, page, f"{page}/sign", {**GOOD, **fields})


def signatures(app) -> list[Signature]:
    with app.app_context():
        rows = list(db.session.scalars(sa.select(Signature).order_by(Signature.id)))
        db.session.expunge_all()
        return rows


def test_signing_stores_an_unconfirmed_signature_and_queues_the_link(
    app, client, make_campaign, outbox
):
    campaign = make_campaign()

    response = sign(client, campaign)

    assert response.status_code == 303
    assert response.headers["Location"] == f"/c/{campaign.slug}/check-email#main"
    [signature] = signatures(app)
    assert signature.name == "Maria Santos"
    assert signature.email_normalized == "maria@example.org"
    assert signature.confirmed_at is None
    assert signature.show_publicly is False
    assert signature.ip_hash and "127.0.0.1" not in signature.ip_hash
    [message] = outbox()
    assert message.to_address == "maria@example.org"
    assert message.category == "confirm_signature"
    assert "http://petition.test/confirm/" in message.body_text


def test_check_email_page_tells_the_signer_what_to_do(client, make_campaign):
    campaign = make_campaign()
    response = client.get(f"/c/{campaign.slug}/check-email")
    assert "Now check your email" in response.get_data(as_text=True)


def test_public_display_is_off_unless_the_signer_chooses_it(app, client, make_campaign):
    campaign = make_campaign()
    sign(client, campaign, email="a@example.org")
    sign(client, campaign, email="b@example.org", show_publicly="y", wants_updates="y")
    first, second = signatures(app)
    assert (first.show_publicly, first.wants_updates) == (False, False)
    assert (second.show_publicly, second.wants_updates) == (True, True)


@pytest.mark.parametrize(
    "variant",
    [
        "MARIA@EXAMPLE.ORG",
        "  maria@example.org  ",
        "Maria@Example.Org",
    ],
)
def test_second_signature_with_same_email_is_not_stored(app, client, make_campaign, variant):
    campaign = make_campaign()
    sign(client, campaign)
    response = sign(client, campaign, email=variant, name="Someone Else")
    assert response.status_code == 303
    assert len(signatures(app)) == 1
    # Still pending, so the newest details replace the first (test_signing_replace.py).
    assert signatures(app)[0].name == "Someone Else"


@pytest.mark.parametrize(
    "variant",
    ["m.a.r.i.a+petitions@gmail.com", "MARIA@googlemail.com", "ma.ria@GMAIL.com"],
)
def test_gmail_dots_tags_and_googlemail_are_the_same_person(app, client, make_campaign, variant):
    campaign = make_campaign()
    sign(client, campaign, email="maria@gmail.com")
    sign(client, campaign, email=variant)
    assert [s.email_normalized for s in signatures(app)] == ["maria@gmail.com"]


def test_dots_matter_outside_gmail(app, client, make_campaign):
    campaign = make_campaign()
    sign(client, campaign, email="ma.ria@example.org")
    sign(client, campaign, email="maria@example.org")
    assert len(signatures(app)) == 2


def test_the_same_email_may_sign_different_campaigns(app, client, make_campaign):
    first, second = make_campaign(), make_campaign()
    sign(client, first)
    sign(client, second)
    assert len(signatures(app)) == 2


def test_every_outcome_shows_the_same_page(app, client, make_campaign, frozen_clock):
    campaign = make_campaign()
    new = sign(client, campaign)
    repeat = sign(client, campaign)
    assert new.status_code == repeat.status_code == 303
    assert new.headers["Location"] == repeat.headers["Location"]


def test_unconfirmed_signer_gets_the_link_again_at_most_every_ten_minutes(
    client, make_campaign, outbox, frozen_clock
):
    campaign = make_campaign()
    sign(client, campaign)
    sign(client, campaign)
    assert len(outbox()) == 1

    frozen_clock.advance(__import__("datetime").timedelta(minutes=10, seconds=1))
    sign(client, campaign)

    messages = outbox()
    assert [m.category for m in messages] == ["confirm_signature", "confirm_signature"]


def test_storing_and_queueing_happen_in_one_transaction(app, client, make_campaign, monkeypatch):
    campaign = make_campaign()

    def broken_queue(*args, **kwargs):
        raise RuntimeError("template exploded")

    monkeypatch.setattr("petition.signing.mail.queue_mail_later", broken_queue)
    app.testing = False  # let the error handler answer, as in production
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = sign(client, campaign)

    assert response.status_code == 500
    assert signatures(app) == []
