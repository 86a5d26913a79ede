"""After the election: the winner, their promise record, corrections, and the update mail."""

import re
from datetime import timedelta
from email.header import decode_header, make_header
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from petition.extensions import db
from petition.models import CampaignUpdate, ElectionResult, EvidenceEntry, Signature
from petition.outbox import deliver_due

from .fixtures_accounts import log_in
from .fixtures_pledges import answer, link_for
from .helpers import body_text, post_form

ELECTION_PASSED = timedelta(days=300)  # from the frozen March 3, 2026 to December 28
SOURCE = "https://example.org/official-results"


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def race(app, client, make_pledge, frozen_clock):
    """A pledge whose first candidate pledged, with its owner logged in, before election day."""
    pledge = make_pledge(candidates=("Winner W (test)", "Runner R (test)"))
    winner_id = pledge.candidates["Winner W (test)"]
    answer(app.test_client(), link_for(app, winner_id), "pledged", "I will.")
    log_in(client, pledge.owner)
    return SimpleNamespace(pledge=pledge, winner_id=winner_id, clock=frozen_clock)


def record_winner(client, race, **changes):
    data = {"winner": str(race.winner_id), "source_url": SOURCE} | changes
    path = f"/dashboard/pledges/{race.pledge.id}/result"
    return post_form(client, race.pledge.manage_url, path, data)


def add_evidence(client, race, *, entry=None, **changes):
    data = {
        "happened_on": "2026-12-01",
        "summary": "Announced a review of the policy.",
        "source_url": "https://example.org/news/review",
        "rating": "in_the_works",
    } | changes
    base = f"/dashboard/pledges/{race.pledge.id}/evidence"
    path = f"{base}/{entry}/correct" if entry else f"{base}/new"
    return post_form(client, race.pledge.manage_url, path, data)


@pytest.fixture
def decided(race, client):
    race.clock.advance(ELECTION_PASSED)
    assert record_winner(client, race).status_code == 303
    return race


def entry_ids(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(EvidenceEntry.id).order_by(EvidenceEntry.id)))


def test_the_winner_cannot_be_recorded_before_election_day(app, client, race):
    response = record_winner(client, race)

    assert response.status_code == 303
    page = client.get(response.location).get_data(as_text=True)
    assert "The election is on November 3, 2026: record the winner from that day on." in page
    assert _count(app, ElectionResult) == 0


def test_a_result_without_a_source_link_is_a_form_error(app, client, race):
    race.clock.advance(ELECTION_PASSED)

    response = record_winner(client, race, source_url="")

    assert response.status_code == 422
    assert "Enter a link to the source" in response.get_data(as_text=True)
    assert _count(app, ElectionResult) == 0


def test_the_result_is_recorded_once(app, client, decided):
    response = record_winner(client, decided)

    assert "already recorded" in client.get(response.location).get_data(as_text=True)
    assert _count(app, ElectionResult) == 1


def test_the_pledge_page_leads_with_the_winners_status_and_keeps_every_candidate(client, decided):
    page = client.get(decided.pledge.url).get_data(as_text=True)

    assert page.index("Winner W (test) won the election") < page.index("Where the candidates stand")
    assert "Winner W (test) took the pledge on" in page
    assert 'data-candidate="Winner W (test)"' in page
    assert 'data-candidate="Runner R (test)"' in page
    assert "I will." in page


def test_evidence_before_a_result_is_refused(app, client, race):
    response = add_evidence(client, race)

    assert response.status_code == 303
    assert "Record who won the election first" in client.get(response.location).get_data(True)
    assert _count(app, EvidenceEntry) == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"source_url": ""}, "Enter a link to the source"),
        ({"source_url": "javascript:alert(1)"}, "Enter a web address starting with https://"),
        ({"summary": ""}, "Say what the official did"),
        ({"rating": "perfect"}, "Not a valid choice"),
        ({"happened_on": "2027-01-01"}, "The date cannot be in the future"),
    ],
)
def test_bad_evidence_is_a_form_error_and_stores_nothing(app, client, decided, changes, message):
    response = add_evidence(client, decided, **changes)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(app, EvidenceEntry) == 0


def test_the_record_shows_the_rating_now_its_history_and_a_permalink_per_entry(
    app, client, decided
):
    add_evidence(client, decided)
    add_evidence(client, decided, happened_on="2026-12-20", rating="kept", summary="Policy ended.")
    first, second = entry_ids(app)

    page = client.get(f"{decided.pledge.url}/record").get_data(as_text=True)

    assert re.search(r'Rating now: <span class="rating rating-kept"', page)
    history = page[page.index("How it changed") : page.index("Evidence, newest first")]
    assert re.search(r"December 1, 2026</time>:\s+Not yet rated →.*In the works", history)
    assert re.search(r"December 20, 2026</time>:\s+In the works →.*Kept", history)
    assert f'id="entry-{first}"' in page and f'id="entry-{second}"' in page
    assert page.index(f'id="entry-{second}"') < page.index(f'id="entry-{first}"'), "newest first"
    assert "https://example.org/news/review" in page


def test_a_correction_is_a_new_entry_shown_with_the_one_it_corrects(app, client, decided):
    add_evidence(client, decided, rating="kept", summary="Said the policy ended.")
    [wrong] = entry_ids(app)

    response = add_evidence(
        client, decided, entry=wrong, rating="compromise", summary="Only some charges dropped."
    )

    assert response.status_code == 303
    [_, correction] = entry_ids(app)
    page = client.get(f"{decided.pledge.url}/record").get_data(as_text=True)
    assert "Said the policy ended." in page and "Only some charges dropped." in page
    assert f'This corrects <a href="#entry-{wrong}">entry {wrong}</a>' in page
    assert f'Corrected by <a href="#entry-{correction}">entry {correction}</a>' in page
    assert re.search(r'Rating now: <span class="rating rating-compromise"', page)
    with app.app_context():
        assert db.session.get(EvidenceEntry, wrong).rating == "kept", "the original is untouched"


