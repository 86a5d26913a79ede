"""In a real Chromium on a 390 px phone: the phone-review fixes that only a browser shows."""

import re

import pytest
from playwright.sync_api import expect

from .browser import PHONE, log_in_browser

pytestmark = pytest.mark.browser


def phone(new_page):
    return new_page(viewport=PHONE, has_touch=True, is_mobile=True)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_sign_form_with_an_error_opens_at_the_error_summary(
    live_server, new_page, make_campaign, javascript
):
    campaign = make_campaign(demand="Commit, in writing, to end money bail.\n\n" * 12)
    page = new_page(viewport=PHONE, has_touch=True, is_mobile=True, java_script_enabled=javascript)
    page.goto(f"{live_server.url}/c/{campaign.slug}")
    page.get_by_label("Full name").fill("Maria Santos")
    page.get_by_label("ZIP code").fill("70112")
    page.get_by_role("button", name="Sign", exact=True).click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(page).to_have_url(re.compile(rf"/c/{campaign.slug}/sign#error-summary$"))
    summary.get_by_role("link", name="Enter your email address").click()
    expect(page.get_by_label("Email address")).to_be_focused()

    # Reopening that address (a phone restoring the tab) leads back to the demand.
    page.goto(f"{live_server.url}/c/{campaign.slug}/sign")
    expect(page).to_have_url(f"{live_server.url}/c/{campaign.slug}")
    expect(page.get_by_role("heading", level=1)).to_have_text(campaign.title)
    assert page.watch.errors == [] and page.watch.csp_violations() == []


def test_a_sign_after_an_error_lands_on_check_email_without_the_error_fragment(
    live_server, new_page, make_campaign
):
    campaign = make_campaign()
    page = phone(new_page)
    page.goto(f"{live_server.url}/c/{campaign.slug}")
    page.get_by_label("Full name").fill("Maria Santos")
    page.get_by_label("ZIP code").fill("70112")
    page.get_by_role("button", name="Sign", exact=True).click()
    page.get_by_label("Email address").fill("maria@example.org")
    page.get_by_role("button", name="Sign", exact=True).click()

    # The form posts to #error-summary; the redirect's own fragment replaces it.
    expect(page).to_have_url(f"{live_server.url}/c/{campaign.slug}/check-email#main")
    expect(page.locator("#error-summary")).to_have_count(0)


def test_every_dashboard_column_can_be_read_on_a_phone(
    live_server, new_page, make_user, make_owned_campaign
):
    owner = make_user()
    make_owned_campaign(owner, title="Stop prosecuting people for sleeping outside in winter")
    page = phone(new_page)
    log_in_browser(page, live_server, owner)
    page.goto(f"{live_server.url}/dashboard")

    pending = page.get_by_role("columnheader", name=re.compile("Pending"))
    region = page.get_by_role("region", name="Demands you own or co-organize")
    expect(region).to_be_visible()
    pending.scroll_into_view_if_needed()
    box = pending.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    # Nothing spills past the screen: the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_closing_a_demand_asks_first_in_the_page(
    live_server, new_page, make_user, make_owned_campaign
):
    owner = make_user()
    campaign = make_owned_campaign(owner, title="Return the bail-industry money")
    page = phone(new_page)
    page.on("dialog", lambda dialog: pytest.fail(f"a native dialog opened: {dialog.message}"))
    log_in_browser(page, live_server, owner)
    page.goto(f"{live_server.url}/dashboard/campaigns/{campaign.id}")

    page.get_by_role("link", name="Close signing…").tap()
    expect(
        page.get_by_role("heading", name="Close signing on “Return the bail-industry money”?")
    ).to_be_visible()
    page.get_by_role("link", name="Cancel").tap()
    expect(page.get_by_text("Status: Live")).to_be_visible()

    page.get_by_role("link", name="Close signing…").tap()
    page.get_by_role("button", name="Close signing").tap()
    expect(page.get_by_text("Closed: signing has stopped.")).to_be_visible()
    expect(page.get_by_text("Status: Closed")).to_be_visible()
    assert page.watch.errors == [] and page.watch.csp_violations() == []
