"""Signed webhooks: registered on the organizer's page, queued with their event, retried, logged."""

import hashlib
import hmac
import json
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from petition.extensions import db
from petition.models import Signature, WebhookDelivery, WebhookEndpoint
from petition.signing.services import confirm_signature, withdraw_signature
from petition.webhooks.delivery import deliver_webhooks

from .fixtures_accounts import log_in
from .helpers import count_queries, csrf_token, free_port
from .webhook_receiver import Receiver

PAGE = "/dashboard/account/webhooks"
ALL_EVENTS = [
    "signature.confirmed",
    "signature.withdrawn",
    "campaign.status_changed",
    "pledge.answered",
    "count.milestone",
]


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


def register(client, url, events=ALL_EVENTS):
    data = {"csrf_token": csrf_token(client, PAGE), "url": url}
    data.update({"event_" + event.replace(".", "_"): "y" for event in events})
    return client.post(PAGE, data=data)


def registered_secret(response) -> str:
    [secret] = re.findall(r"whsec_[0-9a-f]{48}", response.get_data(as_text=True))
    return secret


def deliveries(app) -> list[WebhookDelivery]:
    with app.app_context():
        rows = list(db.session.scalars(sa.select(WebhookDelivery).order_by(WebhookDelivery.id)))
        db.session.expunge_all()
        return rows


def work(app):
    with app.app_context():
        report = deliver_webhooks()
        db.session.remove()
        return report


def confirm(app, signature_id):
    with app.app_context():
        assert confirm_signature(db.session.get(Signature, signature_id))
        db.session.commit()


def verifies(secret: str, headers: dict[str, str], body: bytes) -> bool:
    signed = headers["Petition-Timestamp"].encode() + b"." + body
    expected = "v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["Petition-Signature"])


@pytest.fixture
def organizer(client, make_user, make_owned_campaign):
    owner = make_user()
    campaign = make_owned_campaign(owner)
    log_in(client, owner)
    return owner, campaign


def test_a_receiver_gets_signed_events_and_each_id_once_through_an_outage(
    app, client, organizer, add_signature, receiver, frozen_clock
):
    _, campaign = organizer
    secret = registered_secret(register(client, receiver.url))
    first = add_signature(campaign, name="First Signer", confirmed=False)
    confirm(app, first)

    assert work(app).delivered == 1
    [(headers, body)] = receiver.received
    assert verifies(secret, headers, body)
    event = json.loads(body)
    assert event["type"] == "signature.confirmed"
    assert headers["Petition-Event-Id"] == event["id"]
    assert event["data"]["signature"]["name"] == "First Signer"
    assert event["data"]["signature"]["email"] is None  # did not opt in to updates
    assert event["data"]["signature"]["confirmed_at"] == frozen_clock.now().isoformat()

    receiver.stop()
    second = add_signature(campaign, name="Second Signer", confirmed=False)
    confirm(app, second)
    assert work(app).retried == 1
    assert work(app).retried == 0  # not due again before its backoff
    frozen_clock.advance(timedelta(seconds=30))
    assert work(app).retried == 1
    [_, waiting] = deliveries(app)
    assert (waiting.attempts, waiting.status, waiting.last_status) == (2, "retrying", None)
    assert "ConnectionRefusedError" in waiting.last_error

    receiver.start()
    frozen_clock.advance(timedelta(seconds=60))
    assert work(app).delivered == 1

    bodies_by_id: dict[str, set[bytes]] = {}
    for headers, body in receiver.received:
        assert verifies(secret, headers, body)
        bodies_by_id.setdefault(headers["Petition-Event-Id"], set()).add(body)
    assert len(receiver.received) == 2
    assert all(len(bodies) == 1 for bodies in bodies_by_id.values())
    assert [row.status for row in deliveries(app)] == ["delivered", "delivered"]
    assert deliveries(app)[1].attempts == 3
    page = client.get(PAGE).get_data(as_text=True)
    assert "signature.confirmed" in page
    assert "ConnectionRefusedError" not in page  # delivered now: the error is cleared


