"""A webhook request has a deadline as a whole, and a worker's round never outlives its claim."""

import socket
import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from petition.extensions import db
from petition.models import WebhookDelivery

from .fixtures_accounts import log_in
from .helpers import free_port
from .test_webhooks import confirm, deliveries, register, work
from .webhook_receiver import Receiver


@pytest.fixture
def app_config(app_config):
    app_config["PETITION_WEBHOOK_ALLOW_PRIVATE"] = True  # the receivers are on 127.0.0.1
    app_config["PETITION_WEBHOOK_TIMEOUT"] = 0.6
    return app_config


class DripReceiver:
    """Reads the request, then sends its answer one byte every ``interval`` seconds."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.server = socket.create_server(("127.0.0.1", free_port()))
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}/hooks"
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.server.settimeout(0.1)
        while not self.stopping.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(65536)
                answer = b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 40  # about 6 s in all
                for byte in answer:
                    if self.stopping.wait(self.interval):
                        return
                    try:
                        conn.sendall(bytes([byte]))
                    except OSError:  # the worker hung up: the point of the test
                        break

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join()
        self.server.close()


@pytest.fixture
def drip():
    receiver = DripReceiver()
    yield receiver
    receiver.stop()


@pytest.fixture
def organizer(client, make_user, make_owned_campaign):
    owner = make_user()
    log_in(client, owner)
    return make_owned_campaign(owner)


def test_a_receiver_dripping_its_answer_is_cut_off_at_the_timeout(
    app, client, organizer, add_signature, drip
):
    register(client, drip.url)
    confirm(app, add_signature(organizer, confirmed=False))

    started = time.monotonic()
    report = work(app)
    elapsed = time.monotonic() - started

    # Each byte comes well within the socket timeout; the whole answer never does.
    assert report.retried == 1
    assert elapsed < 3
    [delivery] = deliveries(app)
    assert delivery.last_error == "TimeoutError"
    assert delivery.claimed_until is None


def test_a_round_hands_back_what_it_cannot_send_before_its_claim_ends(
    app, client, organizer, add_signature, frozen_clock
):
    receiver = Receiver(free_port())
    receiver.start()
    register(client, receiver.url)
    for _ in range(3):
        confirm(app, add_signature(organizer, confirmed=False))

    class TakesAMinute(list):
        """Each receiver answer takes a minute of the two-minute claim."""

        def append(self, item) -> None:
            frozen_clock.advance(timedelta(minutes=1))
            super().append(item)

    receiver.received = TakesAMinute()
    try:
        first = work(app)
        with app.app_context():
            rows = db.session.execute(
                sa.select(WebhookDelivery.attempts, WebhookDelivery.claim_token).order_by(
                    WebhookDelivery.id
                )
            ).all()
        second = work(app)
    finally:
        receiver.stop()

    # Two minutes claimed: the third post would end after the claim, so it is not started.
    assert first.delivered == 2
    assert rows == [(1, None), (1, None), (0, None)]  # handed back untried, due at once
    assert second.delivered == 1
    assert [d.status for d in deliveries(app)] == ["delivered"] * 3
