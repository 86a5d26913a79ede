"""The audit log: organizers' and admins' actions, recorded append-only, read by who may."""

import re

import pytest
import sqlalchemy as sa

from petition import audit
from petition.extensions import db
from petition.models import AuditEvent, CampaignStatus

from .fixtures_accounts import log_in
from .fixtures_pledges import link_for
from .helpers import csrf_token, post_form


@pytest.fixture
def organizer(client, make_user):
    user = make_user("organizer@example.org")
    log_in(client, user)
    return user


def press(client, campaign, action, **data):
    page = f"/dashboard/campaigns/{campaign.id}"
    return client.post(f"{page}/{action}", data={"csrf_token": csrf_token(client, page), **data})


def actions(app) -> list[tuple[str, int | None, int | None]]:
    with app.app_context():
        return [
            (event.action, event.actor_id, event.campaign_id)
            for event in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))
        ]


def test_each_lifecycle_step_is_recorded_with_who_and_which_campaign(
    app, client, organizer, make_owned_campaign
):
    campaign = make_owned_campaign(organizer, status=CampaignStatus.DRAFT)

    for action in ("publish", "close", "reopen"):
        assert press(client, campaign, action).status_code == 303
    press(client, campaign, "export.csv")
    press(client, campaign, "export-delivery.csv")

    assert actions(app) == [
        ("campaign.publish", organizer.id, campaign.id),
        ("campaign.close", organizer.id, campaign.id),
        ("campaign.reopen", organizer.id, campaign.id),
        ("campaign.export", organizer.id, campaign.id),
        ("campaign.export_delivery", organizer.id, campaign.id),
    ]


def test_a_refused_step_records_nothing(app, client, organizer, make_owned_campaign):
    campaign = make_owned_campaign(organizer, status=CampaignStatus.CLOSED)
    press(client, campaign, "publish")
    assert actions(app) == []


def test_co_organizers_joining_and_leaving_are_recorded(
    app, client, organizer, make_owned_campaign, make_user, add_co_organizer
):
    campaign = make_owned_campaign(organizer)
    helper = make_user("helper@example.org")
    add_co_organizer(campaign, helper)
    with app.app_context():
        [row_id] = db.session.scalars(sa.text("SELECT id FROM campaign_organizers")).all()
    page = f"/dashboard/campaigns/{campaign.id}/organizers"

    post_form(client, page, page, {"email": "third@example.org"})
    post_form(client, page, f"{page}/{row_id}/remove", {})

    recorded = actions(app)
    assert [action for action, _, _ in recorded] == ["organizer.invite", "organizer.remove"]
    assert {actor for _, actor, _ in recorded} == {organizer.id}


def test_hiding_a_statement_and_revoking_a_link_are_recorded_on_the_pledge(
    app, client, make_pledge
):
    from .fixtures_pledges import answer

    pledge = make_pledge()
    candidate_id = pledge.candidate_ids[0]
    answer(app.test_client(), link_for(app, candidate_id), "declined", "Rude words.")
    log_in(client, pledge.owner)
    with app.app_context():
        response_id = db.session.scalar(sa.text("SELECT id FROM pledge_responses"))
    base = f"/dashboard/pledges/{pledge.id}"

    hide = f"{base}/responses/{response_id}/hide"
    assert post_form(client, hide, hide, {"reason": "A slur"}).status_code == 303
    assert (
        post_form(client, base, f"{base}/candidates/{candidate_id}/revoke", {}).status_code == 303
    )

    with app.app_context():
        events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [(e.action, e.pledge_id, e.campaign_id) for e in events] == [
            ("pledge.hide_statement", pledge.id, pledge.campaign_id),
            ("pledge.revoke_link", pledge.id, pledge.campaign_id),
        ]
        assert "Rude words" not in str(events[0].detail)


def test_the_database_refuses_to_change_or_delete_an_event(app, make_user, make_campaign):
    campaign = make_campaign()
    with app.app_context():
        audit.record(None, "campaign.close", campaign=db.session.merge(campaign), reason="test")
        db.session.commit()
        statements = ["UPDATE audit_events SET action = 'forged'"]
        if db.engine.dialect.name == "postgresql":  # SQLite: see petition/models/audit.py
            statements.append("DELETE FROM audit_events")
        for statement in statements:
            with pytest.raises(sa.exc.DBAPIError, match="append-only"):
                db.session.execute(sa.text(statement))
            db.session.rollback()
        assert db.session.scalar(sa.select(AuditEvent.action)) == "campaign.close"


