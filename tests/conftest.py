"""Fixtures: every database-backed test runs on SQLite and on PostgreSQL.

The ``database`` fixture is parametrized per session, so the whole suite runs
once per backend. PostgreSQL is the production database: where it cannot be
reached the run says so and skips it, except on CI (``CI`` set), where a
skipped PostgreSQL run is a failure.
"""

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from petition import clock, create_app
from petition.extensions import db
from petition.models import (
    Campaign,
    CampaignStatus,
    OutboxMessage,
    SignatureCountShard,
    Target,
)
from petition.models.campaigns import DEFAULT_GOAL

from .helpers import Smtp, read_outbox

pytest_plugins = [
    "tests.fixtures_accounts",
    "tests.browser",
    "tests.fixtures_organizers",
    "tests.fixtures_pledges",
    "tests.fixtures_api",
    "tests.fixtures_spanish",
]

POSTGRES_URL = os.environ.get(
    "PETITION_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def postgres_admin_engine() -> sa.Engine:
    """Return an autocommit engine on the PostgreSQL server, or skip (fail on CI)."""
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect():
            pass
    except sa.exc.OperationalError as exc:
        admin.dispose()
        message = f"PostgreSQL is not reachable at {POSTGRES_URL}: {exc.orig}"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI must run the PostgreSQL suite)")
        pytest.skip(f"{message}; PostgreSQL run SKIPPED, SQLite only")
    return admin


class Database:
    """One backend for the session; hands each test an empty schema."""

    def __init__(self, backend: str, tmp: Path) -> None:
        self.backend = backend
        self.tmp = tmp
        self.pg_name: str | None = None
        self.pg_url: sa.URL | None = None

    def open(self) -> None:
        if self.backend == "postgresql":
            self._create_postgres_database()

    def _create_postgres_database(self) -> None:
        admin = postgres_admin_engine()
        with admin.connect() as connection:
            self.pg_name = f"petition_test_{uuid.uuid4().hex[:10]}"
            connection.execute(sa.text(f'CREATE DATABASE "{self.pg_name}"'))
        admin.dispose()
        self.pg_url = sa.make_url(POSTGRES_URL).set(database=self.pg_name)
        engine = sa.create_engine(self.pg_url)
        db.metadata.create_all(engine)
        engine.dispose()

    def url(self, tmp_path: Path) -> str:
        if self.backend == "sqlite":
            return f"sqlite:///{tmp_path / 'test.sqlite'}"
        assert self.pg_url is not None
        return self.pg_url.render_as_string(hide_password=False)

    def prepare(self) -> None:
        """Create the schema for one test (in an app context)."""
        if self.backend == "sqlite":
            db.create_all()

    def reset(self) -> None:
        """Empty every table after a test (in an app context)."""
        if self.backend == "postgresql":
            tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
            with db.engine.begin() as connection:
                connection.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))

    def close(self) -> None:
        if self.pg_name is None:
            return
        admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)'))
        admin.dispose()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run a test marked ``backend("sqlite")`` only with that database, instead of skipping."""
    keep, drop = [], []
    for item in items:
        marker = item.get_closest_marker("backend")
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("database") if callspec else None
        (drop if marker and backend not in marker.args else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[Database]:
    database = Database(request.param, tmp_path_factory.mktemp(request.param))
    database.open()
    yield database
    database.close()


def app_test_config(database_url: str, **overrides: object) -> dict[str, object]:
    """Return the configuration every test app starts from."""
    config: dict[str, object] = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "RATELIMIT_ENABLED": False,
        "PETITION_BASE_URL": "http://petition.test",
        "MAIL_SERVER": None,
        "MAIL_DEFAULT_SENDER": "Petition <petition@petition.test>",
        # Every poll reads the database: tests of the cache itself turn it on.
        "PETITION_COUNT_CACHE_SECONDS": 0,
        # Every page view renders afresh: tests of the process's page copies turn them on.
        "PETITION_PAGE_CACHE_SECONDS": 0,
        # Tests post forms the moment they are served; tests of the rule turn it on.
        "PETITION_SIGN_MIN_SECONDS": 0,
    }
    config.update(overrides)
    return config


@pytest.fixture
def app_config() -> dict[str, object]:
    """Per-test configuration overrides; tests may update this before using ``app``."""
    return {}


@pytest.fixture
def app(database: Database, tmp_path: Path, app_config: dict[str, object]) -> Iterator[Flask]:
    app = create_app(app_test_config(database.url(tmp_path), **app_config))
    with app.app_context():
        database.prepare()
    yield app
    with app.app_context():
        db.session.remove()
        database.reset()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def frozen_clock() -> Iterator[type[clock]]:
    """Freeze petition.clock; move it with ``clock.advance(...)``, never sleep."""
    clock.freeze(datetime(2026, 3, 3, 15, 0, tzinfo=UTC))
    yield clock
    clock.unfreeze()


@pytest.fixture
def make_campaign(app: Flask) -> Callable[..., Campaign]:
    """Return a factory for campaigns; the result is detached with columns loaded."""
    counter = iter(range(1, 10_000))

    def make(**overrides: object) -> Campaign:
        """Make a campaign; ``signature_count=N`` shows N without N signature rows.

        That count is for tests of how figures read on a page: ``counts verify``
        would report it, since no signatures back it.
        """
        number = next(counter)
        shown = overrides.pop("signature_count", 0)
        values: dict[str, object] = {
            "slug": f"test-campaign-{number}",
            "title": f"Test campaign {number}",
            "demand": "End money bail in our county.",
            "status": CampaignStatus.LIVE,
            "signature_goal": DEFAULT_GOAL,
        }
        values.update(overrides)
        with app.app_context():
            campaign = Campaign(**values)
            if not campaign.targets:
                campaign.targets = [
                    Target(
                        name="Test Prosecutor",
                        office="Test County District Attorney",
                        jurisdiction="Testville, LA",
                    )
                ]
            db.session.add(campaign)
            db.session.flush()
            if shown:
                db.session.add(
                    SignatureCountShard(campaign_id=campaign.id, shard=0, signatures=shown)
                )
            db.session.commit()
            db.session.refresh(campaign)
            db.session.expunge(campaign)
            return campaign

    return make


@pytest.fixture
def outbox(app: Flask) -> Callable[[], list[OutboxMessage]]:
    """Return a function listing outbox messages, oldest first (detached).

    Mail that the worker renders (queue_mail_later) is rendered first, as the
    worker would before sending it.
    """

    def read() -> list[OutboxMessage]:
        return read_outbox(app)

    return read


@pytest.fixture
def smtp() -> Iterator[Smtp]:
    """A real SMTP server (aiosmtpd) on a free local port."""
    server = Smtp()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def one_week() -> timedelta:
    return timedelta(days=7)
