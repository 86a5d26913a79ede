"""How a demand's target answered: recorded by an organizer, shown under the demand."""

import re
from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header

import pytest
from sqlalchemy import func, select

from petition.extensions import db
from petition.models import CampaignStatus, CampaignUpdate, EvidenceEntry, TargetAnswer
from petition.outbox import deliver_due

from .fixtures_accounts import log_in
from .helpers import body_text, post_form

STATEMENT = {
    "kind": "statement",
    "summary": "Said the office is reviewing bail requests.",
    "source_url": "https://example.org/news/statement",
    "answered_on": "2026-03-02",
}


@pytest.fixture
def owner(client, make_user):
    user = make_user()
    log_in(client, user)
    return user


@pytest.fixture
def campaign(owner, make_owned_campaign):
    return make_owned_campaign(owner, title="End cash bail")


def record(client, campaign, **changes):
    page = f"/dashboard/campaigns/{campaign.id}/answer"
    return post_form(client, page, page, STATEMENT | changes)


def answers_stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(TargetAnswer))


def test_a_recorded_answer_shows_under_the_demand_with_its_source_and_permalink(
    app, client, campaign, frozen_clock
):
    response = record(client, campaign)

    assert response.status_code == 303
    page = client.get(f"/c/{campaign.slug}").get_data(as_text=True)
    section = page[page.index('id="answer-heading"') :]
    assert page.index('id="demand-heading"') < page.index('id="answer-heading"')
    assert "A statement" in section and "March 2, 2026" in section
    assert "Said the office is reviewing bail requests." in section
    assert 'href="https://example.org/news/statement"' in section
    assert re.search(r'id="answer-\d+"', section)


def test_days_since_delivery_count_until_the_target_answers(
    app, client, make_owned_campaign, owner, frozen_clock
):
    delivered = datetime(2026, 2, 20, 12, tzinfo=UTC)
    campaign = make_owned_campaign(owner, delivered_at=delivered, delivered_to="The DA")

    page = client.get(f"/c/{campaign.slug}").get_data(as_text=True)
    assert "11 days since delivery without an answer." in page
    assert page.count('href="#answer-heading"') == 1, "the delivery panel links to the answers"

    record(client, campaign, kind="no_response", source_url="", summary="Calls unreturned.")
    frozen_clock.advance(timedelta(days=2))
    page = client.get(f"/c/{campaign.slug}").get_data(as_text=True)
    assert "13 days since delivery without an answer." in page, "silence is not an answer"

    record(client, campaign)
    page = client.get(f"/c/{campaign.slug}").get_data(as_text=True)
    assert "since delivery without an answer" not in page
    assert "No response" in page and "A statement" in page, "both stay on the record"


def test_the_victory_panel_links_to_the_answers(client, make_owned_campaign, owner):
    campaign = make_owned_campaign(owner, status=CampaignStatus.WON)

    page = client.get(f"/c/{campaign.slug}").get_data(as_text=True)

    assert 'href="#answer-heading"' in page and 'id="answer-heading"' in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"source_url": ""}, "Enter a link to the source"),
        ({"source_url": "ftp://example.org/x"}, "Enter a web address starting with https://"),
        ({"kind": "threat"}, "Not a valid choice"),
        ({"summary": ""}, "Say what happened"),
        ({"answered_on": "2026-03-04"}, "The date cannot be in the future"),
    ],
)
def test_bad_answers_are_form_errors_and_store_nothing(
    app, client, campaign, frozen_clock, changes, message
):
    response = record(client, campaign, **changes)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert answers_stored(app) == 0


def test_a_draft_takes_no_answer(app, client, owner, make_owned_campaign, frozen_clock):
    draft = make_owned_campaign(owner, status=CampaignStatus.DRAFT)

    response = record(client, draft)

    assert response.status_code == 303
    assert "Publish the demand first" in client.get(response.location).get_data(as_text=True)
    assert answers_stored(app) == 0


@pytest.fixture
def mail_app(request, database, app_config, smtp):
    app_config.update(smtp.config)
    return request.getfixturevalue("app")


