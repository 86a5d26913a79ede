"""In a real Chromium on a phone: the campaign page's chart of signatures over time."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .browser import ARTIFACTS, PHONE

pytestmark = pytest.mark.browser


def test_the_chart_fits_a_phone_and_its_table_opens(
    live_server, new_page, frozen_clock, make_campaign, add_signature
):
    campaign = make_campaign(time_zone="America/Chicago")
    for day in range(6):
        for _ in range(day % 3 + 1):
            add_signature(campaign)
        frozen_clock.advance(timedelta(days=1))

    page = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    page.goto(f"{live_server.url}/c/{campaign.slug}")

    section = page.get_by_role("region", name="Signatures over time")
    chart = section.get_by_role("img")
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_visible()
    expect(chart).to_have_accessible_name(
        "Signatures over time 12 signatures in 7 days; the busiest day was March 5, 2026 with 3."
    )
    expect(section.locator("rect.chart-bar")).to_have_count(7)
    box = chart.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert box["height"] >= 60, "the bars are tall enough to read"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    table = section.get_by_role("table")
    expect(table).to_be_hidden()
    section.get_by_text("Show the numbers").tap()
    expect(table).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(7)  # a header and six days with signatures
    expect(table.get_by_role("row").nth(3).get_by_role("cell")).to_have_text(
        ["March 5, 2026", "3", "6"]
    )
    results = Axe().run(page)
    serious = [
        f"{violation['id']}: {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert serious == []
    ARTIFACTS.mkdir(exist_ok=True)
    section.screenshot(path=str(ARTIFACTS / "signature-history-phone.png"))
    assert page.watch.csp_violations() == []
