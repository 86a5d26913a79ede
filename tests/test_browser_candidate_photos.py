"""In a real Chromium on a phone: an organizer uploads a candidate's photo; voters see it."""

from io import BytesIO

import pytest
from PIL import Image
from playwright.sync_api import expect

from .browser import PHONE, log_in_browser

pytestmark = pytest.mark.browser


def portrait_jpeg() -> bytes:
    out = BytesIO()
    Image.new("RGB", (900, 1200), "darkslateblue").save(out, "JPEG", quality=90)
    return out.getvalue()


def test_an_uploaded_photo_replaces_the_initials_on_the_public_page(
    live_server, new_page, make_pledge
):
    pledge = make_pledge(candidates=("Maria Lopez (test)", "Sam Doe (test)"))
    organizer = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in_browser(organizer, live_server, pledge.owner)
    organizer.goto(f"{live_server.url}{pledge.manage_url}")
    organizer.get_by_role("link", name="Add a photo").first.tap()
    organizer.get_by_label("Photo").set_input_files(
        {"name": "maria.jpg", "mimeType": "image/jpeg", "buffer": portrait_jpeg()}
    )
    organizer.get_by_role("button", name="Upload photo").tap()
    expect(organizer.get_by_text("Photo of Maria Lopez (test) saved.")).to_be_visible()

    voter = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    voter.goto(f"{live_server.url}{pledge.url}")

    photo = voter.get_by_role("img", name="Photo of Maria Lopez (test)")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.complete && img.naturalWidth") == 300  # 900×1200 fitted
    assert voter.locator(".avatar", has_text="SD").is_visible()  # no photo: initials
    for page in (organizer, voter):
        assert page.watch.origins() == {live_server.origin}, page.watch.requests
        assert page.watch.csp_violations() == []
        assert page.watch.errors == []


def test_an_organizer_picks_the_demands_time_zone_from_the_list(live_server, new_page, make_user):
    user = make_user()
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in_browser(page, live_server, user)
    page.goto(f"{live_server.url}/dashboard/campaigns/new")

    zone = page.get_by_label("Time zone")
    expect(zone).to_have_value("America/Chicago")
    zone.select_option("America/New_York")
    expect(zone).to_have_value("America/New_York")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
