"""The public count: sharded, exact under races, and checkable against the rows."""

import random

import pytest
import sqlalchemy as sa

from petition.extensions import db
from petition.models import Campaign, Signature, SignatureCountShard
from petition.models.campaigns import COUNT_SHARDS
from petition.signing.services import confirm_signature, withdraw_signature

from .test_concurrency import details, race


def confirmed_rows(app, campaign) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Signature)
            .where(
                Signature.campaign_id == campaign.id,
                Signature.confirmed_at.is_not(None),
                Signature.withdrawn_at.is_(None),
            )
        )


def shown(app, campaign) -> int:
    with app.app_context():
        return db.session.get(Campaign, campaign.id).signature_count


def shards(app, campaign) -> dict[int, int]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(SignatureCountShard.shard, SignatureCountShard.signatures).where(
                SignatureCountShard.campaign_id == campaign.id
            )
        )
        return {shard: signatures for shard, signatures in rows}


def test_confirmations_spread_over_shards_and_the_count_is_their_sum(
    app, make_campaign, add_signature
):
    campaign = make_campaign()
    ids = [add_signature(campaign) for _ in range(COUNT_SHARDS + 3)]

    spread = shards(app, campaign)

    assert len(spread) == COUNT_SHARDS, "consecutive signatures land on different rows"
    assert spread == {shard: sum(1 for i in ids if i % COUNT_SHARDS == shard) for shard in spread}
    assert shown(app, campaign) == sum(spread.values()) == len(ids)


def test_concurrent_confirmations_and_withdrawals_leave_the_count_exact(app, make_campaign):
    campaign = make_campaign()
    with app.test_request_context(method="POST"):
        ids = []
        for number in range(24):
            signature = Signature(
                campaign_id=campaign.id,
                name="Racer",
                email=f"racer{number}@example.org",
                email_normalized=f"racer{number}@example.org",
            )
            db.session.add(signature)
            db.session.flush()
            ids.append(signature.id)
        # Half are confirmed before the race, so they can be withdrawn during it.
        for signature_id in ids[:12]:
            confirm_signature(db.session.get(Signature, signature_id))
        db.session.commit()
    order = random.Random(7).sample(range(36), 36)

    def work(index: int) -> None:
        step = order[index]
        if step < 24:  # confirm every signature (the first 12 again: no effect)
            confirm_signature(db.session.get(Signature, ids[step]))
        else:  # withdraw six of the early ones, twice each
            withdraw_signature(db.session.get(Signature, ids[(step - 24) % 6]))

    assert race(app, 36, work) == []

    assert confirmed_rows(app, campaign) == 24 - 6
    assert shown(app, campaign) == 24 - 6
    assert all(count >= 0 for count in shards(app, campaign).values())


def test_counts_verify_finds_a_tampered_count_and_repairs_it(
    app, runner, make_campaign, add_signature
):
    campaign = make_campaign(slug="tampered")
    untouched = make_campaign(slug="untouched")
    for _ in range(5):
        add_signature(campaign)
    add_signature(untouched)
    assert runner.invoke(args=["counts", "verify"]).exit_code == 0
    with app.app_context():
        db.session.execute(
            sa.update(SignatureCountShard)
            .where(SignatureCountShard.campaign_id == campaign.id)
            .values(signatures=SignatureCountShard.signatures + 100)
        )
        db.session.commit()
    assert shown(app, campaign) > 100

    found = runner.invoke(args=["counts", "verify"])

    assert found.exit_code == 1
    assert "tampered: shows" in found.output and "5 confirmed signatures" in found.output
    assert "untouched" not in found.output
    assert shown(app, campaign) > 100, "verify alone changes nothing"

    repaired = runner.invoke(args=["counts", "verify", "--repair"])

    assert repaired.exit_code == 1 and "(repaired)" in repaired.output
    assert shown(app, campaign) == confirmed_rows(app, campaign) == 5
    assert shown(app, untouched) == 1
    assert runner.invoke(args=["counts", "verify"]).exit_code == 0


