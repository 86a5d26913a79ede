"""In a real Chromium on a phone: the embed inside another site, share actions, posters."""

import io
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from .browser import PHONE, log_in_browser

pytestmark = pytest.mark.browser


class _OtherSite:
    """Another site: its own server, reached as http://localhost:<port>/ (not 127.0.0.1).

    A real loopback server rather than ``page.route``: Chromium's local network
    access checks refuse a page it thinks is public when it frames 127.0.0.1.
    """

    def __init__(self) -> None:
        self.body = b""
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(site.body)))
                self.end_headers()
                self.wfile.write(site.body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://localhost:{self.server.server_port}/"

    def serve(self, html: str) -> str:
        self.body = html.encode()
        return self.url


@pytest.fixture
def other_site() -> Iterator[_OtherSite]:
    site = _OtherSite()
    yield site
    site.server.shutdown()
    site.server.server_close()
    site.thread.join(timeout=10)


@pytest.mark.parametrize("app_config", [{"PETITION_COUNT_POLL_SECONDS": 2}])
def test_the_embed_works_inside_another_site_and_its_count_goes_live(
    live_server, new_page, make_campaign, add_signature, other_site
):
    campaign = make_campaign(slug="embedded", title="End cash bail in Testville")
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    embed = f"{live_server.url}/c/embedded/embed"
    page.goto(
        other_site.serve(
            f"<!doctype html><title>A local group</title><h1>Our campaigns</h1>"
            f'<iframe src="{embed}" title="Live count" width="100%" height="330"></iframe>'
        )
    )
    frame = page.frame_locator("iframe")
    expect(frame.get_by_role("heading", name="End cash bail in Testville")).to_be_visible()
    expect(frame.locator("[data-count]")).to_have_text("0")
    add_signature(campaign)
    expect(frame.locator("[data-count]")).to_have_text("1")
    expect(frame.locator("[data-progress]")).to_have_attribute("value", "1")

    button = frame.get_by_role("link", name="Sign this demand")
    expect(button).to_have_attribute("target", "_blank")
    with page.context.expect_page() as opened:
        button.click()
    tab = opened.value
    tab.wait_for_load_state()
    assert tab.url == f"{live_server.url}/c/embedded"
    assert page.watch.errors == []
    assert page.watch.csp_violations() == []


def test_any_other_page_refuses_to_be_framed(live_server, new_page, make_campaign, other_site):
    make_campaign(slug="not-framed", title="Not for framing")
    page = new_page(viewport=PHONE)
    outside = other_site.serve(
        f"<!doctype html><title>Clickjacker</title>"
        f'<iframe src="{live_server.url}/c/not-framed" title="Framed"></iframe>'
    )

    with page.expect_response(f"{live_server.url}/c/not-framed") as framed:
        page.goto(outside)
    assert framed.value.status == 200
    page.wait_for_load_state("load")

    child = page.frames[1]
    # Chromium swaps a refused frame for its error page: the demand never renders.
    assert child.evaluate("document.title") != "Not for framing · Petition"
    assert "Not for framing" not in child.content()


def test_share_links_show_without_a_share_sheet_and_copy_puts_the_link_on_the_clipboard(
    live_server, new_page, make_campaign
):
    make_campaign(slug="share-fallbacks", title="Free people held on unpaid fines")
    page = new_page(
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        permissions=["clipboard-read", "clipboard-write"],
    )
    # Desktop-Linux Chromium has no share sheet; make sure of it.
    page.add_init_script("delete Navigator.prototype.share; delete Navigator.prototype.canShare;")
    page.goto(f"{live_server.url}/c/share-fallbacks")

    share = page.locator("section.share")
    expect(share.get_by_role("button", name="Share", exact=True)).to_be_hidden()
    whatsapp = share.get_by_role("link", name="Share on WhatsApp")
    expect(whatsapp).to_be_visible()
    href = whatsapp.get_attribute("href")
    assert href.startswith("https://wa.me/?text=")
    expect(share.get_by_role("link", name="Send as a text message")).to_be_visible()
    expect(share.get_by_role("link", name="Send by email")).to_be_visible()

    share.get_by_role("button", name="Copy link").tap()
    expect(share.get_by_role("button", name="Link copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{live_server.url}/c/share-fallbacks"
    assert page.watch.errors == [] and page.watch.csp_violations() == []


STUB_SHARE = """
window.__shared = [];
Object.defineProperty(Navigator.prototype, "canShare", {
  configurable: true, value: function (data) { return !!data.url; }
});
Object.defineProperty(Navigator.prototype, "share", {
  configurable: true,
  value: function (data) {
    window.__shared.push(data);
    var failure = window.__shareFailure;
    return failure ? Promise.reject(new DOMException("no", failure)) : Promise.resolve();
  }
});
"""


def test_the_phones_share_sheet_is_used_where_it_exists(live_server, new_page, make_campaign):
    make_campaign(slug="native-share", title="Free people held on unpaid fines")
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.add_init_script(STUB_SHARE)
    page.goto(f"{live_server.url}/c/native-share")

    share = page.locator("section.share")
    button = share.get_by_role("button", name="Share", exact=True)
    expect(button).to_be_visible()
    expect(share.get_by_role("link", name="Share on WhatsApp")).to_be_hidden()
    button.tap()
    page.wait_for_function("window.__shared.length === 1")
    assert page.evaluate("window.__shared[0]") == {
        "title": "Free people held on unpaid fines",
        "text": "Free people held on unpaid fines — sign here:",
        "url": f"{live_server.url}/c/native-share",
    }

    # Closing the sheet is not a failure; a refusal brings the links back.
    page.evaluate("window.__shareFailure = 'AbortError'")
    button.tap()
    page.wait_for_function("window.__shared.length === 2")
    expect(share.get_by_role("link", name="Share on WhatsApp")).to_be_hidden()
    page.evaluate("window.__shareFailure = 'NotAllowedError'")
    button.tap()
    expect(share.get_by_role("link", name="Share on WhatsApp")).to_be_visible()
    assert page.watch.errors == []


def test_without_javascript_the_links_show_and_the_buttons_do_not(
    live_server, new_page, make_campaign
):
    make_campaign(slug="no-script")
    page = new_page(viewport=PHONE, java_script_enabled=False)
    page.goto(f"{live_server.url}/c/no-script")

    share = page.locator("section.share")
    expect(share.get_by_role("link", name="Share on WhatsApp")).to_be_visible()
    expect(share.get_by_label("Or copy the link")).to_be_visible()
    expect(share.locator("[data-copy]")).to_be_hidden()
    expect(share.locator("[data-share-native]")).to_be_hidden()

    page.goto(f"{live_server.url}/c/no-script/poster")
    expect(page.locator("[data-print]")).to_be_hidden()


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_a_poster_prints_on_one_page(live_server, new_page, make_campaign, paper):
    make_campaign(
        slug="print-me",
        title="Stop jailing people in Testville Parish for fines and fees they cannot pay",
        demand="We ask the District Attorney to stop. " * 40,
    )
    page = new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/c/print-me/poster")
    expect(page.get_by_role("button", name="Print this poster")).to_be_visible()

    pdf = page.pdf(format=paper, print_background=True)

    assert _pdf_pages(pdf) == 1


def test_the_posters_qr_code_scans_to_the_demands_address(live_server, new_page, make_campaign):
    import zxingcpp
    from PIL import Image

    make_campaign(slug="scan-me")
    page = new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/c/scan-me/poster")

    shot = page.locator(".poster-qr").screenshot()
    with Image.open(io.BytesIO(shot)) as image:
        results = zxingcpp.read_barcodes(image)

    assert [result.text for result in results] == [f"{live_server.url}/c/scan-me"]
    expect(page.get_by_text("Scan to sign")).to_be_visible()
    expect(page.locator(".poster-url")).to_have_text(f"{live_server.url.split('://')[1]}/c/scan-me")


def test_an_organizer_copies_the_embed_code(live_server, new_page, make_user, make_owned_campaign):
    owner = make_user()
    campaign = make_owned_campaign(owner, slug="copy-embed", title="End cash bail")
    page = new_page(viewport=PHONE, permissions=["clipboard-read", "clipboard-write"])
    log_in_browser(page, live_server, owner)
    page.goto(f"{live_server.url}/dashboard/campaigns/{campaign.id}")

    page.get_by_role("button", name="Copy code").click()

    expect(page.get_by_role("button", name="Code copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(f'<iframe src="{live_server.url}/c/copy-embed/embed"')
    assert copied.endswith("></iframe>")
