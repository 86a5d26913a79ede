"""Real Chromium: a burst from one network is held in the open; its organizer restores it."""

import pytest
from playwright.sync_api import expect

from .browser import PHONE, emailed_link, log_in_browser

pytestmark = pytest.mark.browser


def sign_and_confirm(page, live_server, campaign, name: str, email: str) -> None:
    page.goto(f"{live_server.url}/c/{campaign.slug}")
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("ZIP code").fill("70112")
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.get_by_role("heading", name="Now check your email")).to_be_visible()
    page.goto(emailed_link(live_server.app, email, "/confirm/"))
    expect(page.get_by_text(name, exact=True)).to_be_visible()  # what is being confirmed
    page.get_by_role("button", name="Confirm my signature").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_an_organizer_sees_a_held_signature_and_restores_it(
    live_server, new_page, make_user, make_owned_campaign
):
    owner = make_user("owner@example.org")
    campaign = make_owned_campaign(owner, title="End cash bail in Testville")
    # Two people at one kitchen table, one network address, within a minute.
    for name, email in (("Maria Santos", "maria@example.net"), ("Ana Santos", "ana@example.net")):
        sign_and_confirm(new_page(viewport=PHONE), live_server, campaign, name, email)

    visitor = new_page(viewport=PHONE)
    visitor.goto(f"{live_server.url}/c/{campaign.slug}")
    expect(visitor.locator("[data-count]").first).to_have_text("1")
    expect(visitor.get_by_text("1 signature held for review")).to_be_visible()

    organizer = new_page()
    log_in_browser(organizer, live_server, owner)
    organizer.goto(f"{live_server.url}/dashboard/campaigns/{campaign.id}")
    held = organizer.locator('[data-held-rule="burst"]')
    expect(held).to_contain_text("Another signature from the same network address")
    expect(held.get_by_role("cell", name="1", exact=True)).to_be_visible()
    expect(organizer.locator("[data-confirmed-count]")).to_have_text("1")

    held.get_by_role("button", name="Restore 1 signature").click()

    expect(organizer.get_by_text("Restored 1 held signature to the count.")).to_be_visible()
    expect(organizer.locator("[data-confirmed-count]")).to_have_text("2")
    expect(
        organizer.get_by_text("None: no confirmed signature tripped an abuse check.")
    ).to_be_visible()
    visitor.reload()
    expect(visitor.locator("[data-count]").first).to_have_text("2")
    expect(visitor.get_by_text("held for review")).to_have_count(0)
    for page in (organizer, visitor):
        assert page.watch.csp_violations() == []
        assert page.watch.errors == []
