"""In a real Chromium: sign on a phone, confirm from the email, and watch another page's count."""

import re

import pytest
from playwright.sync_api import expect

from .browser import ARTIFACTS, PHONE, emailed_link

pytestmark = pytest.mark.browser

# The page polls count.json; the script never polls faster than every 2 s
# (with jitter), so 1 s here means "as fast as the page allows".
LIVE_UPDATE_TIMEOUT_MS = 10_000


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"PETITION_COUNT_POLL_SECONDS": 1}


def fill_sign_form(page, *, name: str, email: str, zip_code: str, comment: str = "") -> None:
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("ZIP code").fill(zip_code)
    if comment:
        page.get_by_label("Why are you signing?").fill(comment)


def test_a_confirmed_signature_shows_on_another_open_page_without_a_reload(
    live_server, new_page, make_campaign
):
    campaign = make_campaign(title="Return the bail-industry money")
    url = f"{live_server.url}/c/{campaign.slug}"
    watcher = new_page()
    watcher.goto(url)
    expect(watcher.locator("[data-count]")).to_have_text("0")
    watcher.evaluate("window.__notReloaded = true")

    signer = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    response = signer.goto(url)
    csp = response.headers["content-security-policy"]
    signer.get_by_role("link", name="Sign this demand").click()
    fill_sign_form(signer, name="Maria Santos", email="maria@example.org", zip_code="70112")
    signer.get_by_role("button", name="Sign", exact=True).click()
    expect(signer.get_by_role("heading", name="Now check your email")).to_be_visible()

    signer.goto(emailed_link(live_server.app, "maria@example.org", "/confirm/"))
    assert signer.request.get(f"{url}/count.json").json()["signatures"] == 0, (
        "opening the link alone must not confirm (mail scanners open every link)"
    )
    signer.get_by_role("button", name="Confirm my signature").tap()
    expect(signer).to_have_url(re.compile(rf"/c/{campaign.slug}/thanks$"))

    expect(watcher.locator("[data-count]")).to_have_text("1", timeout=LIVE_UPDATE_TIMEOUT_MS)
    expect(watcher.locator("[data-count-noun]")).to_have_text("signature")
    expect(watcher.locator("[data-progress]")).to_have_attribute("value", "1")
    assert watcher.evaluate("window.__notReloaded") is True
    for page in (watcher, signer):
        assert page.watch.origins() == {live_server.origin}, page.watch.requests
        assert page.watch.csp_violations() == []
        assert page.watch.errors == []
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_the_sign_button_is_in_the_first_screen_of_a_phone(live_server, new_page, make_campaign):
    campaign = make_campaign(
        title="Protect pregnant people from criminalization",
        demand="Commit, in writing, never to prosecute anyone for the outcome of a pregnancy.\n\n"
        * 6,
    )
    page = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    page.goto(f"{live_server.url}/c/{campaign.slug}")

    button = page.get_by_role("link", name="Sign this demand")
    box = button.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= PHONE["height"], box
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert box["height"] >= 44, "tap targets are at least 44 px tall"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "nothing scrolls sideways on a phone"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "campaign-phone.png"), full_page=True)
    assert page.watch.csp_violations() == []


def test_a_form_error_keeps_what_was_typed_and_shows_the_summary(
    live_server, new_page, make_campaign
):
    campaign = make_campaign()
    page = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    page.goto(f"{live_server.url}/c/{campaign.slug}")
    fill_sign_form(
        page,
        name="Dontae <b>Supporter</b>",
        email="not-an-address",
        zip_code="701",
        comment="Free him.",
    )
    page.get_by_role("button", name="Sign", exact=True).click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name=re.compile("correct format"))).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile("5-digit ZIP"))).to_be_visible()
    expect(summary).to_be_focused()
    expect(page.get_by_label("Full name")).to_have_value("Dontae <b>Supporter</b>")
    expect(page.get_by_label("Email address")).to_have_value("not-an-address")
    expect(page.get_by_label("ZIP code")).to_have_value("701")
    expect(page.get_by_label("Why are you signing?")).to_have_value("Free him.")
    expect(page.get_by_label("Email address")).to_have_attribute("aria-invalid", "true")

    summary.get_by_role("link", name=re.compile("5-digit ZIP")).click()
    expect(page.get_by_label("ZIP code")).to_be_focused()
    assert page.watch.csp_violations() == []
    assert page.watch.errors == []
