"""How requests hold the database: durability, transactions for reads, dead connections."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from petition import database
from petition.extensions import db


def synchronous_setting(app) -> str:
    with app.app_context():
        with db.engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                level = connection.exec_driver_sql("PRAGMA synchronous").scalar()
                return {1: "normal", 2: "full"}[level]
            return connection.exec_driver_sql("SHOW synchronous_commit").scalar()


def test_postgresql_waits_for_the_disk_and_sqlite_runs_wal_normal_by_default(app, database):
    expected = "normal" if database.backend == "sqlite" else "on"
    assert synchronous_setting(app) == expected


@pytest.mark.backend("sqlite")
def test_sqlite_checkpoints_its_wal_every_20000_pages_not_every_1000(app):
    # A surge of signing checkpointed several times a second at SQLite's default.
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 20_000
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


@pytest.mark.parametrize("app_config", [{"PETITION_DURABLE_COMMITS": True}])
def test_durable_commits_make_sqlite_wait_for_the_disk_too(app, database):
    expected = "full" if database.backend == "sqlite" else "on"
    assert synchronous_setting(app) == expected


@pytest.mark.parametrize("app_config", [{"PETITION_DURABLE_COMMITS": False}])
def test_an_operator_can_let_postgresql_return_before_the_disk(app, database):
    expected = "normal" if database.backend == "sqlite" else "off"
    assert synchronous_setting(app) == expected


@pytest.fixture
def autocommit_seen(app):
    """Record, for each statement, whether it ran outside a transaction."""
    seen: list[bool] = []
    with app.app_context():
        engine = db.engine

    def record(connection, *_args):
        seen.append(connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT")

    sa.event.listen(engine, "before_cursor_execute", record)
    yield seen
    sa.event.remove(engine, "before_cursor_execute", record)


@pytest.mark.backend("postgresql")
def test_public_pages_read_without_a_transaction_on_postgresql(
    client, make_campaign, autocommit_seen
):
    campaign = make_campaign()
    autocommit_seen.clear()
    assert client.get(f"/c/{campaign.slug}").status_code == 200
    assert client.get(f"/c/{campaign.slug}/count.json").status_code == 200
    assert autocommit_seen and all(autocommit_seen)


@pytest.mark.backend("postgresql")
def test_other_reads_and_every_write_keep_their_transaction(
    client, make_campaign, autocommit_seen, make_user
):
    from .fixtures_accounts import log_in
    from .helpers import SAME_ORIGIN

    campaign = make_campaign()
    user = make_user()
    autocommit_seen.clear()
    client.post(
        f"/c/{campaign.slug}/sign",
        data={"name": "Ana Ruiz", "email": "ana@example.org", "zip_code": "75201"},
        headers=SAME_ORIGIN,
    )
    log_in(client, user)
    assert client.get("/dashboard").status_code == 200
    assert autocommit_seen and not any(autocommit_seen)


@pytest.mark.backend("postgresql")
def test_a_connection_killed_while_idle_is_replaced_before_use(
    app, client, make_campaign, frozen_clock
):
    campaign = make_campaign()
    assert client.get(f"/c/{campaign.slug}").status_code == 200  # a pooled connection
    with app.app_context():
        url = db.engine.url
    admin = sa.create_engine(
        url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=sa.NullPool
    )
    with admin.connect() as connection:
        killed = connection.execute(
            sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": url.database},
        ).scalar()
    admin.dispose()
    assert killed >= 1
    frozen_clock.advance(timedelta(seconds=database.IDLE_PING_SECONDS + 1))

    assert client.get(f"/c/{campaign.slug}").status_code == 200
