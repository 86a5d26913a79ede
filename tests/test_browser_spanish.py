"""In a real Chromium on a 390 px phone: a Spanish speaker signs, confirms, shares, reads answers.

Never meeting an English word (issue 10): at every step the page says it is
Spanish (``<html lang="es">``) and ``english_words`` (tests/spanish.py) finds
nothing in it, nor in the confirmation mail. Everything organizers, candidates
and signers typed is Spanish (tests/fixtures_spanish.py), so an English word
found is the site's own. Two ways in: a phone whose browser asks for Spanish,
and an English phone whose reader taps "Español" first.

The steps find things without English: by ids, names, addresses and data
attributes, or by roles with the Spanish names people typed. Each step's
findings are gathered and compared at the end, so one failure shows every
page that still speaks English.
"""

import re
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from .browser import PHONE, emailed_link, emails_to
from .fixtures_spanish import ANSWER, PLEDGE_TITLE, page_language, without_links
from .spanish import english_words

pytestmark = pytest.mark.browser

SIGNER = {"name": "Marisol Reyes", "email": "marisol@example.org", "zip_code": "70112"}


class Steps:
    """What a Spanish reader met at each step: the page's language and its English words."""

    def __init__(self) -> None:
        self.found: dict[str, tuple[str | None, list[str]]] = {}

    def read(self, step: str, page) -> None:
        language = page.locator("html").get_attribute("lang")
        self.found[step] = (language, english_words(page.content()))

    def read_text(self, step: str, text: str, html_lang: str | None = "es") -> None:
        self.found[step] = (html_lang, english_words(without_links(text)))

    def assert_all_spanish(self) -> None:
        english = {step: met for step, met in self.found.items() if met != ("es", [])}
        report = "\n".join(
            f"{step}: lang={lang} {words[:5]}" for step, (lang, words) in english.items()
        )
        assert english == {}, f"English met at {len(english)} of {len(self.found)} steps:\n{report}"


@pytest.mark.parametrize("locale", ["es-US", "en-US"], ids=["spanish-phone", "taps-espanol"])
def test_a_spanish_speaker_signs_confirms_shares_and_reads_the_answers_without_english(
    live_server, new_page, spanish_movement, locale
):
    movement = spanish_movement
    page = new_page(viewport=PHONE, has_touch=True, is_mobile=True, locale=locale)
    steps = Steps()

    page.goto(f"{live_server.url}/")
    if locale == "en-US":
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.get_by_role("button", name="Español").tap()
        expect(page.locator("html")).to_have_attribute("lang", "es")
    steps.read("front page", page)

    # Find the demand among the live ones, by the title its organizers wrote.
    page.get_by_role("link", name=movement.campaign.title).first.tap()
    expect(page).to_have_url(re.compile(rf"/c/{movement.campaign.slug}(#.*)?$"))
    steps.read("demand", page)

    page.locator('a[href="#sign-heading"]').tap()
    page.locator("#name").fill(SIGNER["name"])
    page.locator("#email").fill(SIGNER["email"])
    page.locator("#zip_code").fill(SIGNER["zip_code"])
    page.locator('form[action*="/sign"] button[type="submit"]').tap()
    expect(page).to_have_url(re.compile(rf"/c/{movement.campaign.slug}/check-email(#.*)?$"))
    steps.read("check your email", page)

    mail = emails_to(live_server.app, SIGNER["email"])[-1]
    steps.read_text("confirmation mail: subject", mail.subject)
    steps.read_text("confirmation mail: text", mail.body_text)
    steps.read_text("confirmation mail: html", mail.body_html, page_language(mail.body_html))

    page.goto(emailed_link(live_server.app, SIGNER["email"], "/confirm/"))
    steps.read("confirm", page)
    page.locator('form[action^="/confirm/"] button[type="submit"]').tap()
    expect(page).to_have_url(re.compile(rf"/c/{movement.campaign.slug}/thanks(#.*)?$"))
    steps.read("thanks", page)

    # Share actions, with the demand's own link to copy.
    share = page.locator("section[data-share]")
    expect(share).to_be_visible()
    expect(page.locator("#share-link")).to_have_value(f"{live_server.url}{movement.campaign_path}")
    # The phone's own share sheet where it has one, else WhatsApp, a text and email links.
    expect(
        share.locator("button[data-share-native]:visible, a[href^='https://wa.me/']:visible")
    ).not_to_have_count(0)
    expect(share.locator("button[data-copy]")).to_be_visible()

    # What the share actions send is read too: a WhatsApp message or a text is read in Spanish.
    message = share.get_attribute("data-share-text") or ""
    whatsapp = unquote(share.locator("a[href^='https://wa.me/']").get_attribute("href") or "")
    steps.read_text("share message", f"{message} {whatsapp}")

    # The race this demand backs, and the candidates' answers.
    page.locator(f'.panel-confirmation a[href="{movement.campaign_path}"]').tap()
    expect(page).to_have_url(re.compile(rf"{movement.campaign_path}(#.*)?$"))
    page.get_by_role("link", name=PLEDGE_TITLE).tap()
    expect(page).to_have_url(re.compile(rf"{movement.pledge_path}(#.*)?$"))
    answered = page.locator('[data-group="pledged"] [data-candidate="Ana Gutiérrez"]')
    expect(answered).to_contain_text(ANSWER)
    expect(page.locator('[data-group="silent"] [data-candidate="Luis Ramírez"]')).to_be_visible()
    steps.read("candidates' answers", page)

    steps.assert_all_spanish()
    assert page.watch.origins() == {live_server.origin}
    assert page.watch.csp_violations() == []
    assert page.watch.errors == []
