"""Sharing: link previews, the site's icons, share links, posters and the embeddable counter."""

import io
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from PIL import Image

from petition.sharing import cards

from .fixtures_accounts import log_in
from .helpers import SAME_ORIGIN, post_form

BASE = "http://petition.test"
GOOD = {"name": "Avery Sample", "email": "avery@example.org", "zip_code": "75201"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict[str, str]] = []
        self.anchors: list[dict[str, str]] = []
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        attributes = {key: value or "" for key, value in attrs}
        self.elements.append((tag, attributes))
        if tag == "meta" and "content" in attributes:
            key = attributes.get("property") or attributes.get("name")
            if key:
                self.meta[key] = attributes["content"]
        elif tag == "link":
            self.links.append(attributes)
        elif tag == "a":
            self.anchors.append(attributes)


def tags(response) -> _Tags:
    parser = _Tags()
    parser.feed(response.get_data(as_text=True))
    return parser


def image_path(meta: dict[str, str]) -> str:
    parts = urlsplit(meta["og:image"])
    return f"{parts.path}?{parts.query}"


# -- link previews ------------------------------------------------------------


def test_a_campaign_page_previews_with_title_excerpt_and_an_absolute_image(client, make_campaign):
    campaign = make_campaign(
        slug="end-cash-bail",
        title="End cash bail in Testville",
        demand="## Our demand\n\nRelease people who are **presumed innocent** & waiting for trial.",
    )

    meta = tags(client.get("/c/end-cash-bail")).meta

    assert meta["og:title"] == "End cash bail in Testville"
    assert meta["og:description"] == (
        "Our demand Release people who are presumed innocent & waiting for trial."
    )
    assert meta["og:url"] == f"{BASE}/c/end-cash-bail"
    assert meta["og:site_name"] == "Petition"
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["og:image"].startswith(f"{BASE}/c/end-cash-bail/card.png?v=")
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["og:image:type"] == "image/png"
    assert meta["og:image:alt"].startswith("End cash bail in Testville. To Test Prosecutor")
    assert campaign.slug in meta["og:image"]


def test_the_page_names_its_canonical_address(client, make_campaign, make_pledge):
    make_campaign(slug="canonical-one")
    pledge = make_pledge()

    campaign_links = tags(client.get("/c/canonical-one")).links
    pledge_links = tags(client.get(pledge.url)).links

    assert {"rel": "canonical", "href": f"{BASE}/c/canonical-one"} in campaign_links
    assert {"rel": "canonical", "href": f"{BASE}{pledge.url}"} in pledge_links


def test_a_pledge_page_previews_with_its_race_and_card(client, make_pledge):
    pledge = make_pledge()

    meta = tags(client.get(pledge.url)).meta

    assert meta["og:title"] == pledge.slug.replace("test-pledge-", "Test pledge ")
    assert meta["og:description"].startswith(
        "Test Parish District Attorney, Testville, LA: 0 of 2 candidates have taken the pledge."
    )
    assert meta["og:image"].startswith(f"{BASE}{pledge.url}/card.png?v=")
    card = client.get(image_path(meta))
    assert card.status_code == 200
    assert card.mimetype == "image/png"


def test_the_card_is_a_1200_by_630_png_kept_for_good_at_its_version(client, make_campaign):
    make_campaign(slug="card-me", signature_count=1234)
    path = image_path(tags(client.get("/c/card-me")).meta)

    response = client.get(path)

    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    with Image.open(io.BytesIO(response.data)) as image:
        assert image.format == "PNG"
        assert image.size == (1200, 630)
    again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""


def test_the_card_without_its_version_is_only_as_fresh_as_the_page(client, make_campaign):
    make_campaign(slug="old-card")

    response = client.get("/c/old-card/card.png?v=stale")

    assert response.status_code == 200
    assert response.cache_control.public
    assert response.cache_control.max_age == 10
    assert not response.cache_control.immutable


