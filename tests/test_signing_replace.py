"""A newer submission replaces a pending signature's details; confirming shows what counts."""

from datetime import timedelta

import sqlalchemy as sa

from petition.extensions import db
from petition.models import Campaign, Signature

from .helpers import SAME_ORIGIN, links, path_of, post_form

OWNER = {"name": "Dana Whitfield", "email": "dana@example.org", "zip_code": "75201"}
IMPOSTOR = {
    **OWNER,
    "name": "Dana Whitfield",
    "zip_code": "75202",
    "comment": "Lock them all up and throw away the key.",
    "show_publicly": "y",
    "wants_updates": "y",
}


def sign(client, campaign, fields):
    page = f"/c/{campaign.slug}"
    return post_form(client, page, f"{page}/sign", fields)


def confirm_links(outbox) -> list[str]:
    return [
        path_of(url)
        for message in outbox()
        for url in links(message.body_text)
        if "/confirm/" in url
    ]


def the_signature(app) -> Signature:
    with app.app_context():
        [signature] = db.session.scalars(sa.select(Signature))
        db.session.expunge(signature)
        return signature


def count(app, campaign) -> int:
    with app.app_context():
        return db.session.get(Campaign, campaign.id).signature_count


def test_the_owners_later_submission_replaces_what_an_impostor_attached(
    app, client, make_campaign, outbox, frozen_clock
):
    campaign = make_campaign()
    sign(client, campaign, IMPOSTOR)
    frozen_clock.advance(timedelta(minutes=11))  # past the resend throttle

    sign(client, campaign, OWNER)

    signature = the_signature(app)
    assert (signature.comment, signature.show_publicly, signature.wants_updates) == (
        None,
        False,
        False,
    )
    assert signature.zip_code == "75201"
    assert signature.confirmed_at is None


def test_a_link_mailed_for_replaced_details_confirms_nothing(
    app, client, make_campaign, outbox, frozen_clock
):
    campaign = make_campaign()
    sign(client, campaign, IMPOSTOR)
    [impostors_link] = confirm_links(outbox)  # the worker renders and sends it
    frozen_clock.advance(timedelta(minutes=11))
    sign(client, campaign, OWNER)
    [owners_link] = confirm_links(outbox)[1:]

    assert client.post(impostors_link, headers=SAME_ORIGIN).status_code == 400
    assert count(app, campaign) == 0
    assert client.post(owners_link, headers=SAME_ORIGIN).status_code == 303
    assert count(app, campaign) == 1
    assert the_signature(app).comment is None


def test_a_replacement_inside_the_resend_interval_is_stored_but_not_mailed(
    app, client, make_campaign, outbox, frozen_clock
):
    campaign = make_campaign()
    sign(client, campaign, OWNER)
    [first_link] = confirm_links(outbox)  # the worker renders and sends it
    sign(client, campaign, IMPOSTOR)

    assert len(confirm_links(outbox)) == 1
    assert the_signature(app).comment == IMPOSTOR["comment"]
    # The link mailed for the owner's details does not confirm the newer ones.
    assert client.post(first_link, headers=SAME_ORIGIN).status_code == 400
    assert count(app, campaign) == 0


def test_a_confirmed_signature_is_never_replaced(app, client, make_campaign, outbox, frozen_clock):
    campaign = make_campaign()
    sign(client, campaign, OWNER)
    [link] = confirm_links(outbox)
    client.post(link, headers=SAME_ORIGIN)
    frozen_clock.advance(timedelta(minutes=11))

    sign(client, campaign, IMPOSTOR)

    signature = the_signature(app)
    assert (signature.comment, signature.show_publicly) == (None, False)
    assert count(app, campaign) == 1
    assert [m.category for m in outbox()] == ["confirm_signature", "already_signed"]


def test_the_confirm_page_shows_every_detail_being_confirmed(client, make_campaign, outbox):
    campaign = make_campaign()
    sign(client, campaign, IMPOSTOR)
    [link] = confirm_links(outbox)

    page = client.get(link).get_data(as_text=True)

    assert "Dana Whitfield" in page
    assert "75202" in page
    assert "Lock them all up and throw away the key." in page
    assert "Shown publicly</dt><dd>Yes" in page
    assert "Email updates</dt><dd>Yes" in page


def test_the_confirm_page_says_no_comment_and_no_opt_ins(client, make_campaign, outbox):
    campaign = make_campaign()
    sign(client, campaign, OWNER)
    [link] = confirm_links(outbox)

    page = client.get(link).get_data(as_text=True)

    assert "Comment</dt><dd>None" in page
    assert "Shown publicly</dt><dd>No" in page
    assert "Email updates</dt><dd>No" in page
