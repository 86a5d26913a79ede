"""The schema comes from migrations; they must build exactly what the models describe."""

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from petition import create_app
from petition.extensions import db
from petition.models import Campaign, OutboxMessage, Signature

from .conftest import POSTGRES_URL, app_test_config, postgres_admin_engine


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.sqlite'}"
        return
    admin = postgres_admin_engine()  # skips, or fails on CI, without PostgreSQL
    name = f"petition_migrate_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield sa.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_migrations_build_the_schema_the_models_describe(empty_database_url):
    app = create_app(app_test_config(empty_database_url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert differences == []


def test_migrations_downgrade_to_nothing(empty_database_url):
    app = create_app(app_test_config(empty_database_url))
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        db.engine.dispose()
    assert tables == set()


def test_upgrading_to_sharded_counts_keeps_every_count_and_renders_stored_markdown(
    empty_database_url,
):
    """Revision 0005 on a database with data in it, as a running site has."""
    app = create_app(app_test_config(empty_database_url))
    moment = datetime(2026, 11, 1, 12, tzinfo=UTC)
    with app.app_context():
        upgrade(revision="0004")
        with db.engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO campaigns (id, slug, title, demand, status, signature_goal, "
                    "signature_count, zip_required, created_at, updated_at, victory_story) "
                    "VALUES (:id, :slug, :slug, :demand, :status, 100, :count, :yes, :at, :at, "
                    ":story)"
                ),
                [
                    {"id": 1, "slug": "kept", "demand": "End **money bail**", "status": "live"}
                    | {"count": 3, "story": None, "yes": True, "at": moment},
                    {"id": 2, "slug": "won", "demand": "Free *him*", "status": "won"}
                    | {"count": 0, "story": "We **won**", "yes": True, "at": moment},
                ],
            )
            states = [(True, False), (True, False), (True, False), (True, True), (False, False)]
            connection.execute(
                sa.text(
                    "INSERT INTO signatures (campaign_id, name, email, email_normalized, "
                    "wants_updates, show_publicly, created_at, confirmed_at, withdrawn_at) "
                    "VALUES (1, 'S', :email, :email, :no, :no, :at, :confirmed, :withdrawn)"
                ),
                [
                    {
                        "email": f"s{number}@x.org",
                        "no": False,
                        "at": moment,
                        "confirmed": moment if confirmed else None,
                        "withdrawn": moment if withdrawn else None,
                    }
                    for number, (confirmed, withdrawn) in enumerate(states)
                ],
            )
            connection.execute(
                sa.text(
                    "INSERT INTO outbox_messages (category, to_address, subject, body_text, "
                    "body_html, headers, message_id, created_at, next_attempt_at, attempts) "
                    "VALUES ('update', 'a@x.org', 'Hi', 'Hi', '<p>Hi</p>', '{}', '<1@x>', :at, "
                    ":at, 0)"
                ),
                {"at": moment},
            )
        upgrade()
        campaigns = {c.slug: c for c in db.session.scalars(sa.select(Campaign))}
        params = db.session.scalar(sa.select(OutboxMessage.params))
        signatures = db.session.scalar(sa.select(sa.func.count()).select_from(Signature))
        db.session.remove()
        db.engine.dispose()

    assert signatures == 5, "rebuilding campaigns on SQLite must not cascade to signatures"
    assert campaigns["kept"].signature_count == 3
    assert campaigns["won"].signature_count == 0
    assert campaigns["kept"].demand_html == "<p>End <strong>money bail</strong></p>\n"
    assert campaigns["won"].victory_story_html == "<p>We <strong>won</strong></p>\n"
    assert campaigns["kept"].victory_story_html is None
    assert params == {}


def test_downgrading_lets_signers_with_waiting_mail_get_a_fresh_link_at_once(
    empty_database_url, capsys
):
    """The old schema keeps rendered mail only: the waiting links go, and say so."""
    from petition.signing.services import SignatureDetails, sign

    app = create_app(app_test_config(empty_database_url))
    with app.app_context():
        upgrade()
    with app.test_request_context(method="POST"):
        campaign = Campaign(slug="kept", title="Kept", demand="End money bail", status="live")
        db.session.add(campaign)
        db.session.flush()
        sign(campaign, SignatureDetails("Ana Ruiz", "ana@x.org", None, None, False, False), None)
        db.session.commit()
        db.session.remove()
    with app.app_context():
        downgrade(revision="0004")
        with db.engine.connect() as connection:
            waiting = connection.exec_driver_sql("SELECT count(*) FROM outbox_messages").scalar()
            mailed = connection.exec_driver_sql("SELECT last_mailed_at FROM signatures").scalar()
        db.session.remove()
        db.engine.dispose()

    assert waiting == 0 and mailed is None
    assert "Dropped 1 unsent signing emails" in capsys.readouterr().out


def test_counts_made_by_the_upgrade_pass_verify_and_take_a_withdrawal(empty_database_url):
    from petition import counts
    from petition.signing.services import withdraw_signature

    app = create_app(app_test_config(empty_database_url))
    moment = datetime(2026, 11, 1, 12, tzinfo=UTC)
    with app.app_context():
        upgrade(revision="0004")
        with db.engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO campaigns (id, slug, title, demand, status, signature_goal, "
                    "signature_count, zip_required, created_at, updated_at) VALUES (1, 'c', 'C', "
                    "'D', 'live', 100, 999, :yes, :at, :at)"
                ),
                {"yes": True, "at": moment},
            )
            connection.execute(
                sa.text(
                    "INSERT INTO signatures (campaign_id, name, email, email_normalized, "
                    "wants_updates, show_publicly, created_at, confirmed_at) "
                    "VALUES (1, 'S', :email, :email, :no, :no, :at, :at)"
                ),
                [{"email": f"s{n}@x.org", "no": False, "at": moment} for n in range(20)],
            )
        upgrade()
    with app.test_request_context(method="POST"):
        assert counts.differences() == [], "each shard holds exactly its signatures"
        signature = db.session.scalar(sa.select(Signature).order_by(Signature.id.desc()))
        assert withdraw_signature(signature)
        db.session.commit()
        assert db.session.get(Campaign, 1).signature_count == 19
        db.session.remove()
        db.engine.dispose()
