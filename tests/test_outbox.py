"""The outbox against a real SMTP server: delivered once, retried, never lost."""

from datetime import timedelta

import pytest

from petition.extensions import db
from petition.outbox import backoff, deliver_due, queue_mail

from .helpers import body_text, has_html_part


@pytest.fixture
def mail_app(request, database, app_config, smtp):
    app_config.update(smtp.config)
    return request.getfixturevalue("app")


def queue(app, count: int = 1, to: str = "supporter@example.org") -> None:
    with app.test_request_context(method="POST"):
        for number in range(count):
            queue_mail(
                to,
                "already_signed",
                f"Message {number}",
                signature=type("S", (), {"name": "Sam"})(),
                campaign=type("C", (), {"title": "End money bail"})(),
                campaign_url="http://petition.test/c/end-money-bail",
            )
        db.session.commit()


def deliver(app):
    with app.app_context():
        return deliver_due()


def test_queued_mail_is_delivered_with_a_text_part_a_link_and_an_html_part(mail_app, smtp, outbox):
    queue(mail_app)

    report = deliver(mail_app)

    assert report.sent == 1
    [message] = smtp.received
    assert message["To"] == "supporter@example.org"
    assert message["Subject"] == "Message 0"
    assert message["Message-ID"] == outbox()[0].message_id
    assert "http://petition.test/c/end-money-bail" in body_text(message)
    assert has_html_part(message)
    assert outbox()[0].status == "sent"


def test_delivered_mail_is_never_sent_again(mail_app, smtp):
    queue(mail_app, count=2)
    deliver(mail_app)
    deliver(mail_app)
    deliver(mail_app)
    assert sorted(m["Subject"] for m in smtp.received) == ["Message 0", "Message 1"]


def test_mail_is_retried_with_backoff_while_the_server_refuses(
    mail_app, smtp, outbox, frozen_clock
):
    queue(mail_app)
    smtp.handler.refuse = True

    report = deliver(mail_app)

    assert (report.sent, report.retried) == (0, 1)
    [message] = outbox()
    assert message.status == "queued"
    assert message.attempts == 1
    assert message.next_attempt_at == frozen_clock.now() + backoff(1)
    assert "451" in message.last_error

    smtp.handler.refuse = False
    assert deliver(mail_app).sent == 0, "not due again before the backoff ends"
    frozen_clock.advance(backoff(1))
    assert deliver(mail_app).sent == 1
    assert len(smtp.received) == 1


def test_mail_waits_while_the_server_is_down_and_goes_out_once_when_it_is_back(
    mail_app, smtp, outbox, frozen_clock
):
    queue(mail_app, count=3)
    smtp.stop()

    for attempt in range(1, 4):
        report = deliver(mail_app)
        assert report.sent == 0
        frozen_clock.advance(backoff(attempt))
    assert all(m.status == "queued" for m in outbox())

    smtp.start()
    deliver(mail_app)
    deliver(mail_app)
    frozen_clock.advance(timedelta(hours=2))
    deliver(mail_app)

    assert sorted(m["Subject"] for m in smtp.received) == ["Message 0", "Message 1", "Message 2"]
    assert all(m.status == "sent" for m in outbox())


def test_backoff_grows_and_is_capped():
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(50) == timedelta(hours=1)


def test_a_permanent_refusal_stops_retrying(mail_app, smtp, outbox, monkeypatch):
    queue(mail_app)

    async def refuse_permanently(server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such user"

    smtp.handler.handle_RCPT = refuse_permanently
    report = deliver(mail_app)

    assert report.failed == 1
    assert outbox()[0].status == "failed"
    assert deliver(mail_app).failed == 0


def test_a_message_another_worker_claimed_is_left_alone(mail_app, smtp, outbox, frozen_clock):
    from petition.outbox import _claim_due

    queue(mail_app)
    with mail_app.app_context():
        assert _claim_due(10)[0] == [outbox()[0].id]
        assert _claim_due(10)[0] == []
    assert deliver(mail_app).sent == 0
    frozen_clock.advance(timedelta(minutes=3))  # the other worker died: its claim lapses
    assert deliver(mail_app).sent == 1
    assert len(smtp.received) == 1


def test_without_a_mail_server_nothing_is_sent_and_nothing_is_lost(app, outbox):
    queue(app)
    assert deliver(app).sent == 0
    assert outbox()[0].status == "queued"


def test_the_worker_command_sends_what_is_due_and_exits(mail_app, smtp, runner):
    queue(mail_app, count=2)
    result = runner.invoke(args=["outbox", "work", "--once"])
    assert result.exit_code == 0, result.output
    assert "sent 2" in result.output
    assert len(smtp.received) == 2


def test_failures_are_logged_without_the_recipient_address(mail_app, smtp, caplog):
    queue(mail_app, to="private.person@example.org")
    smtp.handler.refuse = True
    with caplog.at_level("DEBUG"):
        deliver(mail_app)
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("petition"))
    assert "will be retried" in ours
    assert "private.person" not in ours


# Mail the worker renders: signing queues ids, not text.


def sign_up(app, email: str = "dana@example.org", *, campaign_id: int) -> int:
    from petition.models import Campaign
    from petition.signing.services import SignatureDetails, sign

    with app.test_request_context(method="POST"):
        campaign = db.session.get(Campaign, campaign_id)
        details = SignatureDetails("Dana Whitfield", email, "75201", None, False, False)
        sign(campaign, details, ip_hash=None)
        db.session.commit()
    return campaign_id


