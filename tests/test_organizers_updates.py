"""Updates to signers: who gets mail, RFC 8058 headers, one-click unsubscribe."""

import re

import pytest
import sqlalchemy as sa

from petition.extensions import db
from petition.models import CampaignStatus, CampaignUpdate, Signature
from petition.organizers import updates

from .fixtures_accounts import log_in
from .helpers import path_of, post_form


@pytest.fixture
def owner(client, make_user):
    user = make_user()
    log_in(client, user)
    return user


@pytest.fixture
def campaign(owner, make_owned_campaign):
    return make_owned_campaign(owner, title="End cash bail")


def send(client, campaign, subject="We delivered!", body="Thank you, **all** of you."):
    page = f"/dashboard/campaigns/{campaign.id}/updates/new"
    return post_form(client, page, page, {"subject": subject, "body": body, "send": "Send"})


def unsubscribe_link(message) -> str:
    [url] = re.findall(r"<(https?://[^>]+)>", message.headers["List-Unsubscribe"])
    return path_of(url)


def test_an_update_is_mailed_only_to_confirmed_opted_in_subscribed_signers(
    app, client, campaign, add_signature, outbox
):
    add_signature(campaign, email="yes@example.net", wants_updates=True)
    add_signature(campaign, email="quiet@example.net", wants_updates=False)
    add_signature(campaign, email="pending@example.net", wants_updates=True, confirmed=False)
    add_signature(campaign, email="gone@example.net", wants_updates=True, withdrawn=True)
    add_signature(campaign, email="stop@example.net", wants_updates=True, unsubscribed=True)

    response = send(client, campaign)

    assert response.status_code == 303
    assert [m.to_address for m in outbox()] == ["yes@example.net"]
    with app.app_context():
        [item] = db.session.scalars(sa.select(CampaignUpdate)).all()
        assert item.recipient_count == 1
        assert item.sent_at is not None


def test_each_mail_has_one_click_unsubscribe_headers_and_link(
    client, campaign, add_signature, outbox
):
    add_signature(campaign, name="Ana Lopez", email="ana@example.net", wants_updates=True)
    send(client, campaign)

    [message] = outbox()
    assert message.category == "update"
    assert message.subject == "We delivered!"
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(
        r"<http://petition\.test/unsubscribe/[^>]+>", message.headers["List-Unsubscribe"]
    )
    url = message.headers["List-Unsubscribe"][1:-1]
    assert url in message.body_text
    assert url in message.body_html
    assert "Hello Ana Lopez" in message.body_text
    assert "<strong>all</strong>" in message.body_html


def test_the_update_shows_on_the_public_page(client, campaign, add_signature):
    send(client, campaign, subject="Hearing on Monday", body="Come to *court*.")
    page = client.get(f"/c/{campaign.slug}").get_data(as_text=True)
    assert "Hearing on Monday" in page
    assert "<em>court</em>" in page


def test_a_long_list_is_queued_in_batches_the_worker_finishes(
    app, client, campaign, add_signature, outbox, monkeypatch
):
    monkeypatch.setattr(updates, "BATCH_SIZE", 2)
    for number in range(5):
        add_signature(campaign, email=f"s{number}@example.net", wants_updates=True)

    response = send(client, campaign)

    assert len(outbox()) == 2  # the first batch, with the request
    assert "2 so far" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert updates.queue_pending_updates(max_batches=1) == 1
    assert len(outbox()) == 4
    with app.app_context():
        assert updates.queue_pending_updates() == 1
        assert updates.queue_pending_updates() == 0  # nothing left to do
        item = db.session.scalar(sa.select(CampaignUpdate))
        assert (item.recipient_count, item.is_sending) == (5, False)
    assert sorted(m.to_address for m in outbox()) == [f"s{n}@example.net" for n in range(5)]


def test_the_outbox_worker_queues_pending_update_mail(
    app, client, runner, campaign, add_signature, outbox, monkeypatch
):
    monkeypatch.setattr(updates, "BATCH_SIZE", 2)
    for number in range(3):
        add_signature(campaign, email=f"s{number}@example.net", wants_updates=True)
    send(client, campaign)

    result = runner.invoke(args=["outbox", "work", "--once"])

    assert result.exit_code == 0, result.output
    assert len(outbox()) == 3