def test_a_delivery_stops_after_the_attempt_limit_and_the_log_shows_it(
    app, client, organizer, add_signature, receiver, frozen_clock
):
    app.config["PETITION_WEBHOOK_MAX_ATTEMPTS"] = 3
    _, campaign = organizer
    register(client, receiver.url)
    receiver.status = 500
    confirm(app, add_signature(campaign, confirmed=False))

    for _ in range(5):
        work(app)
        frozen_clock.advance(timedelta(hours=1))

    [row] = deliveries(app)
    assert (row.status, row.attempts, row.last_status) == ("failed", 3, 500)
    assert len(receiver.received) == 3
    page = client.get(PAGE).get_data(as_text=True)
    assert "failed" in page
    assert "HTTP 500" in page


def test_the_same_event_id_always_carries_the_same_body(
    app, client, organizer, add_signature, receiver, frozen_clock
):
    _, campaign = organizer
    register(client, receiver.url)
    receiver.status = 503
    confirm(app, add_signature(campaign, confirmed=False))
    work(app)
    frozen_clock.advance(timedelta(seconds=30))
    work(app)

    [(first_headers, first), (second_headers, second)] = receiver.received
    assert first_headers["Petition-Event-Id"] == second_headers["Petition-Event-Id"]
    assert first == second


def test_events_reach_owners_and_co_organizers_but_no_one_else(
    app, client, make_user, make_owned_campaign, add_co_organizer, add_signature, receiver
):
    owner, co_organizer, stranger = make_user(), make_user(), make_user()
    campaign = make_owned_campaign(owner)
    add_co_organizer(campaign, co_organizer)
    for user in (owner, co_organizer, stranger):
        log_in(client, user)
        register(client, receiver.url, events=["signature.confirmed"])

    confirm(app, add_signature(campaign, confirmed=False))

    with app.app_context():
        endpoints = {
            row.endpoint_id: row.event_id for row in db.session.scalars(sa.select(WebhookDelivery))
        }
        owners = dict(
            db.session.execute(sa.select(WebhookEndpoint.id, WebhookEndpoint.user_id)).all()
        )
    assert sorted(owners[endpoint] for endpoint in endpoints) == sorted([owner.id, co_organizer.id])
    assert len(set(endpoints.values())) == 1  # one event, one id, for every endpoint


def test_only_the_chosen_events_are_sent(app, client, organizer, add_signature, receiver):
    _, campaign = organizer
    register(client, receiver.url, events=["signature.withdrawn"])
    signature_id = add_signature(campaign, confirmed=False, wants_updates=True)

    confirm(app, signature_id)
    with app.app_context():
        withdraw_signature(db.session.get(Signature, signature_id))
        db.session.commit()

    [row] = deliveries(app)
    assert row.event_type == "signature.withdrawn"
    signature = json.loads(row.body)["data"]["signature"]
    assert signature["withdrawn_at"] is not None
    assert signature["email"].endswith("@example.net")  # opted in to updates


def test_a_status_change_is_an_event(app, client, organizer, receiver):
    _, campaign = organizer
    register(client, receiver.url, events=["campaign.status_changed"])

    client.post(
        f"/dashboard/campaigns/{campaign.id}/close",
        data={"csrf_token": csrf_token(client, PAGE)},
    )

    [row] = deliveries(app)
    data = json.loads(row.body)["data"]
    assert (data["campaign"], data["from"], data["to"]) == (campaign.slug, "live", "closed")


def test_a_pledge_answer_is_an_event(app, client, make_user, make_pledge, receiver):
    from .fixtures_pledges import answer, link_for

    owner = make_user()
    pledge = make_pledge(owner)
    log_in(client, owner)
    register(client, receiver.url, events=["pledge.answered"])

    answer(app.test_client(), link_for(app, pledge.candidate_ids[0]), "pledged", "I will.")

    [row] = deliveries(app)
    data = json.loads(row.body)["data"]
    assert data["pledge"] == pledge.slug
    assert (data["response"]["answer"], data["response"]["source"]) == ("pledged", "candidate")


def test_reaching_the_goal_is_a_milestone_event_sent_once(
    app, client, make_user, make_owned_campaign, add_signature, receiver
):
    owner = make_user()
    campaign = make_owned_campaign(owner, signature_goal=2)
    log_in(client, owner)
    register(client, receiver.url, events=["count.milestone"])

    for _ in range(3):
        confirm(app, add_signature(campaign, confirmed=False))

    [row] = deliveries(app)
    assert json.loads(row.body)["data"] == {"campaign": campaign.slug, "count": 2, "goal": 2}


