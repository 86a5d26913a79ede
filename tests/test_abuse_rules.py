"""Abuse handled in the open: held signatures are kept, named, left out of the count, restorable."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from petition import counts
from petition.extensions import db
from petition.models import AuditEvent, Campaign, Signature
from petition.tokens import sign_form_age, sign_form_started_token

from .fixtures_accounts import log_in
from .helpers import SAME_ORIGIN, csrf_token, links, path_of, post_form, redis_database


def sign(client, campaign, email, **fields):
    page = f"/c/{campaign.slug}"
    data = {"name": "Maria Santos", "email": email, "zip_code": "70112", **fields}
    return post_form(client, page, f"{page}/sign", data)


def confirm_all(client, outbox):
    for message in outbox():
        for url in links(message.body_text):
            if "/confirm/" in url:
                client.post(path_of(url), headers=SAME_ORIGIN)


def held(app) -> list[tuple[str, str | None]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(Signature.email, Signature.held_by).order_by(Signature.id)
        )
        return [tuple(row) for row in rows]


def count(app, campaign) -> int:
    with app.app_context():
        return db.session.get(Campaign, campaign.id).signature_count


def test_a_filled_in_honeypot_is_kept_confirmed_and_held_out_of_the_count(
    app, client, make_campaign, outbox
):
    campaign = make_campaign()

    assert sign(client, campaign, "bot@example.org", homepage="http://spam").status_code == 303
    sign(client, campaign, "person@example.org")
    confirm_all(client, outbox)

    assert held(app) == [("bot@example.org", "honeypot"), ("person@example.org", None)]
    assert count(app, campaign) == 1
    page = client.get(f"/c/{campaign.slug}").get_data(as_text=True)
    assert "1 signature held for review" in page


def test_the_honeypot_is_hidden_from_people_and_the_page_links_the_privacy_page(
    client, make_campaign
):
    campaign = make_campaign()
    page = client.get(f"/c/{campaign.slug}").get_data(as_text=True)
    trap = re.search(r'<div class="trap" aria-hidden="true">.*?</div>', page, re.S).group()
    assert 'tabindex="-1"' in trap and 'name="homepage"' in trap
    assert 'href="/privacy"' in page
    assert "held for review" not in page


@pytest.mark.parametrize("app_config", [{"PETITION_SIGN_MIN_SECONDS": 2}])
def test_a_form_sent_back_faster_than_a_person_can_is_held(
    app, client, make_campaign, frozen_clock
):
    campaign = make_campaign()
    page = client.get(f"/c/{campaign.slug}").get_data(as_text=True)
    started = re.search(r'name="started" type="hidden" value="([^"]+)"', page).group(1)

    sign(client, campaign, "quick@example.org", started=started)
    frozen_clock.advance(timedelta(seconds=3))
    sign(client, campaign, "human@example.org", started=started)
    sign(client, campaign, "nostamp@example.org")
    sign(client, campaign, "forged@example.org", started="forged.value.xxxxxxxxxxxxxxxxxxxx")

    assert held(app) == [
        ("quick@example.org", "too_fast"),
        ("human@example.org", None),
        ("nostamp@example.org", "too_fast"),
        ("forged@example.org", "too_fast"),
    ]


def started_on_page(client, campaign) -> str:
    page = client.get(f"/c/{campaign.slug}").get_data(as_text=True)
    return re.search(r'name="started" type="hidden" value="([^"]+)"', page).group(1)


def test_every_form_carries_the_second_it_was_served_though_signed_once_a_second(
    app, client, make_campaign, frozen_clock
):
    campaign = make_campaign()
    first = started_on_page(client, campaign)
    assert started_on_page(client, campaign) == first  # the same second: the same bytes
    frozen_clock.advance(timedelta(seconds=1.5))

    later = started_on_page(client, campaign)
    with app.test_request_context():
        assert (sign_form_age(first), sign_form_age(later)) == (1.5, 0.5)
        app.config["SECRET_KEY"] = "another secret key, another signature"
        assert sign_form_started_token() != later
        assert sign_form_age(later) is None  # signed with the old key


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_a_second_signing_from_one_address_within_a_minute_is_held_as_a_burst(
    app, client, make_campaign
):
    campaign, other = make_campaign(), make_campaign()

    sign(client, campaign, "first@example.org")
    sign(client, campaign, "second@example.org")
    sign(client, other, "third@example.org")  # another demand has its own count

    assert held(app) == [
        ("first@example.org", None),
        ("second@example.org", "burst"),
        ("third@example.org", None),
    ]


@pytest.mark.parametrize(
    "app_config",
    [
        {
            "RATELIMIT_ENABLED": True,
            "PETITION_SIGN_BURST_LIMIT": "",
            "PETITION_SIGN_SUSTAINED_LIMIT": "2 per 300 seconds",
        }
    ],
)
def test_more_than_the_sustained_limit_from_one_address_is_held(app, client, make_campaign):
    campaign = make_campaign()
    for number in range(4):
        sign(client, campaign, f"s{number}@example.org")
    assert [rule for _, rule in held(app)] == [None, None, "sustained", "sustained"]


@pytest.fixture
def held_campaign(app, client, make_user, make_owned_campaign, outbox):
    """A live campaign with 1 counted and 3 held confirmed signatures; ``client`` is its owner."""
    owner = make_user("owner@example.org")
    campaign = make_owned_campaign(owner)
    sign(client, campaign, "person@example.org")
    for number in range(2):
        sign(client, campaign, f"bot{number}@example.org", homepage="x")
    app.config["PETITION_SIGN_MIN_SECONDS"] = 2
    sign(client, campaign, "fast@example.org")
    app.config["PETITION_SIGN_MIN_SECONDS"] = 0
    confirm_all(client, outbox)
    log_in(client, owner)
    return campaign


def test_the_dashboard_shows_how_many_each_rule_held(app, client, held_campaign):
    page = client.get(f"/dashboard/campaigns/{held_campaign.id}").get_data(as_text=True)
    rows = dict(re.findall(r'data-held-rule="(\w+)">.*?<td>(\d+)</td>', page, re.S))
    assert rows == {"honeypot": "2", "too_fast": "1"}
    assert "Restore 2 signatures" in page


def test_restoring_a_rule_counts_its_signatures_once(app, client, held_campaign):
    path = f"/dashboard/campaigns/{held_campaign.id}/held/restore"
    token = csrf_token(client, f"/dashboard/campaigns/{held_campaign.id}")

    first = client.post(path, data={"csrf_token": token, "rule": "honeypot"})
    again = client.post(path, data={"csrf_token": token, "rule": "honeypot"})

    assert first.status_code == again.status_code == 303
    assert count(app, held_campaign) == 3
    assert [rule for _, rule in held(app)] == [None, None, None, "too_fast"]
    with app.app_context():
        assert counts.differences() == []
    public = client.get(f"/c/{held_campaign.slug}").get_data(as_text=True)
    assert "1 signature held for review" in public
    with app.app_context():
        restores = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "signatures.restore")
        ).all()
    assert [(event.campaign_id, event.detail) for event in restores] == [
        (held_campaign.id, {"rule": "honeypot", "count": 2}),
        (held_campaign.id, {"rule": "honeypot", "count": 0}),
    ]


def test_a_restore_needs_the_csrf_token_and_a_known_rule(app, client, held_campaign):
    path = f"/dashboard/campaigns/{held_campaign.id}/held/restore"
    assert client.post(path, data={"rule": "honeypot"}).status_code == 400
    token = csrf_token(client, f"/dashboard/campaigns/{held_campaign.id}")
    assert client.post(path, data={"csrf_token": token, "rule": "nope"}).status_code == 400
    assert count(app, held_campaign) == 1


def test_withdrawing_a_held_signature_leaves_the_count_alone(app, client, held_campaign, outbox):
    [withdraw] = [
        path_of(url)
        for message in outbox()
        if message.to_address == "bot0@example.org"
        for url in links(message.body_text)
        if "/withdraw/" in url
    ]
    assert client.post(withdraw, headers=SAME_ORIGIN).status_code == 200
    assert count(app, held_campaign) == 1
    with app.app_context():
        assert counts.differences() == []


def test_exports_leave_held_signatures_out_until_they_are_restored(app, client, held_campaign):
    export = f"/dashboard/campaigns/{held_campaign.id}/export-delivery.csv"

    token = csrf_token(client, f"/dashboard/campaigns/{held_campaign.id}")

    def exported_rows() -> int:
        # Downloads are POSTs, so each one is in the audit log.
        with client.post(export, data={"csrf_token": token}) as response:
            assert response.status_code == 200
            return len(response.get_data(as_text=True).strip().splitlines()) - 1

    assert exported_rows() == 1
    client.post(f"/dashboard/campaigns/{held_campaign.id}/held/restore", data={"csrf_token": token})
    assert exported_rows() == 4


def test_a_pledge_page_says_how_many_of_its_backers_are_held(app, client, make_pledge, outbox):
    pledge = make_pledge(zips=("70112",))
    data = {"name": "Bot", "email": "bot@example.org", "zip_code": "70112", "homepage": "x"}
    post_form(client, pledge.url, f"{pledge.url}/back", data)
    confirm_all(client, outbox)

    page = client.get(pledge.url).get_data(as_text=True)

    assert "1 signature held for review" in page
    assert re.search(r"<strong>0</strong> of them live in", page)


# This module's own Redis database: flushed before and after, nobody else's touched.
REDIS_URL = "redis://127.0.0.1:6379/12"


@pytest.fixture
def redis_db():
    with redis_database(REDIS_URL) as server:
        yield server


@pytest.mark.parametrize(
    "app_config",
    [
        {
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": REDIS_URL,
            "PETITION_SIGN_SUSTAINED_LIMIT": "2 per 300 seconds",
        }
    ],
)
def test_the_rules_hold_with_the_limits_in_redis_counted_in_one_round_trip(
    app, client, make_campaign, redis_db, monkeypatch
):
    import redis

    campaign, other = make_campaign(), make_campaign()
    redis_db.script_flush()  # as after a restart: the first signing loads the script again
    sign(client, campaign, "signer0@example.org")
    sent = []
    send = redis.connection.Connection.send_packed_command

    def counted(connection, command, *args, **kwargs):
        sent.append(command)
        return send(connection, command, *args, **kwargs)

    monkeypatch.setattr(redis.connection.Connection, "send_packed_command", counted)
    sign(client, campaign, "signer1@example.org")
    # The sign form's own rate limit and both rules' windows, in one.
    assert len(sent) == 1
    sign(client, campaign, "signer2@example.org")
    sign(client, other, "elsewhere@example.org")

    assert held(app) == [
        ("signer0@example.org", None),
        ("signer1@example.org", "burst"),
        ("signer2@example.org", "sustained"),  # both exceeded: the stronger names it
        ("elsewhere@example.org", None),
    ]
    # Only the tries each window took are in it: a refused one is not counted.
    windows = sorted(redis_db.llen(key) for key in redis_db.keys("*sign-rule*"))
    assert windows == [1, 1, 1, 2]