def test_the_card_changes_only_when_the_count_moves_by_a_step(client, make_campaign):
    for slug, count in (("a-1201", 1201), ("a-1299", 1299), ("a-1300", 1300)):
        make_campaign(slug=slug, title="Same title", signature_count=count)

    versions = {
        slug: tags(client.get(f"/c/{slug}")).meta["og:image"].split("?v=")[1]
        for slug in ("a-1201", "a-1299", "a-1300")
    }

    assert versions["a-1201"] == versions["a-1299"]
    assert versions["a-1300"] != versions["a-1299"]


@pytest.mark.parametrize(
    ("count", "label"),
    [
        (0, "0 signatures"),
        (1, "1 signature"),
        (57, "57 signatures"),
        (100, "100 signatures"),
        (1234, "1,200+ signatures"),
        (12480, "12,000+ signatures"),
        (150000, "150,000 signatures"),
    ],
)
def test_the_card_rounds_its_count_to_two_figures(count, label):
    assert cards.count_label(count, "signature") == label


def _ink(text: str, bold: bool = True) -> bytes:
    """Render ``text`` alone and return its pixels, to compare glyphs."""
    font = cards._font(bold, 72)
    image = Image.new("L", (400, 120), 0)
    from PIL import ImageDraw

    ImageDraw.Draw(image).text((10, 10), text, font=font, fill=255)
    return image.tobytes()


def test_the_card_font_draws_spanish_letters_not_empty_boxes():
    missing = _ink("\uffff")  # a code point no font has: the "notdef" box
    for letter in "ñÑáéíóúü¿¡":
        assert _ink(letter) != missing, letter
        assert any(_ink(letter)), letter


def test_a_long_title_is_fitted_smaller_then_cut_at_a_word():
    width = cards.WIDTH - 2 * cards.MARGIN
    short_font, short = cards.fit_title("End cash bail", width)
    long_title = " ".join(["Stop prosecuting people for being poor in every parish"] * 3)
    long_font, lines = cards.fit_title(long_title, width)
    huge_font, cut = cards.fit_title(" ".join(["accountability"] * 60), width)

    assert (short_font.size, short) == (72, ["End cash bail"])
    assert long_font.size < 72 and len(lines) <= 4
    assert " ".join(lines) == long_title
    assert huge_font.size == 50 and len(cut) == 4
    assert cut[-1].endswith("accountability…")
    assert all(huge_font.getlength(line) <= width for line in cut)
    png = cards.png(cards.Card("Petition", long_title * 3, "", "1 signature", 0))
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (1200, 630)


def test_an_unknown_or_draft_campaign_has_no_card(client, make_campaign):
    make_campaign(slug="still-draft", status="draft")

    assert client.get("/c/still-draft/card.png").status_code == 404
    assert client.get("/c/no-such-demand/card.png").status_code == 404
    assert client.get("/p/no-such-pledge/card.png").status_code == 404


# -- icons and the site name ---------------------------------------------------


def test_the_site_has_a_favicon_and_a_home_screen_icon(client):
    icon = client.get("/favicon.ico")
    touch = client.get("/apple-touch-icon.png")
    page = tags(client.get("/"))

    assert icon.status_code == 200 and icon.mimetype == "image/vnd.microsoft.icon"
    with Image.open(io.BytesIO(icon.data)) as image:
        assert image.format == "ICO"
    with Image.open(io.BytesIO(touch.data)) as image:
        assert (image.format, image.size) == ("PNG", (180, 180))
    assert touch.cache_control.public
    hrefs = {link["href"] for link in page.links if "icon" in link.get("rel", "")}
    assert hrefs == {"/favicon.ico", "/static/icon.svg", "/apple-touch-icon.png"}
    with client.get("/static/icon.svg") as svg:
        assert svg.status_code == 200


@pytest.mark.parametrize("app_config", [{"PETITION_SITE_NAME": "Fair DA Now"}])
def test_the_site_name_is_in_titles_the_header_and_previews(client, make_campaign):
    make_campaign(slug="named-site", title="End cash bail")

    response = client.get("/c/named-site")
    page = response.get_data(as_text=True)

    assert "<title>End cash bail · Fair DA Now</title>" in page
    assert re.search(r'class="brand"[^>]*>Fair DA Now</a>', page)
    assert tags(response).meta["og:site_name"] == "Fair DA Now"


# -- share links ----------------------------------------------------------------