def test_an_action_that_is_rolled_back_sends_nothing(
    app, organizer, client, add_signature, receiver
):
    _, campaign = organizer
    register(client, receiver.url)
    signature_id = add_signature(campaign, confirmed=False)

    with app.app_context():
        confirm_signature(db.session.get(Signature, signature_id))
        db.session.rollback()

    assert deliveries(app) == []


def test_a_removed_endpoint_gets_nothing_more(app, client, organizer, add_signature, receiver):
    _, campaign = organizer
    register(client, receiver.url)
    with app.app_context():
        endpoint_id = db.session.scalar(sa.select(WebhookEndpoint.id))
    confirm(app, add_signature(campaign, confirmed=False))

    response = client.post(
        f"{PAGE}/{endpoint_id}/remove", data={"csrf_token": csrf_token(client, PAGE)}
    )
    work(app)
    confirm(app, add_signature(campaign, confirmed=False))

    assert response.status_code == 303
    assert receiver.received == []
    assert [row.status for row in deliveries(app)] == ["failed"]


def test_nobody_removes_another_organizers_endpoint(app, client, make_user, receiver):
    log_in(client, make_user())
    register(client, receiver.url)
    with app.app_context():
        endpoint_id = db.session.scalar(sa.select(WebhookEndpoint.id))
    log_in(client, make_user())

    response = client.post(
        f"{PAGE}/{endpoint_id}/remove", data={"csrf_token": csrf_token(client, PAGE)}
    )

    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(WebhookEndpoint, endpoint_id).disabled_at is None


def test_the_secret_is_shown_once(app, client, organizer, receiver):
    secret = registered_secret(register(client, receiver.url))
    assert secret not in client.get(PAGE).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(WebhookEndpoint.secret)) == secret


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hooks",
        "https://localhost/hooks",
        "https://10.1.2.3/hooks",
        "https://192.168.0.10/hooks",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hooks",
        "https://[::ffff:127.0.0.1]/hooks",
        "http://example.com/hooks",
        "ftp://example.com/hooks",
        "https://user:pass@example.com/hooks",
        "https://no-such-host.invalid/hooks",
        "https://[/hooks",
    ],
)
def test_private_loopback_and_non_https_targets_are_refused_in_production(
    app, client, organizer, url
):
    app.config["PETITION_WEBHOOK_ALLOW_PRIVATE"] = False

    response = register(client, url)

    assert response.status_code == 422
    assert "error-summary" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(WebhookEndpoint)) == 0


def test_a_target_that_turns_private_after_registration_is_not_called(
    app, client, organizer, add_signature, receiver
):
    """DNS rebinding: the address is checked again at each delivery."""
    _, campaign = organizer
    register(client, receiver.url)
    confirm(app, add_signature(campaign, confirmed=False))
    app.config["PETITION_WEBHOOK_ALLOW_PRIVATE"] = False

    report = work(app)

    assert report.retried == 1
    assert receiver.received == []
    assert deliveries(app)[0].last_error.startswith("refused")


def test_registering_needs_an_event_a_login_and_a_csrf_token(app, client, make_user, receiver):
    assert client.get(PAGE).status_code == 302
    log_in(client, make_user())
    assert client.post(PAGE, data={"url": receiver.url}).status_code == 400
    response = register(client, receiver.url, events=[])
    assert response.status_code == 422
    assert "Choose at least one event" in response.get_data(as_text=True)


def test_the_outbox_worker_delivers_webhooks_too(
    app, client, runner, organizer, add_signature, receiver
):
    _, campaign = organizer
    register(client, receiver.url, events=["signature.confirmed"])
    confirm(app, add_signature(campaign, confirmed=False))

    result = runner.invoke(args=["outbox", "work", "--once"])

    assert result.exit_code == 0, result.output
    assert "webhooks: delivered 1" in result.output
    assert len(receiver.received) == 1