def test_counts_verify_repairs_a_missing_shard(app, runner, make_campaign, add_signature):
    campaign = make_campaign()
    add_signature(campaign)
    with app.app_context():
        db.session.execute(sa.delete(SignatureCountShard))
        db.session.commit()
    assert shown(app, campaign) == 0

    assert runner.invoke(args=["counts", "verify", "--repair"]).exit_code == 1

    assert shown(app, campaign) == 1


def test_signing_again_after_confirming_does_not_move_the_count(app, make_campaign):
    campaign = make_campaign()
    with app.test_request_context(method="POST"):
        from petition.signing.services import sign

        sign(db.session.get(Campaign, campaign.id), details("once@example.org"), None)
        signature = db.session.scalar(sa.select(Signature))
        assert confirm_signature(signature)
        sign(db.session.get(Campaign, campaign.id), details("ONCE@example.org"), None)
        db.session.commit()
    assert shown(app, campaign) == confirmed_rows(app, campaign) == 1


@pytest.mark.backend("sqlite")
def test_reading_the_counts_takes_no_lock_that_signing_waits_for(app, make_campaign, add_signature):
    import sqlite3

    from petition import counts

    add_signature(make_campaign())
    path = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    with app.app_context(), counts._one_snapshot():
        db.session.execute(sa.select(SignatureCountShard)).all()  # mid-scan
        writer = sqlite3.connect(path, isolation_level=None, timeout=0)
        try:
            writer.execute("BEGIN IMMEDIATE")  # a sign request gets the write lock at once
            writer.execute("ROLLBACK")
        finally:
            writer.close()


@pytest.mark.backend("postgresql")
def test_a_confirmation_in_flight_during_a_repair_is_counted_on_top(
    app, make_campaign, add_signature
):
    """README: --repair locks the campaign's shards, so a confirmation landing meanwhile counts."""
    import threading

    from petition import counts
    from petition.counts import shard_of

    from .helpers import wait_until

    campaign = make_campaign()
    for _ in range(COUNT_SHARDS):  # every shard row exists, the racer's included
        add_signature(campaign)
    pending = add_signature(campaign, confirmed=False)
    with app.app_context():
        engine = db.engine
    # A confirmation caught between its statements and its commit: the
    # signature is confirmed and its shard incremented, nothing committed yet.
    racer = engine.connect()
    racer.execute(
        sa.text("UPDATE signatures SET confirmed_at = now() WHERE id = :id"), {"id": pending}
    )
    racer.execute(
        sa.text(
            "UPDATE signature_count_shards SET signatures = signatures + 1 "
            "WHERE campaign_id = :c AND shard = :s"
        ),
        {"c": campaign.id, "s": shard_of(pending)},
    )
    errors: list[BaseException] = []

    def run_repair() -> None:
        try:
            with app.app_context():
                db.session.execute(sa.text("SET application_name = 'petition-repair'"))
                counts.repair(campaign.id)
                db.session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)

    repairer = threading.Thread(target=run_repair)
    repairer.start()
    try:
        # Autocommit: inside one transaction PostgreSQL shows pg_stat_activity as it was at
        # the first look, so a repair that blocks a moment later would never be seen.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as watcher:
            wait_until(
                lambda: watcher.execute(
                    sa.text(
                        "SELECT count(*) FROM pg_stat_activity WHERE "
                        "application_name = 'petition-repair' AND wait_event_type = 'Lock'"
                    )
                ).scalar(),
                # Returns as soon as the repair waits; generous for a loaded machine.
                timeout=60,
                what="the repair to wait for the confirmation's lock",
            )
        racer.commit()
    finally:
        # Whatever happened above, release the lock: a repair left waiting on it
        # would hang the database's teardown instead of failing this test.
        racer.close()
        repairer.join(timeout=60)

    assert errors == []
    assert shown(app, campaign) == confirmed_rows(app, campaign) == COUNT_SHARDS + 1
