"""Candidate pledges: invitations, answers, history, links, the public record."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from petition.extensions import db
from petition.models import Candidate, OutboxMessage, Pledge, PledgeResponse
from petition.tokens import signature_confirm_token

from .fixtures_accounts import log_in
from .fixtures_pledges import answer, link_for, responses_of
from .helpers import links, path_of, post_form


def group_of(html: str, name: str) -> str:
    """Return which scoreboard group ("pledged", "declined", "silent") lists ``name``."""
    groups = re.split(r'data-group="', html)[1:]
    found = [group.split('"', 1)[0] for group in groups if f'data-candidate="{name}"' in group]
    assert len(found) == 1, f"{name} is in groups {found}"
    return found[0]


def test_invitation_email_carries_a_working_private_link(app, client, make_pledge, outbox):
    pledge = make_pledge()
    log_in(client, pledge.owner)
    candidate_id = pledge.candidates["Candidate A (test)"]

    response = post_form(
        client,
        pledge.manage_url,
        f"{pledge.manage_url}/candidates/{candidate_id}/invite",
        {},
    )

    assert response.status_code == 303
    [message] = outbox()
    assert message.category == "pledge_invitation"
    assert message.to_address.startswith("candidate") and "Test pledge" in message.subject
    [respond] = [url for url in links(message.body_text) if "/respond/" in url]
    assert respond.startswith("http://petition.test/respond/")
    assert respond in message.body_html
    page = client.get(path_of(respond))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Candidate A (test), will you take the pledge?" in html
    assert "Test pledge" in html and "I take the pledge" in html
    with app.app_context():
        candidate = db.session.get(Candidate, candidate_id)
        assert candidate.first_invited_at is not None and candidate.contact_count == 1


def test_opening_the_link_records_nothing(app, client, make_pledge):
    pledge = make_pledge()
    candidate_id = pledge.candidate_ids[0]
    client.get(link_for(app, candidate_id))
    client.head(link_for(app, candidate_id))
    assert responses_of(app, candidate_id) == []


def test_candidate_takes_the_pledge_and_the_public_page_shows_it(app, client, make_pledge):
    pledge = make_pledge()
    candidate_id = pledge.candidates["Candidate A (test)"]
    link = link_for(app, candidate_id)
    assert group_of(client.get(pledge.url).get_data(as_text=True), "Candidate A (test)") == (
        "silent"
    )

    response = answer(client, link, "pledged", "Nobody belongs in jail for a miscarriage.")

    assert response.status_code == 303 and response.location.endswith(link)
    assert "You have taken the pledge" in client.get(link).get_data(as_text=True)
    [recorded] = responses_of(app, candidate_id)
    assert recorded.answer == "pledged" and recorded.source == "candidate"
    assert recorded.statement == "Nobody belongs in jail for a miscarriage."
    html = client.get(pledge.url).get_data(as_text=True)
    assert group_of(html, "Candidate A (test)") == "pledged"
    assert group_of(html, "Candidate B (test)") == "silent"
    assert "Nobody belongs in jail for a miscarriage." in html
    assert "through their private response link" in html
    assert "Your answer on record" in client.get(link).get_data(as_text=True)


def test_changing_an_answer_keeps_the_history_and_shows_the_withdrawal(
    app, client, make_pledge, frozen_clock
):
    pledge = make_pledge()
    candidate_id = pledge.candidates["Candidate A (test)"]
    link = link_for(app, candidate_id)
    answer(client, link, "pledged", "I am in.")
    frozen_clock.advance(timedelta(days=5))

    answer(client, link, "declined", "I changed my mind.")

    history = responses_of(app, candidate_id)
    assert [row.answer for row in history] == ["pledged", "declined"]
    assert history[0].statement == "I am in."  # never overwritten
    html = client.get(pledge.url).get_data(as_text=True)
    assert group_of(html, "Candidate A (test)") == "declined"
    assert "Withdrew the pledge" in html and "March 8, 2026" in html
    assert "Took the pledge" in html and "March 3, 2026" in html
    assert "I am in." in html and "I changed my mind." in html
    assert "Changed their answer" in html


def test_sending_the_same_answer_twice_does_not_pad_the_history(app, client, make_pledge):
    pledge = make_pledge()
    candidate_id = pledge.candidate_ids[0]
    link = link_for(app, candidate_id)
    answer(client, link, "pledged", "Yes.")
    again = answer(client, link, "pledged", "Yes.")
    assert again.status_code == 303
    assert len(responses_of(app, candidate_id)) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"statement": "No choice made"}, "Choose"),
        ({"answer": "maybe"}, "Not a valid choice"),
        ({"answer": "pledged", "statement": "x" * 2001}, "2,000 characters or fewer"),
        ({"answer": "pledged", "statement": "bad\x00byte"}, "characters we cannot accept"),
    ],
)
def test_bad_answers_get_a_form_error_and_record_nothing(app, client, make_pledge, data, message):
    pledge = make_pledge()
    candidate_id = pledge.candidate_ids[0]
    link = link_for(app, candidate_id)
    response = post_form(client, link, link, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert responses_of(app, candidate_id) == []


def test_a_statement_of_exactly_2000_characters_is_accepted(app, client, make_pledge):
    pledge = make_pledge()
    candidate_id = pledge.candidate_ids[0]
    assert answer(client, link_for(app, candidate_id), "declined", "y" * 2000).status_code == 303
    assert len(responses_of(app, candidate_id)[0].statement) == 2000


def test_statements_are_shown_escaped(app, client, make_pledge):
    pledge = make_pledge()
    candidate_id = pledge.candidate_ids[0]
    link = link_for(app, candidate_id)
    answer(client, link, "pledged", '<script>alert("x")</script><img src=x onerror=alert(1)>')
    for page in (client.get(pledge.url), client.get(link)):
        html = page.get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(" in html


def test_revoked_link_is_refused_and_the_new_link_works(app, client, make_pledge):
    pledge = make_pledge()
    candidate_id = pledge.candidate_ids[0]
    old_link = link_for(app, candidate_id)
    log_in(client, pledge.owner)
    post_form(
        client, pledge.manage_url, f"{pledge.manage_url}/candidates/{candidate_id}/revoke", {}
    )
    new_link = link_for(app, candidate_id)
    client.get("/")  # the candidate is not the organizer: use a fresh client below
    candidate_client = app.test_client()

    refused = candidate_client.get(old_link)
    assert refused.status_code == 400
    assert "This link has been replaced" in refused.get_data(as_text=True)
    # Posting through the old link is refused too (CSRF token from the new page).
    assert post_form(candidate_client, new_link, old_link, {"answer": "pledged"}).status_code == (
        400
    )
    assert responses_of(app, candidate_id) == []
    assert new_link != old_link
    assert answer(candidate_client, new_link, "pledged").status_code == 303
    assert len(responses_of(app, candidate_id)) == 1


def test_expired_link_is_a_clear_400_naming_the_pledge(app, client, make_pledge, frozen_clock):
    pledge = make_pledge()
    link = link_for(app, pledge.candidate_ids[0])
    frozen_clock.advance(timedelta(seconds=app.config["PETITION_PLEDGE_LINK_MAX_AGE"] - 60))
    assert client.get(link).status_code == 200
    frozen_clock.advance(timedelta(seconds=120))

    response = client.get(link)

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "This link has expired" in html and pledge.url in html
    assert post_form(client, pledge.url, link, {"answer": "pledged"}).status_code == 400
    assert responses_of(app, pledge.candidate_ids[0]) == []


def _tamper(token: str) -> str:
    return token[:-2] + ("AA" if token[-2:] != "AA" else "BB")


@pytest.mark.parametrize(
    "make_token",
    [
        lambda app, real: "garbage",
        lambda app, real: _tamper(real),
        lambda app, real: real[: len(real) // 2],
        lambda app, real: "x" * 3000,
        # A real token for another purpose (a signature confirmation) is not a response link.
        lambda app, real: _with_app(app, lambda: signature_confirm_token(1)),
    ],
    ids=["garbage", "tampered", "truncated", "huge", "other-salt"],
)
def test_tampered_links_are_a_clear_400_never_a_500(app, client, make_pledge, make_token):
    pledge = make_pledge()
    real = link_for(app, pledge.candidate_ids[0]).rsplit("/", 1)[1]
    token = make_token(app, real)

    response = client.get(f"/respond/{token}")

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "This link does not work" in html
    assert "Candidate A" not in html and "Candidate B" not in html


def _with_app(app, make):
    with app.test_request_context(method="POST"):
        return make()


def test_link_of_a_deleted_candidate_is_400(app, client, make_pledge):
    pledge = make_pledge()
    link = link_for(app, pledge.candidate_ids[0])
    with app.app_context():
        db.session.delete(db.session.get(Candidate, pledge.candidate_ids[0]))
        db.session.commit()
    assert client.get(link).status_code == 400


def test_a_response_link_cannot_touch_another_candidate_or_pledge(app, client, make_pledge):
    first = make_pledge()
    second = make_pledge()
    mine = first.candidates["Candidate A (test)"]
    link = link_for(app, mine)
    others = [first.candidates["Candidate B (test)"], *second.candidate_ids]

    # Extra fields naming other candidates or pledges are ignored: only the token counts.
    response = post_form(
        client,
        link,
        link,
        {
            "answer": "declined",
            "candidate_id": others[0],
            "candidate": others[1],
            "pledge_id": second.id,
        },
    )

    assert response.status_code == 303
    assert [row.answer for row in responses_of(app, mine)] == ["declined"]
    for other in others:
        assert responses_of(app, other) == []
    page = client.get(link).get_data(as_text=True)
    assert "Test pledge 2" not in page and "Candidate B (test)" not in page


def test_organizer_recorded_answers_are_marked_as_such(app, client, make_pledge, frozen_clock):
    pledge = make_pledge()
    candidate_id = pledge.candidates["Candidate B (test)"]
    log_in(client, pledge.owner)
    record_url = f"{pledge.manage_url}/candidates/{candidate_id}/record"

    response = post_form(
        client,
        record_url,
        record_url,
        {
            "answer": "declined",
            "statement": "Prosecutors must keep every option.",
            "source_description": "Candidate forum at the public library",
            "source_url": "https://news.example.org/forum",
            "answered_on": "2026-02-20",
        },
    )

    assert response.status_code == 303
    [recorded] = responses_of(app, candidate_id)
    assert recorded.source == "organizer" and recorded.recorded_by_id == pledge.owner.id
    html = app.test_client().get(pledge.url).get_data(as_text=True)
    assert group_of(html, "Candidate B (test)") == "declined"
    assert "recorded by the organizers from" in html
    assert 'href="https://news.example.org/forum"' in html
    assert "Candidate forum at the public library" in html and "February 20, 2026" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"answered_on": "2026-02-20"}, "Say where they answered"),
        ({"answered_on": "2026-02-20", "source_url": "javascript:alert(1)"}, "https://"),
        ({"answered_on": "2027-01-01", "source_description": "Forum"}, "in the future"),
        ({"answered_on": "yesterday", "source_description": "Forum"}, "Enter a real date"),
    ],
)
def test_recorded_answers_need_a_checkable_source_and_a_real_date(
    app, client, make_pledge, frozen_clock, data, message
):
    pledge = make_pledge()
    candidate_id = pledge.candidate_ids[0]
    log_in(client, pledge.owner)
    record_url = f"{pledge.manage_url}/candidates/{candidate_id}/record"
    response = post_form(client, record_url, record_url, {"answer": "pledged", **data})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert responses_of(app, candidate_id) == []


def test_a_link_answer_given_after_a_recorded_one_is_the_current_answer(
    app, client, make_pledge, frozen_clock
):
    pledge = make_pledge()
    candidate_id = pledge.candidate_ids[0]
    log_in(client, pledge.owner)
    record_url = f"{pledge.manage_url}/candidates/{candidate_id}/record"
    post_form(
        client,
        record_url,
        record_url,
        {
            "answer": "declined",
            "source_description": "Radio interview",
            "answered_on": "2026-03-03",
        },
    )
    answer(app.test_client(), link_for(app, candidate_id), "pledged", "On reflection, yes.")
    html = client.get(pledge.url).get_data(as_text=True)
    assert group_of(html, "Candidate A (test)") == "pledged"
    assert "Took the pledge" in html and "Declined" in html


def test_hiding_a_statement_shows_the_note_and_keeps_the_original(
    app, client, make_pledge, frozen_clock
):
    pledge = make_pledge()
    candidate_id = pledge.candidate_ids[0]
    answer(app.test_client(), link_for(app, candidate_id), "declined", "SLUR-WORD and worse")
    [original] = responses_of(app, candidate_id)
    log_in(client, pledge.owner)
    hide_url = f"{pledge.manage_url}/responses/{original.id}/hide"

    response = post_form(client, hide_url, hide_url, {"reason": "The statement contained a slur."})

    assert response.status_code == 303
    [after] = responses_of(app, candidate_id)
    assert after.statement == "SLUR-WORD and worse"  # kept, never edited
    assert after.answer == "declined" and after.hidden_by_id == pledge.owner.id
    html = app.test_client().get(pledge.url).get_data(as_text=True)
    assert "SLUR-WORD" not in html
    assert "Statement hidden by the organizers on March 3, 2026" in html
    assert "The statement contained a slur." in html
    assert group_of(html, "Candidate A (test)") == "declined"  # the answer still stands


def test_no_route_lets_an_organizer_edit_what_a_candidate_said(app, client, make_pledge):
    pledge = make_pledge()
    candidate_id = pledge.candidate_ids[0]
    answer(app.test_client(), link_for(app, candidate_id), "pledged", "My own words.")
    [original] = responses_of(app, candidate_id)
    log_in(client, pledge.owner)
    hide_url = f"{pledge.manage_url}/responses/{original.id}/hide"

    # The hide form has no statement field; one sent anyway is ignored.
    post_form(client, hide_url, hide_url, {"reason": "Spam", "statement": "Words I prefer."})

    [after] = responses_of(app, candidate_id)
    assert after.statement == "My own words."
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("pledges.")]
    edits = {rule.endpoint for rule in rules if "edit" in rule.endpoint}
    assert edits == {"pledges.manage_edit", "pledges.manage_candidate_edit"}
    assert [rule.rule for rule in rules if "/responses/" in rule.rule] == [
        "/dashboard/pledges/<id:pledge_id>/responses/<id:response_id>/hide"
    ]


def test_no_response_candidates_show_days_since_asked_and_contacts(
    app, client, make_pledge, frozen_clock
):
    pledge = make_pledge()
    log_in(client, pledge.owner)
    invite_url = f"{pledge.manage_url}/candidates/{pledge.candidate_ids[0]}/invite"
    post_form(client, pledge.manage_url, invite_url, {})
    frozen_clock.advance(timedelta(days=4))
    post_form(client, pledge.manage_url, f"{pledge.manage_url}/remind", {})
    frozen_clock.advance(timedelta(days=2))

    html = app.test_client().get(pledge.url).get_data(as_text=True)

    assert "First asked 6 days ago; contacted 2 times by email. No answer yet." in html
    assert "Not yet contacted." in html  # Candidate B was never asked


def test_reminders_go_only_to_the_unanswered_at_most_once_per_72_hours(
    app, client, make_pledge, outbox, frozen_clock
):
    pledge = make_pledge(candidates=("Candidate A (test)", "Candidate B (test)", "Candidate C"))
    log_in(client, pledge.owner)
    for candidate_id in pledge.candidate_ids[:2]:
        post_form(
            client, pledge.manage_url, f"{pledge.manage_url}/candidates/{candidate_id}/invite", {}
        )
    answer(app.test_client(), link_for(app, pledge.candidate_ids[0]), "pledged")
    remind = f"{pledge.manage_url}/remind"

    def reminders() -> list[OutboxMessage]:
        return [m for m in outbox() if m.category == "pledge_reminder"]

    frozen_clock.advance(timedelta(hours=71))
    post_form(client, pledge.manage_url, remind, {})
    assert reminders() == []  # invited 71 hours ago: too soon

    frozen_clock.advance(timedelta(hours=2))
    page = post_form(client, pledge.manage_url, remind, {})
    assert page.status_code == 303
    [reminder] = reminders()
    # Only B: A answered, C was never invited (no invitation, no reminder).
    assert reminder.to_address == "candidate1-1@example.org"
    assert any("/respond/" in url for url in links(reminder.body_text))

    post_form(client, pledge.manage_url, remind, {})
    frozen_clock.advance(timedelta(hours=71))
    post_form(client, pledge.manage_url, remind, {})
    assert len(reminders()) == 1

    frozen_clock.advance(timedelta(hours=1))
    post_form(client, pledge.manage_url, remind, {})
    assert len(reminders()) == 2


def test_count_json_is_cheap_and_conditional(app, client, make_pledge):
    pledge = make_pledge()
    response = client.get(f"{pledge.url}/count.json")
    assert response.status_code == 200
    data = response.get_json()
    assert data["slug"] == pledge.slug and data["supporters"] == 0 and data["signatures"] == 0
    assert data["goal"] == 1000 and data["open"] is True
    assert response.headers["ETag"]
    assert "max-age=1" in response.headers["Cache-Control"]
    again = client.get(
        f"{pledge.url}/count.json", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304
    assert client.get("/p/no-such-pledge/count.json").status_code == 404


def test_unknown_pledge_is_404(client, app):
    assert client.get("/p/no-such-pledge").status_code == 404
    assert client.get("/p/BAD_slug!").status_code == 404


def test_backing_the_pledge_uses_the_signing_flow_and_counts_zips_in_the_race(
    app, client, make_pledge, outbox
):
    pledge = make_pledge(zips=("70112", "70113"))
    for name, email, zip_code in [
        ("Rae Demo", "rae@example.org", "70112"),
        ("Sam Demo", "sam@example.org", "10001"),
    ]:
        response = post_form(
            client,
            pledge.url,
            f"{pledge.url}/back",
            {"name": name, "email": email, "zip_code": zip_code},
        )
        assert response.status_code == 303
        assert response.location.endswith(f"{pledge.url}/check-email#main")
    confirmations = [m for m in outbox() if m.category == "confirm_signature"]
    assert len(confirmations) == 2
    for message in confirmations:
        [confirm] = [url for url in links(message.body_text) if "/confirm/" in url]
        post_form(client, path_of(confirm), path_of(confirm), {})

    assert client.get(f"{pledge.url}/count.json").get_json()["supporters"] == 2
    html = client.get(pledge.url).get_data(as_text=True)
    assert "<strong>1</strong> of them live in Testville, LA" in html
    page = client.get(link_for(app, pledge.candidate_ids[0])).get_data(as_text=True)
    assert "<strong>2</strong> supporters back this pledge" in page
    assert "<strong>1</strong> of them gave a ZIP code in Testville, LA" in page


def test_backing_twice_with_the_same_email_counts_once(app, client, make_pledge, outbox):
    pledge = make_pledge()
    for _ in range(2):
        post_form(
            client,
            pledge.url,
            f"{pledge.url}/back",
            {"name": "Rae Demo", "email": "Rae@Example.org ", "zip_code": "70112"},
        )
    with app.app_context():
        from petition.models import Signature

        rows = db.session.scalars(
            select(Signature).where(Signature.campaign_id == pledge.campaign_id)
        ).all()
        assert len(rows) == 1


def test_backing_with_bad_input_shows_the_form_again(app, client, make_pledge):
    pledge = make_pledge()
    response = post_form(
        client, pledge.url, f"{pledge.url}/back", {"name": "", "email": "nope", "zip_code": "1"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and "Enter your name" in html


def test_a_pledge_linked_to_a_demand_counts_its_signers(app, client, make_pledge, make_campaign):
    campaign = make_campaign(signature_count=42)
    pledge = make_pledge(campaign=campaign)
    assert pledge.campaign_id == campaign.id
    assert client.get(f"{pledge.url}/count.json").get_json()["supporters"] == 42
    with app.app_context():
        assert (
            db.session.scalar(select(Pledge.owns_campaign).where(Pledge.id == pledge.id)) is False
        )


def test_public_page_shows_initials_and_never_loads_candidate_photos(app, client, make_pledge):
    pledge = make_pledge(candidates=("Jordan Placeholder (demo)",))
    with app.app_context():
        candidate = db.session.get(Candidate, pledge.candidate_ids[0])
        candidate.photo_url = "https://photos.example.com/jordan.jpg"
        db.session.commit()
    response = client.get(pledge.url)
    html = response.get_data(as_text=True)
    assert "photos.example.com" not in html
    assert '<span class="avatar" aria-hidden="true">JP</span>' in html
    assert "img-src 'self'" in response.headers["Content-Security-Policy"]


def test_public_page_never_shows_candidate_or_supporter_emails(app, client, make_pledge):
    pledge = make_pledge()
    post_form(
        client,
        pledge.url,
        f"{pledge.url}/back",
        {"name": "Rae Demo", "email": "rae@example.org", "zip_code": "70112"},
    )
    html = client.get(pledge.url).get_data(as_text=True)
    assert "@example.org" not in html


def test_private_response_page_is_not_cached_or_indexed(app, client, make_pledge):
    pledge = make_pledge()
    response = client.get(link_for(app, pledge.candidate_ids[0]))
    assert response.headers["Cache-Control"] == "no-store"
    assert "noindex" in response.headers["X-Robots-Tag"]


def test_demo_loads_one_new_orleans_pledge_with_only_fictional_candidates(app, runner, client):
    from petition.models import User

    for _ in range(2):
        result = runner.invoke(args=["demo"])
        assert result.exit_code == 0, result.output

    with app.app_context():
        [pledge] = db.session.scalars(select(Pledge)).all()
        assert pledge.office == "Orleans Parish District Attorney"
        names = [candidate.name for candidate in pledge.candidates]
        assert len(names) >= 3 and all(re.fullmatch(r"Candidate [A-Z] \(demo\)", n) for n in names)
        assert all(c.email.endswith("@example.org") for c in pledge.candidates)
        statements = [r.statement for c in pledge.candidates for r in c.responses if r.statement]
        assert statements and all(s.startswith("(Demo statement)") for s in statements)
        owner = db.session.get(User, pledge.owner_id)
        assert owner.email == "demo-organizer@example.org"
        assert owner.password_hash == "!" and not owner.is_active
        assert db.session.scalar(select(func.count()).select_from(PledgeResponse)) == len(
            [r for c in pledge.candidates for r in c.responses]
        )
    html = client.get(f"/p/{pledge.slug}").get_data(as_text=True)
    for group in ("pledged", "declined", "silent"):
        assert f'data-group="{group}"' in html
    assert group_of(html, "Candidate A (demo)") == "pledged"
    assert "Withdrew the pledge" in html and "recorded by the organizers from" in html


def test_a_pledge_whose_demand_closed_keeps_its_record_but_takes_no_supporters(
    app, client, make_pledge, make_campaign
):
    from petition.models import CampaignStatus

    pledge = make_pledge(campaign=make_campaign(status=CampaignStatus.CLOSED))
    answer(client, link_for(app, pledge.candidate_ids[0]), "pledged", "Still on the record.")
    page = client.get(pledge.url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Still on the record." in html
    assert "no longer collecting supporters" in html
    refused = post_form(
        client,
        link_for(app, pledge.candidate_ids[0]),  # the pledge page has no form to take a token from
        f"{pledge.url}/back",
        {"name": "Rae Demo", "email": "rae@example.org", "zip_code": "70112"},
    )
    assert refused.status_code == 409
