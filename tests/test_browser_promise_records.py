"""In a real Chromium: the organizer records the winner and evidence; a visitor reads the record."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from .browser import PHONE, log_in_browser

pytestmark = pytest.mark.browser


def add_evidence(page, day: str, summary: str, source: str, rating: str) -> None:
    page.get_by_label("When it happened").fill(day)
    page.get_by_label("What happened").fill(summary)
    page.get_by_label("Link to the source").fill(source)
    page.get_by_label("Rating after this").select_option(label=rating)
    page.get_by_role("button", name="Add").click()


def test_an_organizer_builds_the_record_and_a_visitor_reads_its_rating_history_and_correction(
    live_server, new_page, make_pledge, frozen_clock
):
    pledge = make_pledge(candidates=("Winner W (test)", "Runner R (test)"))
    frozen_clock.advance(timedelta(days=300))  # election day, November 3, has passed

    organizer = new_page()
    log_in_browser(organizer, live_server, pledge.owner)
    organizer.goto(f"{live_server.url}{pledge.manage_url}")
    organizer.get_by_role("link", name="After the election").click()
    organizer.get_by_role("link", name="Record the winner").click()
    organizer.get_by_label("Winner W (test)").check()
    organizer.get_by_label("Link to the official result or a news report").fill(
        "https://example.org/results"
    )
    organizer.get_by_role("button", name="Record the winner").click()
    expect(organizer.get_by_text("Winner W (test) is recorded as the winner")).to_be_visible()

    organizer.get_by_role("link", name="Add evidence").click()
    add_evidence(
        organizer, "2026-11-20", "Announced a case review.", "https://example.org/a", "In the works"
    )
    expect(organizer.get_by_text("Evidence added to the public record.")).to_be_visible()
    organizer.get_by_role("link", name="Add evidence").click()
    add_evidence(
        organizer, "2026-12-10", "Said every case was dropped.", "https://example.org/b", "Kept"
    )
    wrong = organizer.locator(".evidence-entry", has_text="Said every case was dropped.")
    wrong_id = wrong.get_attribute("data-entry")
    wrong.get_by_role("link", name=f"Correct entry {wrong_id}").click()
    add_evidence(
        organizer,
        "2026-12-10",
        "Only half of the cases were dropped.",
        "https://example.org/c",
        "Compromise",
    )
    expect(organizer.get_by_text("Correction added")).to_be_visible()

    visitor = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    visitor.goto(f"{live_server.url}{pledge.url}")
    expect(visitor.get_by_role("heading", name="Winner W (test) won the election")).to_be_visible()
    expect(visitor.locator('[data-candidate="Runner R (test)"]')).to_have_count(1)
    visitor.get_by_role("link", name="See the rating, its history and every entry").tap()

    expect(visitor.get_by_role("heading", name="Rating now: Compromise")).to_be_visible()
    history = visitor.locator(".rating-history li")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("Not yet rated → In the works")
    expect(history.nth(1)).to_contain_text("In the works → Compromise")
    entries = visitor.locator(".evidence-entry")
    expect(entries).to_have_count(3)
    corrected = visitor.locator(f"#entry-{wrong_id}")
    expect(corrected).to_contain_text("Said every case was dropped.")
    expect(corrected).to_contain_text("Corrected by entry")
    correction = visitor.locator(".evidence-entry", has_text="Only half of the cases")
    expect(correction).to_contain_text(f"This corrects entry {wrong_id}")
    correction.get_by_role("link", name=f"entry {wrong_id}").tap()
    assert visitor.url.endswith(f"/record#entry-{wrong_id}")
    expect(corrected).to_be_in_viewport()
    for page in (organizer, visitor):
        assert page.watch.origins() == {live_server.origin}, page.watch.requests
        assert page.watch.csp_violations() == []
        assert page.watch.errors == []