def test_a_name_that_rebinds_to_loopback_after_registration_is_not_called(
    app, client, organizer, add_signature, receiver, monkeypatch
):
    """The name passed the check with a public address; at delivery time it answers 127.0.0.1."""
    import socket

    app.config["PETITION_WEBHOOK_ALLOW_PRIVATE"] = False
    answers = {"hooks.example.test": "93.184.216.34"}

    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    _, campaign = organizer
    assert register(client, "https://hooks.example.test/hooks").status_code == 200
    answers["hooks.example.test"] = "127.0.0.1"
    confirm(app, add_signature(campaign, confirmed=False))

    work(app)

    [row] = deliveries(app)
    assert row.last_error == "refused: That address is on a private network; use a public one"
    assert receiver.received == []


def test_a_delivery_connects_to_the_address_that_passed_the_check(
    app, client, organizer, add_signature, receiver, monkeypatch
):
    """Resolved once, then pinned: the request never asks DNS again, and keeps the name as Host."""
    import socket

    real = socket.getaddrinfo
    lookups = []

    def resolve(host, port, *args, **kwargs):
        lookups.append(host)
        if host == "hooks.example.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    _, campaign = organizer
    register(client, f"http://hooks.example.test:{receiver.port}/hooks")
    confirm(app, add_signature(campaign, confirmed=False))
    lookups.clear()

    assert work(app).delivered == 1

    [(headers, _)] = receiver.received
    assert headers["Host"] == f"hooks.example.test:{receiver.port}"
    # The name was looked up once, by the check; the connection used its answer.
    assert lookups.count("hooks.example.test") == 1
    assert set(lookups) <= {"hooks.example.test", "127.0.0.1"}


def test_a_receiver_that_answers_garbage_costs_a_try(
    app, client, organizer, add_signature, frozen_clock
):
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def answer_garbage():
        connection, _ = listener.accept()
        connection.recv(65536)
        connection.sendall(b"this is not HTTP\r\n\r\n")
        connection.close()

    thread = threading.Thread(target=answer_garbage, daemon=True)
    thread.start()
    _, campaign = organizer
    register(client, f"http://127.0.0.1:{listener.getsockname()[1]}/hooks")
    confirm(app, add_signature(campaign, confirmed=False))

    report = work(app)
    thread.join()
    listener.close()

    assert report.retried == 1
    [row] = deliveries(app)
    assert (row.attempts, row.status, row.last_error) == (1, "retrying", "BadStatusLine")


def test_a_held_signature_is_an_event_when_restored_not_when_confirmed(
    app, client, organizer, add_signature, receiver
):
    from petition.models import Campaign
    from petition.signing.holds import restore_held

    _, campaign = organizer
    register(client, receiver.url, events=["signature.confirmed", "signature.withdrawn"])
    signature_id = add_signature(campaign, confirmed=False)
    with app.app_context():
        db.session.get(Signature, signature_id).held_by = "honeypot"
        db.session.commit()

    confirm(app, signature_id)
    assert deliveries(app) == [], "held out of the count, and so of the events"

    with app.app_context():
        assert restore_held(db.session.get(Campaign, campaign.id)) == 1
        db.session.commit()
        withdraw_signature(db.session.get(Signature, signature_id))
        db.session.commit()

    assert [row.event_type for row in deliveries(app)] == [
        "signature.confirmed",
        "signature.withdrawn",
    ]


def test_an_endpoint_registered_after_a_confirmation_without_one_gets_the_next_events(
    app, client, organizer, add_signature, receiver
):
    _, campaign = organizer
    first = add_signature(campaign, confirmed=False)
    with count_queries(app) as statements:
        confirm(app, first)
    # No endpoint: the confirming UPDATE said so, and no SELECT of its own looked.
    assert not [s for s in statements if s.lstrip().startswith("SELECT") and "webhook" in s]
    assert deliveries(app) == []

    register(client, receiver.url, events=["signature.confirmed", "signature.withdrawn"])
    second = add_signature(campaign, confirmed=False)
    confirm(app, second)
    with app.app_context():
        assert withdraw_signature(db.session.get(Signature, second))
        db.session.commit()

    rows = deliveries(app)
    assert [row.event_type for row in rows] == ["signature.confirmed", "signature.withdrawn"]
    assert {json.loads(row.body)["data"]["signature"]["id"] for row in rows} == {second}
