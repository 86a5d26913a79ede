"""In a real Chromium: a candidate answers from the emailed link; the public record shows it."""

import pytest
from playwright.sync_api import expect

from .browser import PHONE, emailed_link
from .fixtures_accounts import log_in
from .helpers import post_form

pytestmark = pytest.mark.browser


def test_a_candidate_takes_the_pledge_from_the_email_and_the_public_page_shows_it(
    live_server, new_page, make_pledge
):
    pledge = make_pledge(zips=("70112",))
    candidate_id = pledge.candidates["Candidate A (test)"]
    organizer = log_in(live_server.app.test_client(), pledge.owner)
    invite = f"{pledge.manage_url}/candidates/{candidate_id}/invite"
    assert post_form(organizer, pledge.manage_url, invite, {}).status_code == 303

    voter = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    voter.goto(f"{live_server.url}{pledge.url}")
    card = voter.locator('[data-candidate="Candidate A (test)"]')
    expect(voter.locator('[data-group="silent"]').locator(card)).to_have_count(1)
    expect(voter.locator('[data-group="pledged"] [data-candidate]')).to_have_count(0)

    candidate = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    candidate.goto(emailed_link(live_server.app, "candidate1-0@example.org", "/respond/"))
    expect(
        candidate.get_by_role("heading", name="Candidate A (test), will you take the pledge?")
    ).to_be_visible()
    candidate.get_by_label("I take the pledge").check()
    candidate.get_by_label("Public statement (optional)").fill(
        "No one should be charged for a miscarriage. <b>Ever.</b>"
    )
    candidate.get_by_role("button", name="Record my answer").tap()
    expect(candidate.get_by_text("Thank you. You have taken the pledge")).to_be_visible()
    expect(
        candidate.get_by_role("heading", name="Candidate A (test), you have taken the pledge")
    ).to_be_visible()

    voter.reload()
    pledged = voter.locator('[data-group="pledged"]')
    expect(pledged.locator(card)).to_have_count(1)
    expect(voter.locator('[data-group="silent"]').locator(card)).to_have_count(0)
    expect(pledged.locator(".statement")).to_have_text(
        "No one should be charged for a miscarriage. <b>Ever.</b>"
    )
    expect(pledged.get_by_text("through their private response link")).to_be_visible()
    expect(voter.locator(".tally-pledged strong")).to_have_text("1")
    for page in (voter, candidate):
        assert page.watch.origins() == {live_server.origin}, page.watch.requests
        assert page.watch.csp_violations() == []
        assert page.watch.errors == []