def test_an_answer_can_be_mailed_to_opted_in_signers_with_a_working_unsubscribe(
    mail_app, smtp, make_user, make_owned_campaign, add_signature, frozen_clock
):
    client = mail_app.test_client()
    owner = make_user()
    log_in(client, owner)
    campaign = make_owned_campaign(owner)
    add_signature(campaign, email="hears@example.net", wants_updates=True)
    add_signature(campaign, email="quiet@example.net")

    record(client, campaign, notify="y")
    with mail_app.app_context():
        deliver_due()

    [message] = smtp.received
    assert message["X-Envelope-To"] == "hears@example.net"
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == "Test Prosecutor answered: a statement"
    assert f"/c/{campaign.slug}#answer-" in body_text(message)
    [url] = re.findall(r"<(https?://[^>]+)>", message["List-Unsubscribe"])
    response = mail_app.test_client().post(url.split("petition.test", 1)[1])
    assert "You are unsubscribed" in response.get_data(as_text=True)


# -- the target's record in office -----------------------------------------


def target_of(app, campaign) -> int:
    from petition.models import Target

    with app.app_context():
        return db.session.scalar(select(Target.id).where(Target.campaign_id == campaign.id))


def add_target_evidence(client, campaign, target_id, entry=None, **changes):
    base = f"/dashboard/campaigns/{campaign.id}/targets/{target_id}/evidence"
    path = f"{base}/{entry}/correct" if entry else f"{base}/new"
    data = {
        "happened_on": "2026-03-01",
        "summary": "Stopped asking for cash bail in misdemeanor cases.",
        "source_url": "https://example.org/news/bail",
        "rating": "kept",
    } | changes
    return post_form(client, path, path, data)


def test_evidence_about_a_target_in_office_shows_on_the_public_record_with_corrections(
    app, client, campaign, frozen_clock, outbox
):
    target_id = target_of(app, campaign)

    assert add_target_evidence(client, campaign, target_id).status_code == 303
    with app.app_context():
        [wrong] = db.session.scalars(select(EvidenceEntry.id))
    response = add_target_evidence(
        client, campaign, target_id, entry=wrong, rating="compromise", summary="Only in one court."
    )

    assert response.status_code == 303
    page = client.get(f"/c/{campaign.slug}/record").get_data(as_text=True)
    assert "Test Prosecutor, Test County District Attorney" in page
    assert "Stopped asking for cash bail" in page and "Only in one court." in page
    assert "This corrects" in page and f'id="entry-{wrong}"' in page
    assert 'class="rating rating-compromise"' in page
    assert outbox() == [], "no mail unless asked"


def test_a_target_of_another_campaign_is_not_found(
    app, client, campaign, owner, make_owned_campaign, frozen_clock
):
    other = make_owned_campaign(owner)

    response = add_target_evidence(client, campaign, target_of(app, other))

    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(EvidenceEntry)) == 0


def test_target_evidence_can_be_announced_with_the_rating_change_as_subject(
    app, client, campaign, add_signature, frozen_clock, outbox
):
    add_signature(campaign, wants_updates=True)

    add_target_evidence(client, campaign, target_of(app, campaign), notify="y")

    [message] = outbox()
    assert message.subject == "Test Prosecutor's promise: Not yet rated → Kept"
    assert f"/c/{campaign.slug}/record#entry-" in message.body_text


# -- under moderation, updates posted with the record wait for review ------

AWAITS_REVIEW = "waits for a moderator"


def held_updates(app) -> list[bool]:
    with app.app_context():
        return [
            held_at is not None for held_at in db.session.scalars(select(CampaignUpdate.held_at))
        ]


def test_under_moderation_an_answer_announced_to_signers_waits_for_review(
    app, client, campaign, add_signature, frozen_clock, outbox
):
    app.config["PETITION_MODERATION"] = True
    add_signature(campaign, wants_updates=True)

    response = record(client, campaign, notify="y")

    assert response.status_code == 303
    assert AWAITS_REVIEW in client.get(response.headers["Location"]).get_data(as_text=True)
    assert held_updates(app) == [True]
    assert outbox() == []


def test_under_moderation_target_evidence_announced_to_signers_waits_for_review(
    app, client, campaign, add_signature, frozen_clock, outbox
):
    app.config["PETITION_MODERATION"] = True
    add_signature(campaign, wants_updates=True)

    response = add_target_evidence(client, campaign, target_of(app, campaign), notify="y")

    assert response.status_code == 303
    assert AWAITS_REVIEW in client.get(response.headers["Location"]).get_data(as_text=True)
    assert held_updates(app) == [True]
    assert outbox() == []
