"""On SQLite, pages are read while signing holds the write lock, and reads never write."""

import sqlite3

import pytest
import sqlalchemy as sa

from petition.database import is_read_request
from petition.extensions import db
from petition.models import Campaign

pytestmark = pytest.mark.backend("sqlite")


@pytest.fixture
def sqlite_file(app):
    return sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database


def test_a_page_is_served_while_another_process_holds_the_write_lock(
    app, client, make_campaign, sqlite_file
):
    campaign = make_campaign()
    writer = sqlite3.connect(sqlite_file, isolation_level=None, timeout=0)
    try:
        # A signing request in another worker, mid-transaction. A read that
        # wanted the write lock would wait out busy_timeout and then fail.
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE campaigns SET title = 'Being edited' WHERE id = ?", (campaign.id,))

        page = client.get(f"/c/{campaign.slug}")
        count = client.get(f"/c/{campaign.slug}/count.json")
        home = client.get("/")
    finally:
        writer.execute("ROLLBACK")
        writer.close()

    assert page.status_code == count.status_code == home.status_code == 200
    assert campaign.title in page.get_data(as_text=True), "the committed text, not the edit"


def test_a_write_during_a_read_request_fails_at_once(app, sqlite_file, make_campaign):
    campaign = make_campaign()
    with app.test_request_context(method="GET"):
        assert is_read_request()
        db.session.get(Campaign, campaign.id).title = "Written by a GET"
        with pytest.raises(sa.exc.OperationalError, match="readonly"):
            db.session.commit()
        db.session.rollback()
    with app.test_request_context(method="POST"):
        assert not is_read_request()
        db.session.get(Campaign, campaign.id).title = "Written by a POST"
        db.session.commit()
    with app.app_context():
        assert db.session.get(Campaign, campaign.id).title == "Written by a POST"