def share_links(response) -> dict[str, str]:
    return {
        a["href"].split(":", 1)[0]: a["href"]
        for a in tags(response).anchors
        if a["href"].startswith(("https://wa.me/", "sms:", "mailto:"))
    }


def test_an_open_campaign_page_offers_share_links_with_its_address(client, make_campaign):
    make_campaign(slug="share-this", title="Free people held on unpaid fines")

    links = share_links(client.get("/c/share-this"))

    url = f"{BASE}/c/share-this"
    message = f"Free people held on unpaid fines — sign here: {url}"
    assert parse_qs(urlsplit(links["https"]).query)["text"] == [message]
    assert unquote(links["sms"].split("body=", 1)[1]) == message
    mail = parse_qs(urlsplit(links["mailto"]).query)
    assert mail == {"subject": ["Free people held on unpaid fines"], "body": [message]}


def test_the_share_button_and_copy_button_are_hidden_until_script_shows_them(client, make_campaign):
    make_campaign(slug="hidden-buttons")

    elements = tags(client.get("/c/hidden-buttons")).elements

    native = [attrs for tag, attrs in elements if "data-share-native" in attrs]
    copy = [attrs for tag, attrs in elements if attrs.get("data-copy") == "#share-link"]
    assert len(native) == 1 and "hidden" in native[0]
    assert len(copy) == 1 and "hidden" in copy[0]


def test_a_closed_campaign_asks_for_no_more_sharing(client, make_campaign):
    make_campaign(slug="closed-one", status="closed")

    assert share_links(client.get("/c/closed-one")) == {}


def test_the_check_your_email_pages_offer_sharing_before_confirmation(
    client, make_campaign, make_pledge
):
    make_campaign(slug="wait-and-share")
    pledge = make_pledge()

    signed = post_form(client, "/c/wait-and-share", "/c/wait-and-share/sign", GOOD)
    checked = client.get(signed.headers["Location"])
    backed = post_form(client, pledge.url, f"{pledge.url}/back", GOOD | {"email": "b@example.org"})
    pledge_checked = client.get(backed.headers["Location"])

    assert "Now check your email" in checked.get_data(as_text=True)
    assert f"{BASE}/c/wait-and-share" in unquote(share_links(checked)["https"])
    assert "Now check your email" in pledge_checked.get_data(as_text=True)
    assert f"{BASE}{pledge.url}" in unquote(share_links(pledge_checked)["https"])


def test_the_hidden_attribute_beats_the_button_style(client):
    with client.get("/static/css/site.css") as response:
        css = response.get_data(as_text=True)

    assert re.search(r"\[hidden\]\s*\{\s*display:\s*none\s*!important;?\s*\}", css)


# -- posters -----------------------------------------------------------------------


def test_a_campaign_poster_has_the_title_demand_qr_code_and_short_address(client, make_campaign):
    make_campaign(
        slug="poster-me",
        title="End cash bail in Testville",
        demand="Release people **presumed innocent**. " + "Keep families together. " * 30,
    )

    response = client.get("/c/poster-me/poster")
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert response.cache_control.public
    assert '<h1 class="poster-title">End cash bail in Testville</h1>' in page
    assert "To Test Prosecutor, Test County District Attorney, Testville, LA" in page
    text = re.search(r'<p class="poster-text">(.*?)</p>', page).group(1)
    assert text.startswith("Release people presumed innocent. Keep families together.")
    assert text.endswith("…") and len(text) <= 281
    assert re.search(r'<svg role="img" viewBox="0 0 \d+ \d+" class="poster-qr">', page)
    assert f"<title>QR code for {BASE}/c/poster-me</title>" in page
    assert "Scan to sign" in page
    assert '<span class="poster-url">petition.test/c/poster-me</span>' in page


def test_a_pledge_poster_has_the_race(client, make_pledge):
    pledge = make_pledge()

    page = client.get(f"{pledge.url}/poster").get_data(as_text=True)

    assert "Test Parish District Attorney, Testville, LA" in page
    assert "Election day November 3, 2026" in page
    assert "I will not prosecute anyone for the outcome of a pregnancy." in page
    assert f"petition.test{pledge.url}</span>" in page