def stored_outbox(app) -> list:
    import sqlalchemy as sa

    from petition.models import OutboxMessage

    with app.app_context():
        rows = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return rows


def test_signing_queues_an_unrendered_message_that_the_worker_renders_and_sends_once(
    mail_app, smtp, make_campaign
):
    campaign = make_campaign(title="End money bail in Dallas County")
    sign_up(mail_app, campaign_id=campaign.id)
    [queued] = stored_outbox(mail_app)
    assert queued.body_text is None and queued.subject is None
    assert queued.params == {"signature": 1, "language": "en"}

    assert deliver(mail_app).sent == 1
    assert deliver(mail_app).sent == 0

    [message] = smtp.received
    assert message["Subject"] == "Confirm your signature: End money bail in Dallas County"
    assert "Hello Dana Whitfield" in body_text(message)
    assert "http://petition.test/confirm/" in body_text(message)
    [sent] = stored_outbox(mail_app)
    assert sent.status == "sent" and "/confirm/" in sent.body_text, "kept as it was sent"


def test_a_rendered_message_is_sent_unchanged_after_an_outage(
    mail_app, smtp, make_campaign, frozen_clock
):
    campaign = make_campaign()
    sign_up(mail_app, campaign_id=campaign.id)
    smtp.handler.refuse = True
    assert deliver(mail_app).retried == 1
    [first] = stored_outbox(mail_app)
    assert first.body_text is not None, "rendered once, before the first try"

    smtp.handler.refuse = False
    frozen_clock.advance(timedelta(minutes=5))
    assert deliver(mail_app).sent == 1

    sent = body_text(smtp.received[0]).replace("\r\n", "\n")
    assert sent.strip() == first.body_text.strip()


def test_mail_about_a_signature_that_no_longer_exists_is_not_sent(mail_app, smtp, make_campaign):
    import sqlalchemy as sa

    from petition.models import Signature

    campaign = make_campaign()
    sign_up(mail_app, campaign_id=campaign.id)
    with mail_app.app_context():
        db.session.execute(sa.delete(Signature))
        db.session.commit()

    report = deliver(mail_app)

    assert (report.sent, report.failed) == (0, 1)
    assert smtp.received == []
    [message] = stored_outbox(mail_app)
    assert message.status == "failed" and "nothing to send" in message.last_error


@pytest.mark.backend("postgresql")  # SKIP LOCKED is PostgreSQL's; SQLite has one writer
def test_two_workers_drain_one_queue_without_sending_anything_twice(mail_app, smtp, make_campaign):
    import threading

    campaign = make_campaign()
    for number in range(60):
        sign_up(mail_app, f"signer{number}@example.org", campaign_id=campaign.id)
    barrier = threading.Barrier(2)
    reports = []

    def worker() -> None:
        with mail_app.app_context():
            barrier.wait(timeout=10)
            while (report := deliver_due(limit=7)).sent:
                reports.append(report.sent)
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    ids = [message["Message-ID"] for message in smtp.received]
    assert len(ids) == 60 == len(set(ids)), "every message once, none twice"
    assert sorted(m["X-Envelope-To"] for m in smtp.received) == sorted(
        f"signer{n}@example.org" for n in range(60)
    )
    assert sum(reports) == 60
    assert all(message.status == "sent" for message in stored_outbox(mail_app))


def test_a_worker_whose_claim_lapsed_sends_nothing_that_another_worker_sent(
    mail_app, smtp, frozen_clock, monkeypatch
):
    from petition import outbox

    queue(mail_app, count=3)
    with mail_app.app_context():
        stale = outbox._claim_due(10)  # worker A claims three, then stalls
    frozen_clock.advance(timedelta(minutes=3))  # its claim lapses
    assert deliver(mail_app).sent == 3  # worker B takes them over and sends them

    monkeypatch.setattr(outbox, "_claim_due", lambda limit: stale)  # A wakes up with its list
    assert deliver(mail_app).sent == 0

    assert len(smtp.received) == 3


def test_claims_left_over_when_the_server_is_down_are_given_back_at_once(mail_app, smtp, outbox):
    queue(mail_app, count=3)
    smtp.handler.refuse = True

    assert deliver(mail_app).retried == 1  # the first fails; the round stops

    untouched = [message for message in outbox() if message.attempts == 0]
    assert len(untouched) == 2
    assert all(message.claimed_until is None for message in untouched)


def test_the_worker_carries_on_when_the_database_drops_out(mail_app, smtp, runner, monkeypatch):
    import sqlalchemy as sa

    from petition import outbox

    queue(mail_app, count=1)
    real = outbox.deliver_due
    calls = []

    def flaky(limit: int):
        calls.append(limit)
        if len(calls) == 1:
            raise sa.exc.OperationalError("SELECT", None, Exception("server closed the connection"))
        return real(limit)

    monkeypatch.setattr(outbox, "deliver_due", flaky)
    first = runner.invoke(args=["outbox", "work", "--once"])
    second = runner.invoke(args=["outbox", "work", "--once"])

    assert first.exit_code == 0 and "database unavailable" in first.output
    assert second.exit_code == 0 and "sent 1" in second.output
    assert len(smtp.received) == 1
