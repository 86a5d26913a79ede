"""Retention: supporters' personal data is erased a set time after a demand closes."""

import re
from datetime import timedelta

import sqlalchemy as sa

from petition import counts
from petition.clock import now
from petition.extensions import db
from petition.models import Campaign, CampaignStatus, OutboxMessage, Signature

from .helpers import post_form


def close(app, campaign, days_ago: int) -> None:
    with app.app_context():
        row = db.session.get(Campaign, campaign.id)
        row.status = CampaignStatus.CLOSED
        row.closed_at = now() - timedelta(days=days_ago)
        db.session.commit()


def people(app, campaign) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(
                Signature.name,
                Signature.email,
                Signature.zip_code,
                Signature.comment,
                Signature.ip_hash,
                Signature.show_publicly,
                Signature.confirmed_at.is_not(None),
            )
            .where(Signature.campaign_id == campaign.id)
            .order_by(Signature.id)
        )
        return [tuple(row) for row in rows]


def sign(client, campaign, email: str) -> None:
    page = f"/c/{campaign.slug}"
    data = {"name": "Pat Doe", "email": email, "zip_code": "70112", "comment": "Yes."}
    post_form(client, page, f"{page}/sign", data)


def test_signers_of_a_demand_closed_long_ago_are_anonymized_and_the_count_stays(
    app, client, runner, make_campaign, add_signature, outbox
):
    old, recent, live = make_campaign(), make_campaign(), make_campaign()
    for campaign in (old, recent, live):
        add_signature(campaign, name="Maria Santos", comment="Free them.", show_publicly=True)
    sign(client, old, "pending@example.org")  # never confirmed: erased all the same
    outbox()  # the worker renders the confirmation mail
    with app.app_context():
        db.session.execute(sa.update(OutboxMessage).values(sent_at=now()))
        db.session.commit()
    close(app, old, days_ago=184)
    close(app, recent, days_ago=182)

    result = runner.invoke(args=["retention", "run"])

    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{old.slug} (closed ")
    assert "anonymized 2 signatures, deleted 1 sent email." in result.output
    assert people(app, old) == [
        ("", "", None, None, None, False, True),
        ("", "", None, None, None, False, False),
    ]
    for untouched in (recent, live):
        [(name, _, zip_code, comment, *_)] = people(app, untouched)
        assert (name, zip_code, comment) == ("Maria Santos", "70112", "Free them.")
    with app.app_context():
        assert counts.differences() == []
    with app.app_context():
        assert db.session.get(Campaign, old.id).signature_count == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
    page = client.get(f"/c/{old.slug}").get_data(as_text=True)
    assert "Maria" not in page and "Free them." not in page
    assert re.search(r"data-count>1</strong>", page)


def test_a_second_run_does_nothing_and_says_so(app, runner, make_campaign, add_signature):
    campaign = make_campaign()
    add_signature(campaign)
    close(app, campaign, days_ago=200)

    first = runner.invoke(args=["retention", "run"])
    second = runner.invoke(args=["retention", "run"])

    assert "anonymized 1 signature," in first.output
    assert second.exit_code == 0
    assert second.output.startswith("Nothing to anonymize")


def test_a_live_demand_past_its_closing_date_counts_as_closed_then(
    app, runner, make_campaign, add_signature
):
    campaign = make_campaign()
    add_signature(campaign)
    with app.app_context():
        db.session.get(Campaign, campaign.id).closes_at = now() - timedelta(days=190)
        db.session.commit()

    assert "anonymized 1 signature," in runner.invoke(args=["retention", "run"]).output


def test_the_privacy_page_says_what_is_kept_and_for_how_long(app, client, make_campaign):
    app.config["PETITION_RETENTION_DAYS"] = 90
    page = client.get("/privacy")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "90 days after a demand closes" in text
    assert "network fingerprints" in text


def test_every_form_collecting_personal_data_links_the_privacy_page(client, make_campaign):
    campaign = make_campaign()
    for path in (f"/c/{campaign.slug}", "/register"):
        html = client.get(path).get_data(as_text=True)
        form = html[html.index("<form") : html.rindex("</form>")]
        assert 'href="/privacy"' in form, path
