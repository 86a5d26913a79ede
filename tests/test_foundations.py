"""Email normalization, privacy of addresses, configuration, demo data."""

import logging

import pytest
import sqlalchemy as sa

from petition import create_app
from petition.emails import normalize_email
from petition.extensions import db
from petition.logs import RedactClientAddress
from petition.models import Campaign, Signature


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("Maria@Example.ORG", "maria@example.org"),
        ("  maria@example.org\t", "maria@example.org"),
        ("m.a.r.i.a@gmail.com", "maria@gmail.com"),
        ("Maria+petitions@Gmail.com", "maria@gmail.com"),
        ("maria.s+x+y@googlemail.com", "marias@gmail.com"),
        ("maria.s+x@example.org", "maria.s+x@example.org"),
    ],
)
def test_normalize_email(typed, normal):
    assert normalize_email(typed) == normal


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x"})


def test_client_addresses_are_redacted_from_access_logs():
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '%s - - "GET / HTTP/1.1" 200 -',
        ("203.0.113.9",),
        None,
    )
    RedactClientAddress().filter(record)
    assert "203.0.113.9" not in record.getMessage()
    v6 = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, "2001:db8::1 - GET /", (), None)
    RedactClientAddress().filter(v6)
    assert "2001:db8::1" not in v6.getMessage()
    assert "GET /" in v6.getMessage()


def test_the_ip_address_is_stored_only_as_a_keyed_hash(app):
    from petition.netaddr import hash_address

    with app.test_request_context():
        first = hash_address("203.0.113.9")
        assert first == hash_address("203.0.113.9")
        assert first != hash_address("203.0.113.10")
        assert "203.0.113" not in first
    other = create_app({"TESTING": True, "SECRET_KEY": "another", **_db(app)})
    with other.test_request_context():
        assert hash_address("203.0.113.9") != first


def _db(app):
    return {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}


def test_demo_loads_five_live_campaigns_idempotently(app, runner):
    assert "5 new" in runner.invoke(args=["demo"]).output
    assert "0 new" in runner.invoke(args=["demo"]).output
    with app.app_context():
        campaigns = db.session.scalars(sa.select(Campaign)).all()
        assert (
            len(
                [
                    c
                    for c in campaigns
                    if c.slug.startswith(
                        ("new-orleans", "dallas", "chicago", "orlando", "greenville")
                    )
                ]
            )
            == 5
        )
        for campaign in campaigns:
            confirmed = db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Signature)
                .where(Signature.campaign_id == campaign.id, Signature.confirmed_at.is_not(None))
            )
            assert campaign.signature_count == confirmed
        emails = db.session.scalars(sa.select(Signature.email)).all()
        assert all(email.endswith("@example.org") for email in emails)


def test_demo_text_quotes_no_one(app, runner):
    from petition.demo import DEMO_CAMPAIGNS

    for spec in DEMO_CAMPAIGNS:
        assert '"' not in spec["demand"] and "“" not in spec["demand"]
        assert " said" not in spec["demand"] and "pledged" not in spec["demand"]


def test_redaction_keeps_the_time_of_day_in_access_lines():
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '%s - - [27/Nov/2026 18:42:59] "GET / HTTP/1.1" 200 -',
        ("::1",),
        None,
    )
    RedactClientAddress().filter(record)
    assert record.getMessage().startswith("[address] - - [27/Nov/2026 18:42:59]")
    full = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        "2001:0db8:0000:0000:0000:ff00:0042:8329 GET",
        (),
        None,
    )
    RedactClientAddress().filter(full)
    assert full.getMessage() == "[address] GET"


def test_ipv4_mapped_addresses_are_redacted_whole():
    record = logging.LogRecord(
        "werkzeug", logging.INFO, __file__, 1, "::ffff:203.0.113.7 - GET /", (), None
    )
    RedactClientAddress().filter(record)
    assert record.getMessage() == "[address] - GET /"