def test_deleting_a_never_published_draft_takes_its_events_with_it(
    app, client, organizer, make_owned_campaign
):
    campaign = make_owned_campaign(organizer, status=CampaignStatus.DRAFT)
    page = f"/dashboard/campaigns/{campaign.id}/edit"
    with app.app_context():
        audit.record(organizer, "campaign.edit", campaign=db.session.merge(campaign))
        db.session.commit()

    assert press(client, campaign, "delete").status_code == 303

    assert client.get(page).status_code == 404
    assert actions(app) == []


def test_organizers_read_their_campaigns_history_and_nothing_else(
    app, client, organizer, make_owned_campaign, make_user
):
    mine = make_owned_campaign(organizer, title="Mine")
    theirs = make_owned_campaign(make_user(), title="Theirs")
    with app.app_context():
        audit.record(organizer, "campaign.close", campaign=db.session.merge(mine))
        audit.record(None, "campaign.take_down", campaign=db.session.merge(theirs))
        db.session.commit()

    page = client.get(f"/dashboard/campaigns/{mine.id}/history").get_data(as_text=True)

    assert "Closed" in page
    assert "Taken down" not in page
    assert "History" in client.get(f"/dashboard/campaigns/{mine.id}").get_data(as_text=True)
    assert client.get(f"/dashboard/campaigns/{theirs.id}/history").status_code == 404


def test_admins_read_every_event_a_page_at_a_time(app, client, make_user, make_campaign):
    campaign = make_campaign(title="Paged")
    with app.app_context():
        row = db.session.merge(campaign)
        for _ in range(audit.PAGE_SIZE + 1):
            audit.record(None, "campaign.close", campaign=row)
        db.session.commit()
    log_in(client, make_user(admin=True))

    first = client.get("/admin/audit").get_data(as_text=True)
    second = client.get("/admin/audit?page=2").get_data(as_text=True)

    assert first.count('class="audit-event"') == audit.PAGE_SIZE
    assert "Page 1 of 2" in first
    assert second.count('class="audit-event"') == 1
    for odd in ("0", "x", "99999999999999999999", "3"):
        assert client.get(f"/admin/audit?page={odd}").status_code == 200


@pytest.mark.parametrize("role", ["organizer", "anonymous"])
def test_every_admin_page_is_hidden_from_everyone_else(app, client, make_user, role):
    if role == "organizer":
        log_in(client, make_user())
    paths = [
        re.sub(r"<[^>]+>", "1", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/admin/") and "GET" in rule.methods
    ]
    assert "/admin/audit" in paths
    for path in paths:
        response = client.get(path)
        if role == "anonymous":
            assert response.status_code == 302, path
        else:
            assert response.status_code == 404, path


def test_the_history_names_who_acted_and_never_shows_an_email_address(
    app, client, organizer, make_owned_campaign, make_user
):
    campaign = make_owned_campaign(organizer, title="Mine")
    named_admin = make_user("named.admin@example.org", admin=True)
    anonymous_admin = make_user("quiet.admin@example.org", admin=True)
    nameless_organizer = make_user("co.organizer@example.org")
    with app.app_context():
        from petition.models import User

        for user in (anonymous_admin, nameless_organizer):
            db.session.get(User, user.id).name = ""
        row = db.session.merge(campaign)
        audit.record(db.session.get(User, named_admin.id), "campaign.approve", campaign=row)
        audit.record(db.session.get(User, anonymous_admin.id), "campaign.reject", campaign=row)
        audit.record(db.session.get(User, nameless_organizer.id), "campaign.close", campaign=row)
        audit.record(None, "campaign.take_down", campaign=row)
        db.session.commit()

    page = client.get(f"/dashboard/campaigns/{campaign.id}/history").get_data(as_text=True)

    for address in ("named.admin@", "quiet.admin@", "co.organizer@"):
        assert address not in page
    assert re.search(r"Sent back</strong>\s*by a site admin", page)
    assert re.search(r"Approved</strong>\s*by Named.Admin", page)
    assert re.search(r"Closed</strong>\s*by an organizer", page)
    assert re.search(r"Taken down</strong>\s*by the system", page)
    # Admins, who may read every account, still see the address.
    log_in(client, make_user(admin=True))
    assert "quiet.admin@example.org" in client.get("/admin/audit").get_data(as_text=True)
