"""The public "contacted N times" cannot be inflated; asking in person shows as such."""

from datetime import timedelta

import sqlalchemy as sa

from petition.extensions import db
from petition.models import AuditEvent, Candidate, CandidateContact

from .fixtures_accounts import log_in
from .helpers import post_form


def contact_count(app, candidate_id) -> int:
    with app.app_context():
        return db.session.get(Candidate, candidate_id).contact_count


def test_resending_an_invitation_counts_one_contact_per_72_hours(
    app, client, make_pledge, frozen_clock, outbox
):
    pledge = make_pledge()
    log_in(client, pledge.owner)
    candidate_id = pledge.candidate_ids[0]
    invite = f"{pledge.manage_url}/candidates/{candidate_id}/invite"

    for _ in range(5):
        post_form(client, pledge.manage_url, invite, {})
    assert contact_count(app, candidate_id) == 1
    assert len([m for m in outbox() if m.category == "pledge_invitation"]) == 5

    frozen_clock.advance(timedelta(hours=71))
    post_form(client, pledge.manage_url, invite, {})
    assert contact_count(app, candidate_id) == 1

    frozen_clock.advance(timedelta(hours=1))
    post_form(client, pledge.manage_url, invite, {})
    assert contact_count(app, candidate_id) == 2
    page = app.test_client().get(pledge.url).get_data(as_text=True)
    assert "contacted 2 times by email" in page


def test_asking_in_person_or_by_phone_is_recorded_and_shown_as_such(
    app, client, make_pledge, frozen_clock
):
    pledge = make_pledge()
    log_in(client, pledge.owner)
    candidate_id = pledge.candidate_ids[1]
    path = f"{pledge.manage_url}/candidates/{candidate_id}/contacts"
    day = frozen_clock.now().date()

    first = post_form(
        client, pledge.manage_url, path, {"method": "in_person", "contacted_on": str(day)}
    )
    post_form(
        client,
        pledge.manage_url,
        path,
        {"method": "phone", "contacted_on": str(day - timedelta(days=3))},
    )

    assert first.status_code == 303
    page = app.test_client().get(pledge.url).get_data(as_text=True)
    asked_phone = (
        f"Asked by phone on {(day - timedelta(days=3)):%B} {(day - timedelta(days=3)).day}"
    )
    asked_in_person = f"Asked in person on {day:%B} {day.day}"
    assert asked_phone in page
    assert asked_in_person in page
    assert page.index(asked_phone) < page.index(asked_in_person)  # oldest first
    assert contact_count(app, candidate_id) == 0  # not folded into the email count
    with app.app_context():
        assert db.session.scalar(sa.select(AuditEvent.action)) == "pledge.record_contact"


def test_a_bad_contact_is_refused_with_a_message_and_records_nothing(
    app, client, make_pledge, frozen_clock
):
    pledge = make_pledge()
    log_in(client, pledge.owner)
    path = f"{pledge.manage_url}/candidates/{pledge.candidate_ids[0]}/contacts"
    tomorrow = frozen_clock.now().date() + timedelta(days=1)

    for data, message in [
        ({"method": "phone", "contacted_on": str(tomorrow)}, "cannot be in the future"),
        ({"method": "fax", "contacted_on": "2026-01-02"}, "Not a valid choice"),
        ({"method": "phone", "contacted_on": "2026-02-31"}, "Enter a real date"),
        ({"contacted_on": "2026-01-02"}, "Choose in person or by phone"),
    ]:
        response = post_form(client, pledge.manage_url, path, data)
        assert response.status_code == 303
        assert message in client.get(response.location).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(CandidateContact.id))) == 0
