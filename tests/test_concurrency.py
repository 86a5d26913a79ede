"""Races a viral demand really produces: nothing lost, nothing counted twice."""

import threading
from collections.abc import Callable

import sqlalchemy as sa

from petition.extensions import db
from petition.models import Campaign, OutboxMessage, Signature
from petition.signing.services import SignatureDetails, confirm_signature, sign


def race(app, count: int, work: Callable[[int], None]) -> list[BaseException]:
    """Run ``work(i)`` in ``count`` threads released together; return their errors."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            # A POST: requests that write take SQLite's write lock up front.
            with app.test_request_context(method="POST"):
                barrier.wait(timeout=10)
                work(index)
                db.session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def details(email: str) -> SignatureDetails:
    return SignatureDetails(
        name="Rowan Example",
        email=email,
        zip_code="60601",
        comment=None,
        wants_updates=False,
        show_publicly=False,
    )


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_simultaneous_signatures_with_one_address_make_one_row(app, make_campaign):
    campaign = make_campaign()

    def work(index: int) -> None:
        variant = ["rowan@example.org", "ROWAN@example.org", " rowan@Example.org"][index % 3]
        sign(db.session.get(Campaign, campaign.id), details(variant), None)

    assert race(app, 4, work) == []
    assert count(app, Signature) == 1
    assert count(app, OutboxMessage) == 1


def test_simultaneous_confirmations_count_once(app, make_campaign):
    campaign = make_campaign()
    with app.test_request_context(method="POST"):
        sign(db.session.get(Campaign, campaign.id), details("rowan@example.org"), None)
        db.session.commit()
        signature_id = db.session.scalar(sa.select(Signature.id))

    def work(index: int) -> None:
        confirm_signature(db.session.get(Signature, signature_id))

    assert race(app, 4, work) == []
    with app.app_context():
        assert db.session.get(Campaign, campaign.id).signature_count == 1


def test_many_different_signers_at_once_are_all_counted(app, make_campaign):
    campaign = make_campaign()

    def work(index: int) -> None:
        sign(db.session.get(Campaign, campaign.id), details(f"p{index}@example.org"), None)
        db.session.flush()
        signature = db.session.scalar(
            sa.select(Signature).where(Signature.email == f"p{index}@example.org")
        )
        confirm_signature(signature)

    assert race(app, 8, work) == []
    with app.app_context():
        assert db.session.get(Campaign, campaign.id).signature_count == 8
    assert count(app, Signature, Signature.confirmed_at.is_not(None)) == 8


def test_simultaneous_re_signs_after_a_withdrawal_reinstate_once(app, make_campaign):
    from petition.signing.services import withdraw_signature

    campaign = make_campaign()
    with app.test_request_context(method="POST"):
        sign(db.session.get(Campaign, campaign.id), details("rowan@example.org"), None)
        db.session.flush()
        signature = db.session.scalar(sa.select(Signature))
        confirm_signature(signature)
        withdraw_signature(signature)
        db.session.commit()
    before = count(app, OutboxMessage)

    def work(index: int) -> None:
        sign(db.session.get(Campaign, campaign.id), details("rowan@example.org"), None)

    assert race(app, 4, work) == []
    assert count(app, Signature) == 1
    assert count(app, OutboxMessage) == before + 1
    with app.app_context():
        assert db.session.get(Campaign, campaign.id).signature_count == 0
