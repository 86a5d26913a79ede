"""The count history: hourly buckets moved with every confirmation and withdrawal."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask_migrate import upgrade

from petition import create_app
from petition.campaigns.history import Point, daily_series, hourly_series
from petition.counts import differences
from petition.extensions import db
from petition.models import Campaign, Signature, SignatureCountHour
from petition.signing.services import withdraw_signature

from .conftest import app_test_config
from .test_migrations import empty_database_url  # noqa: F401 - a fixture

HOUR = timedelta(hours=1)
START = datetime(2026, 3, 3, 15, tzinfo=UTC)  # where frozen_clock starts


def series(app, campaign, since=None, limit=None) -> list[Point]:
    with app.app_context():
        return hourly_series(db.session.get(Campaign, campaign.id), since, limit)


def withdraw(app, signature_id: int) -> None:
    with app.test_request_context(method="POST"):
        assert withdraw_signature(db.session.get(Signature, signature_id))
        db.session.commit()


def test_each_hour_shows_its_confirmations_withdrawals_and_the_count_at_its_end(
    app, frozen_clock, make_campaign, add_signature
):
    campaign = make_campaign()
    first = add_signature(campaign)
    frozen_clock.advance(timedelta(minutes=59))
    add_signature(campaign)  # 15:59, same hour
    frozen_clock.advance(timedelta(hours=2, minutes=1))  # 18:00
    add_signature(campaign)
    add_signature(campaign)
    frozen_clock.advance(timedelta(days=1, minutes=30))
    withdraw(app, first)
    add_signature(campaign, confirmed=False)  # unconfirmed: not in the history

    assert series(app, campaign) == [
        Point(START, confirmed=2, withdrawn=0, total=2),
        Point(START + 3 * HOUR, confirmed=2, withdrawn=0, total=4),
        Point(START + 27 * HOUR, confirmed=0, withdrawn=1, total=3),
    ]
    with app.app_context():
        assert db.session.get(Campaign, campaign.id).signature_count == 3


def test_a_series_since_a_moment_starts_from_the_count_before_it(
    app, frozen_clock, make_campaign, add_signature
):
    campaign = make_campaign()
    for _ in range(3):
        add_signature(campaign)
        frozen_clock.advance(HOUR)

    later = series(app, campaign, since=START + HOUR + timedelta(minutes=20))
    page = series(app, campaign, limit=2)

    assert [(p.start, p.total) for p in later] == [(START + HOUR, 2), (START + 2 * HOUR, 3)]
    assert [p.start for p in page] == [START, START + HOUR]


def test_a_daily_series_adds_up_the_hours_of_each_utc_day(
    app, frozen_clock, make_campaign, add_signature
):
    campaign = make_campaign()
    add_signature(campaign)
    frozen_clock.advance(8 * HOUR)  # 23:00 on March 3
    withdrawn = add_signature(campaign)
    frozen_clock.advance(HOUR)  # midnight: March 4
    add_signature(campaign)
    withdraw(app, withdrawn)
    other = make_campaign()
    add_signature(other)

    with app.app_context():
        days = daily_series(db.session.get(Campaign, campaign.id))
        since_the_4th = daily_series(db.session.get(Campaign, campaign.id), START + 10 * HOUR)

    march_3 = datetime(2026, 3, 3, tzinfo=UTC)
    assert days == [
        Point(march_3, confirmed=2, withdrawn=0, total=2),
        Point(march_3 + timedelta(days=1), confirmed=1, withdrawn=1, total=2),
    ]
    assert since_the_4th == days[1:]


def test_confirmations_of_one_hour_spread_over_sharded_rows(app, make_campaign, add_signature):
    campaign = make_campaign()
    for _ in range(20):
        add_signature(campaign)

    with app.app_context():
        rows = db.session.scalars(
            sa.select(SignatureCountHour.confirmed).where(
                SignatureCountHour.campaign_id == campaign.id
            )
        ).all()

    assert len(rows) == 16, "one hour's confirmations do not all queue on one row"
    assert sum(rows) == 20


def test_counts_verify_checks_the_history_and_repair_rebuilds_it(
    app, runner, frozen_clock, make_campaign, add_signature
):
    campaign = make_campaign(slug="rewritten")
    add_signature(campaign)
    frozen_clock.advance(2 * HOUR)
    add_signature(campaign)
    assert runner.invoke(args=["counts", "verify"]).exit_code == 0
    with app.app_context():
        db.session.execute(sa.update(SignatureCountHour).values(confirmed=7))
        db.session.commit()

    found = runner.invoke(args=["counts", "verify"])
    repaired = runner.invoke(args=["counts", "verify", "--repair"])

    assert found.exit_code == 1
    assert "rewritten: shows 2, 2 confirmed signatures, 14 in its hourly history" in found.output
    assert repaired.exit_code == 1 and "(repaired)" in repaired.output
    assert runner.invoke(args=["counts", "verify"]).exit_code == 0
    assert [(p.start, p.total) for p in series(app, campaign)] == [
        (START, 1),
        (START + 2 * HOUR, 2),
    ]


def test_the_upgrade_fills_the_history_from_the_signatures(empty_database_url):  # noqa: F811
    app = create_app(app_test_config(empty_database_url))
    morning = datetime(2026, 11, 1, 9, 41, 5, tzinfo=UTC)
    evening = datetime(2026, 11, 1, 18, 2, tzinfo=UTC)
    with app.app_context():
        upgrade(revision="0006")
        with db.engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO campaigns (id, slug, title, demand, demand_html, status, "
                    "signature_goal, zip_required, created_at, updated_at) "
                    "VALUES (1, 'c', 'C', 'D', '<p>D</p>', 'live', 100, :yes, :at, :at)"
                ),
                {"yes": True, "at": morning},
            )
            states = [(morning, None), (morning, None), (morning, evening), (None, None)]
            connection.execute(
                sa.text(
                    "INSERT INTO signatures (campaign_id, name, email, email_normalized, "
                    "wants_updates, show_publicly, created_at, confirmed_at, withdrawn_at) "
                    "VALUES (1, 'S', :email, :email, :no, :no, :at, :confirmed, :withdrawn)"
                ),
                [
                    {"email": f"s{n}@x.org", "no": False, "at": morning}
                    | {"confirmed": confirmed, "withdrawn": withdrawn}
                    for n, (confirmed, withdrawn) in enumerate(states)
                ],
            )
            connection.execute(
                sa.text(
                    "INSERT INTO signature_count_shards (campaign_id, shard, signatures) "
                    "VALUES (1, 1, 1), (1, 2, 1)"
                )
            )
        upgrade()
    with app.test_request_context():
        assert differences() == []
        points = hourly_series(db.session.get(Campaign, 1))
        db.session.remove()
        db.engine.dispose()

    assert points == [
        Point(datetime(2026, 11, 1, 9, tzinfo=UTC), confirmed=3, withdrawn=0, total=3),
        Point(datetime(2026, 11, 1, 18, tzinfo=UTC), confirmed=0, withdrawn=1, total=2),
    ]


def test_racing_confirmations_and_withdrawals_keep_the_history_equal_to_the_count(
    app, make_campaign
):
    """One lock order (shard, then hour) for both: no deadlock, and nothing lost."""
    from petition.signing.services import confirm_signature

    from .test_concurrency import race

    campaign = make_campaign()
    with app.test_request_context(method="POST"):
        ids = []
        for number in range(32):
            signature = Signature(
                campaign_id=campaign.id,
                name="Racer",
                email=f"racer{number}@example.org",
                email_normalized=f"racer{number}@example.org",
            )
            db.session.add(signature)
            db.session.flush()
            ids.append(signature.id)
        for signature_id in ids[:16]:
            confirm_signature(db.session.get(Signature, signature_id))
        db.session.commit()

    def work(index: int) -> None:
        # ids[n] and ids[n + 16] share a shard: each pair meets on the same two rows.
        if index < 16:
            confirm_signature(db.session.get(Signature, ids[16 + index]))
        else:
            withdraw_signature(db.session.get(Signature, ids[index - 16]))

    assert race(app, 32, work) == []

    with app.test_request_context():
        assert differences() == []
    assert series(app, campaign)[-1].total == 16