def test_correcting_an_entry_of_another_pledge_is_not_found(
    app, client, decided, make_pledge, frozen_clock
):
    add_evidence(client, decided)
    [theirs] = entry_ids(app)
    mine = make_pledge(owner=decided.pledge.owner)
    mine_race = SimpleNamespace(pledge=mine, winner_id=mine.candidate_ids[0])
    record_winner(client, mine_race)

    response = add_evidence(client, mine_race, entry=theirs)

    assert response.status_code == 404
    assert len(entry_ids(app)) == 1


def test_the_record_has_no_route_that_edits_or_deletes(app):
    # The moderation queue's approve and reject act only on held entries, which
    # were never public (tests/test_held_content.py); nothing edits a public one.
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if "/evidence" in rule.rule and not rule.rule.startswith("/admin/moderation/")
    ]
    assert len(rules) == 4, "add and correct, for a pledge's winner and a demand's target"
    assert {rule.rule.rsplit("/", 1)[-1] for rule in rules} == {"correct", "new"}
    assert set().union(*(rule.methods for rule in rules)) == {"GET", "HEAD", "OPTIONS", "POST"}


def test_the_record_page_before_a_result_says_so(client, race):
    page = client.get(f"{race.pledge.url}/record")

    assert page.status_code == 200
    assert "The election result is not recorded yet" in page.get_data(as_text=True)


# -- the update mail, through a real SMTP server ---------------------------


@pytest.fixture
def mail_app(request, database, app_config, smtp):
    app_config.update(smtp.config)
    return request.getfixturevalue("app")


def test_a_rating_change_mails_opted_in_supporters_with_a_working_unsubscribe(
    mail_app, smtp, make_pledge, add_signature, frozen_clock
):
    app = mail_app
    client = app.test_client()
    pledge = make_pledge()
    campaign = SimpleNamespace(id=pledge.campaign_id)
    subscriber = add_signature(campaign, email="hears@example.net", wants_updates=True)
    add_signature(campaign, email="quiet@example.net", wants_updates=False)
    log_in(client, pledge.owner)
    race = SimpleNamespace(pledge=pledge, winner_id=pledge.candidate_ids[0], clock=frozen_clock)
    frozen_clock.advance(ELECTION_PASSED)
    record_winner(client, race)

    add_evidence(client, race, rating="kept", notify="y")
    with app.app_context():
        deliver_due()

    [message] = smtp.received
    assert message["X-Envelope-To"] == "hears@example.net"
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == "Candidate A (test)'s promise: Not yet rated → Kept"
    [entry] = entry_ids(app)
    assert f"/p/{pledge.slug}/record#entry-{entry}" in body_text(message)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [url] = re.findall(r"<(https?://[^>]+)>", "".join(message["List-Unsubscribe"].split()))
    assert app.test_client().post(url.split("petition.test", 1)[1]).status_code == 200
    with app.app_context():
        assert db.session.get(Signature, subscriber).unsubscribed_at is not None


def test_evidence_without_the_box_ticked_mails_nobody(app, client, decided, add_signature, outbox):
    add_signature(SimpleNamespace(id=decided.pledge.campaign_id), wants_updates=True)

    add_evidence(client, decided, rating="kept")

    assert outbox() == []


def test_the_demo_pledge_has_a_fictional_winner_and_three_marked_entries(app, runner, client):
    assert runner.invoke(args=["demo"]).exit_code == 0

    with app.app_context():
        summaries = list(db.session.scalars(select(EvidenceEntry.summary)))
        sources = list(db.session.scalars(select(EvidenceEntry.source_url)))
    assert len(summaries) == 3 and all(s.startswith("(Demo data) ") for s in summaries)
    assert all(s.startswith("https://example.org/demo/") for s in sources)
    page = client.get("/p/new-orleans-da-pledge/record").get_data(as_text=True)
    assert "Candidate A (demo) won" in page
    assert re.search(r'Rating now: <span class="rating rating-compromise"', page)
    assert "This corrects" in page and "Corrected by" in page
    pledge_page = client.get("/p/new-orleans-da-pledge").get_data(as_text=True)
    assert "Candidate A (demo) won the election" in pledge_page


def test_under_moderation_evidence_announced_to_supporters_waits_for_review(
    app, client, decided, add_signature, outbox
):
    app.config["PETITION_MODERATION"] = True
    add_signature(SimpleNamespace(id=decided.pledge.campaign_id), wants_updates=True)

    response = add_evidence(client, decided, rating="kept", notify="y")

    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "waits for a moderator" in page
    with app.app_context():
        [held_at] = db.session.scalars(select(CampaignUpdate.held_at))
    assert held_at is not None
    assert outbox() == []


def test_a_taken_down_race_mails_its_supporters_nothing(
    app, client, decided, add_signature, outbox
):
    from petition.models import Pledge
    from petition.takedown import take_down_pledge

    add_signature(SimpleNamespace(id=decided.pledge.campaign_id), wants_updates=True)
    with app.app_context():
        take_down_pledge(db.session.get(Pledge, decided.pledge.id), "Impersonates a campaign")
        db.session.commit()
    before = outbox()

    response = add_evidence(client, decided, rating="kept", notify="y")

    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "No update was sent: the demand is not public" in page
    with app.app_context():
        assert db.session.scalars(select(CampaignUpdate)).all() == []
    assert len(outbox()) == len(before), "only the take-down notice to the organizers"
