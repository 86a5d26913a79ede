"""In a real Chromium: an organizer registers, confirms, writes and publishes a demand;
someone else signs it in another browser; the organizer's dashboard counts them."""

import re

import pytest
from playwright.sync_api import expect

from .browser import PHONE, emailed_link

pytestmark = pytest.mark.browser

ORGANIZER = "organizer@example.org"
PASSWORD = "a long organizer passphrase"


def test_an_organizer_launches_a_demand_and_sees_a_signature_arrive(live_server, new_page):
    base = live_server.url
    organizer = new_page()

    organizer.goto(f"{base}/register")
    organizer.get_by_label("Your name").fill("Riley Organizer")
    organizer.get_by_label("Email address").fill(ORGANIZER)
    organizer.get_by_label("Create a password").fill(PASSWORD)
    organizer.get_by_role("button", name="Create account").click()
    expect(organizer.get_by_role("heading", name="Now check your email")).to_be_visible()

    organizer.goto(emailed_link(live_server.app, ORGANIZER, "/account/confirm/"))
    organizer.get_by_label("The password you chose when you registered").fill(PASSWORD)
    organizer.get_by_role("button", name="Confirm my email address").click()
    expect(organizer.get_by_role("heading", name="Your demands")).to_be_visible()

    organizer.get_by_role("link", name="Start a new demand").click()
    organizer.get_by_label("Title").fill("Stop jailing people for unpaid fines")
    organizer.get_by_label("The demand").fill("Drop **every** warrant for unpaid court fines.")
    organizer.get_by_label("Name", exact=True).fill("Test Prosecutor")
    organizer.get_by_label("Office").fill("District Attorney")
    organizer.get_by_label("Jurisdiction").fill("Testville Parish, LA")
    organizer.get_by_role("button", name="Preview").click()
    expect(organizer.locator(".preview strong")).to_have_text("every")
    # Enter in a text box saves (the form's default button), not "Add another target".
    organizer.get_by_label("Title").press("Enter")
    expect(organizer.get_by_text("Saved.")).to_be_visible()
    organizer.get_by_role("button", name="Publish").click()
    expect(organizer.get_by_text("Published: your demand is live.")).to_be_visible()
    share_url = organizer.locator("#share-url").input_value()
    assert share_url == f"{base}/c/stop-jailing-people-for-unpaid-fines"

    organizer.goto(f"{base}/dashboard")
    count = organizer.locator("[data-confirmed-count]")
    expect(count).to_have_text("0")

    signer = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    signer.goto(share_url)
    signer.get_by_label("Full name").fill("Maria Santos")
    signer.get_by_label("Email address").fill("maria@example.net")
    signer.get_by_label("ZIP code").fill("70112")
    signer.get_by_role("button", name="Sign", exact=True).click()
    expect(signer.get_by_role("heading", name="Now check your email")).to_be_visible()
    signer.goto(emailed_link(live_server.app, "maria@example.net", "/confirm/"))
    signer.get_by_role("button", name="Confirm my signature").tap()
    expect(signer).to_have_url(re.compile(r"/thanks$"))

    organizer.reload()
    expect(count).to_have_text("1")
    organizer.get_by_role("link", name="Stop jailing people for unpaid fines").click()
    expect(organizer.locator("svg.chart rect.chart-bar")).to_have_count(30)
    expect(organizer.get_by_role("cell", name="70112")).to_be_visible()

    for page in (organizer, signer):
        assert page.watch.origins() == {live_server.origin}, page.watch.requests
        assert page.watch.csp_violations() == []
        assert page.watch.errors == []