def test_a_batch_taken_by_another_worker_is_not_queued_twice(
    app, client, campaign, add_signature, outbox, monkeypatch
):
    monkeypatch.setattr(updates, "BATCH_SIZE", 1)
    add_signature(campaign, email="a@example.net", wants_updates=True)
    add_signature(campaign, email="b@example.net", wants_updates=True)
    send(client, campaign)
    with app.app_context():
        stale = db.session.scalar(sa.select(CampaignUpdate))
        db.session.expunge(stale)
        updates.queue_pending_updates(max_batches=1)  # another worker moves on
        stale = db.session.merge(stale, load=False)
        with pytest.raises(updates.ConcurrentBatch):
            updates.queue_next_batch(stale)
        db.session.rollback()
    assert sorted(m.to_address for m in outbox()) == ["a@example.net", "b@example.net"]


def test_one_click_unsubscribe_works_without_login_or_csrf_and_only_once(
    app, client, campaign, add_signature, outbox
):
    signature_id = add_signature(campaign, email="ana@example.net", wants_updates=True)
    send(client, campaign)
    link = unsubscribe_link(outbox()[0])
    visitor = app.test_client()  # a mail provider: no session, no CSRF token

    first = visitor.post(link, data={"List-Unsubscribe": "One-Click"})
    second = visitor.post(link, data={"List-Unsubscribe": "One-Click"})

    assert first.status_code == 200
    assert "You are unsubscribed" in first.get_data(as_text=True)
    assert second.status_code == 200
    assert "already unsubscribed" in second.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Signature, signature_id).unsubscribed_at is not None


def test_opening_the_unsubscribe_link_only_asks(app, client, campaign, add_signature, outbox):
    signature_id = add_signature(campaign, email="ana@example.net", wants_updates=True)
    send(client, campaign)
    link = unsubscribe_link(outbox()[0])

    page = app.test_client().get(link)

    assert page.status_code == 200
    assert "Stop updates about “End cash bail”?" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Signature, signature_id).unsubscribed_at is None


def test_an_unsubscribed_signer_gets_no_further_updates(
    app, client, campaign, add_signature, outbox
):
    add_signature(campaign, email="ana@example.net", wants_updates=True)
    add_signature(campaign, email="ben@example.net", wants_updates=True)
    send(client, campaign, subject="First")
    ana = next(m for m in outbox() if m.to_address == "ana@example.net")
    app.test_client().post(unsubscribe_link(ana))

    send(client, campaign, subject="Second")

    second = [m.to_address for m in outbox() if m.subject == "Second"]
    assert second == ["ben@example.net"]


@pytest.mark.parametrize("token", ["nonsense", "a" * 300, "eyJzIjoxfQ.bad.sig"])
def test_a_bad_unsubscribe_link_is_a_clear_400(client, token):
    assert client.get(f"/unsubscribe/{token}").status_code == 400
    response = client.post(f"/unsubscribe/{token}")
    assert response.status_code == 400
    assert "does not work" in response.get_data(as_text=True)


def test_a_token_from_another_purpose_cannot_unsubscribe(app, client, campaign, add_signature):
    from petition.tokens import signature_confirm_token

    signature_id = add_signature(campaign, wants_updates=True)
    with app.test_request_context():
        token = signature_confirm_token(signature_id)
    assert client.post(f"/unsubscribe/{token}").status_code == 400


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"subject": "", "body": "x"}, "Enter a subject"),
        ({"subject": "x", "body": ""}, "Write the update"),
        ({"subject": "Two\r\nBcc: victim@example.org", "body": "x"}, "cannot accept"),
        ({"subject": "s" * 201, "body": "x"}, "200 characters"),
    ],
)
def test_bad_update_input_gets_form_errors_and_sends_nothing(
    client, campaign, add_signature, outbox, data, message
):
    add_signature(campaign, wants_updates=True)
    page = f"/dashboard/campaigns/{campaign.id}/updates/new"
    response = post_form(client, page, page, {**data, "send": "Send"})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert outbox() == []


def test_preview_sends_nothing(client, campaign, add_signature, outbox):
    add_signature(campaign, wants_updates=True)
    page = f"/dashboard/campaigns/{campaign.id}/updates/new"
    response = post_form(
        client, page, page, {"subject": "Hi", "body": "**Bold** news", "preview": "Preview"}
    )
    assert "<strong>Bold</strong> news" in response.get_data(as_text=True)
    assert outbox() == []


def test_a_draft_cannot_send_updates(client, owner, make_owned_campaign, outbox):
    draft = make_owned_campaign(owner, status=CampaignStatus.DRAFT)
    page = f"/dashboard/campaigns/{draft.id}"
    response = post_form(
        client, page, f"{page}/updates/new", {"subject": "Hi", "body": "x", "send": "Send"}
    )
    assert response.status_code == 303
    assert outbox() == []