def test_posters_are_linked_from_the_public_pages(client, make_campaign, make_pledge):
    make_campaign(slug="linked-poster")
    pledge = make_pledge()

    campaign_hrefs = {a["href"] for a in tags(client.get("/c/linked-poster")).anchors}
    pledge_hrefs = {a["href"] for a in tags(client.get(pledge.url)).anchors}

    assert "/c/linked-poster/poster" in campaign_hrefs
    assert f"{pledge.url}/poster" in pledge_hrefs


def test_a_draft_has_no_poster(client, make_campaign):
    make_campaign(slug="draft-poster", status="draft")

    assert client.get("/c/draft-poster/poster").status_code == 404
    assert client.get("/p/nothing-here/poster").status_code == 404


def test_the_qr_code_encodes_the_absolute_address():
    from petition.sharing import qr

    svg = qr.svg("http://petition.test/c/x")

    # segno draws the modules as one path; a different address draws different ones.
    assert "<path" in svg
    assert qr.svg("http://petition.test/c/y") != svg


@pytest.mark.parametrize(
    ("html", "length", "expected"),
    [
        ("<p>Short &amp; sweet.</p>", 200, "Short & sweet."),
        ("<h2>Heading</h2><p>One two three four</p>", 16, "Heading One two…"),
        ("<p>Unbreakablewordthatgoesonandon</p>", 10, "Unbreakabl…"),
    ],
)
def test_excerpt_gives_plain_text_cut_at_a_word(html, length, expected):
    from petition.templating import excerpt

    assert excerpt(html, length) == expected


# -- the embeddable counter -----------------------------------------------------------


def test_the_embed_may_be_framed_by_any_site(client, make_campaign):
    make_campaign(slug="embed-me", title="End cash bail", signature_count=42)

    response = client.get("/c/embed-me/embed")
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors *" in policy
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert '<h1 class="embed-title">End cash bail</h1>' in page
    assert 'data-count-url="/c/embed-me/count.json"' in page
    assert f'href="{BASE}/c/embed-me" target="_blank" rel="noopener"' in page
    assert "<form" not in page
    assert "Set-Cookie" not in response.headers


def test_every_other_route_refuses_framing(app, client, make_campaign, make_pledge):
    make_campaign(slug="framed")
    pledge = make_pledge()
    paths = [
        "/",
        "/c/framed",
        "/c/framed/poster",
        "/c/framed/card.png",
        "/c/framed/count.json",
        "/c/framed/count.json",  # the second answered by FreshCounts, outside Flask
        pledge.url,
        f"{pledge.url}/poster",
        "/favicon.ico",
        "/c/no-such-demand/embed",  # a 404 from inside the frameable view
        "/c/no-such-demand",
        "/login",
    ]
    for path in paths:
        response = client.get(path)
        assert response.headers.get("X-Frame-Options") == "DENY", path
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path
    frameable = {
        endpoint for endpoint, view in app.view_functions.items() if getattr(view, "frameable", 0)
    }
    assert frameable == {"sharing.campaign_embed"}


def test_the_organizer_page_offers_the_embed_snippet_and_poster(
    client, make_user, make_owned_campaign
):
    owner = make_user()
    campaign = make_owned_campaign(owner, slug="organizer-embed", title='Say "no" to bail')
    log_in(client, owner)

    page = client.get(f"/dashboard/campaigns/{campaign.id}").get_data(as_text=True)

    snippet = re.search(r'<textarea[^>]*id="embed-snippet"[^>]*>(.*?)</textarea>', page, re.S)
    from html import unescape

    code = unescape(snippet.group(1))
    assert code.startswith(f'<iframe src="{BASE}/c/organizer-embed/embed"')
    assert 'title="Say &#34;no&#34; to bail: live count"' in code
    assert "/c/organizer-embed/poster" in page
    assert 'data-copy="#embed-snippet"' in page


def test_the_embed_of_a_draft_is_not_found(client, make_campaign):
    make_campaign(slug="draft-embed", status="draft")

    response = client.get("/c/draft-embed/embed", headers=SAME_ORIGIN)

    assert response.status_code == 404
    assert response.headers["X-Frame-Options"] == "DENY"
