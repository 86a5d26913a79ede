"""campaign.answered: a webhook event for each answer recorded from a demand's target."""

import json

import pytest

from .fixtures_accounts import log_in
from .helpers import free_port
from .test_target_answers import record as record_answer
from .test_webhooks import PAGE, deliveries, register, registered_secret, verifies, work
from .webhook_receiver import Receiver


@pytest.fixture
def app_config(app_config):
    app_config["PETITION_WEBHOOK_ALLOW_PRIVATE"] = True  # the receiver is on 127.0.0.1
    return app_config


@pytest.fixture
def receiver():
    running = Receiver(free_port())
    running.start()
    yield running
    running.stop()


@pytest.fixture
def organizer(client, make_user, make_owned_campaign, frozen_clock):
    owner = make_user()
    log_in(client, owner)
    return make_owned_campaign(owner, title="End cash bail")


def test_the_webhook_page_offers_the_answer_event(client, organizer):
    page = client.get(PAGE).get_data(as_text=True)

    assert "campaign.answered" in page
    assert 'name="event_campaign_answered"' in page


def test_a_recorded_answer_reaches_the_receiver_signed_with_its_permalink(
    app, client, organizer, receiver
):
    secret = registered_secret(register(client, receiver.url, events=["campaign.answered"]))

    assert record_answer(client, organizer).status_code == 303
    work(app)

    [row] = deliveries(app)
    assert (row.event_type, row.status) == ("campaign.answered", "delivered")
    [(headers, body)] = receiver.received
    assert verifies(secret, headers, body)
    assert headers["Petition-Event-Type"] == "campaign.answered"
    answer = json.loads(body)["data"]["answer"]
    assert json.loads(body)["data"]["campaign"] == organizer.slug
    assert answer["kind"] == "statement" and answer["is_answer"] is True
    assert answer["answered_on"] == "2026-03-02"
    assert answer["source_url"] == "https://example.org/news/statement"
    assert answer["permalink"] == f"http://petition.test/c/{organizer.slug}#answer-{answer['id']}"


def test_silence_recorded_is_sent_too_and_only_to_endpoints_that_chose_it(
    app, client, organizer, receiver
):
    register(client, receiver.url, events=["pledge.answered"])

    record_answer(client, organizer, kind="no_response", source_url="", summary="No reply.")
    assert deliveries(app) == [], "an endpoint that did not choose the event gets nothing"

    register(client, receiver.url, events=["campaign.answered"])
    record_answer(client, organizer, kind="no_response", source_url="", summary="Still none.")

    [row] = deliveries(app)
    answer = json.loads(row.body)["data"]["answer"]
    assert (answer["kind"], answer["is_answer"], answer["source_url"]) == (
        "no_response",
        False,
        None,
    )


def test_a_refused_answer_sends_nothing(app, client, organizer, receiver):
    register(client, receiver.url, events=["campaign.answered"])

    record_answer(client, organizer, answered_on="2099-01-01")

    assert deliveries(app) == []
