"""axe-core in a real Chromium on a 390 px phone: no serious or critical violation on public pages.

axe-core comes inside the axe-playwright-python wheel and is injected from
disk: the pages load nothing from another site, and neither does the check.
"""

from datetime import UTC, datetime

import pytest
from markupsafe import Markup

from petition.models import CampaignStatus, Target

from .browser import PHONE, log_in_browser
from .fixtures_pledges import answer, link_for
from .test_spanish_sweep import BACKER, PAGES, SIGNER, signing_tokens

pytestmark = pytest.mark.browser

FAILING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def serious_violations(axe, page) -> list[str]:
    results = axe.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} "
        f"at {[node['target'] for node in violation['nodes']][:3]}"
        for violation in results.response["violations"]
        if violation["impact"] in FAILING_IMPACTS
    ]


@pytest.fixture
def movement(app, client, make_campaign, make_pledge):
    """A front page with something in every section: a demand, a race, a victory."""
    demand = make_campaign(
        title="End cash bail in Orleans Parish",
        targets=[
            Target(
                name="Test Prosecutor", office="District Attorney", jurisdiction="New Orleans, LA"
            )
        ],
    )
    make_campaign(
        title="Bail fund returned",
        status=CampaignStatus.WON,
        won_at=datetime(2026, 2, 1, tzinfo=UTC),
        victory_story_html=Markup("<p>We packed the hall, and the office listened.</p>"),
    )
    pledge = make_pledge(campaign=demand)
    candidate_link = link_for(app, pledge.candidate_ids[0])
    answer(client, candidate_link, "pledged", "I will keep this promise.")
    return {
        "the front page": "/",
        "the victories": "/victories",
        "a demand": f"/c/{demand.slug}",
        "a pledge": pledge.url,
        "a candidate's response page": candidate_link,
    }


# Each page is checked as an English reader and as a Spanish reader meets it (issue 10).
LOCALES = pytest.mark.parametrize("locale", ["en-US", "es-US"], ids=["english", "spanish"])


def phone(new_page, locale: str):
    """A phone whose browser asks for ``locale``'s language (Accept-Language)."""
    return new_page(viewport=PHONE, has_touch=True, is_mobile=True, locale=locale)


@LOCALES
def test_public_pages_have_no_serious_accessibility_violations(
    live_server, new_page, movement, axe, locale
):
    page = phone(new_page, locale)
    found, too_wide = {}, {}
    for name, path in movement.items():
        page.goto(f"{live_server.url}{path}")
        found[name] = serious_violations(axe, page)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[name] = width

    assert page.locator("html").get_attribute("lang") == locale[:2]
    assert found == {name: [] for name in movement}
    assert too_wide == {}, "a page scrolls sideways on a phone"
    assert page.watch.origins() == {live_server.origin}, "axe and the pages load nothing else"
    assert page.watch.csp_violations() == []


@LOCALES
def test_a_sign_form_with_errors_has_no_serious_accessibility_violations(
    live_server, new_page, make_campaign, axe, locale
):
    campaign = make_campaign()
    page = phone(new_page, locale)
    page.goto(f"{live_server.url}/c/{campaign.slug}")
    page.locator('form[action*="/sign"] button[type="submit"]').click()
    page.locator("#error-summary").wait_for()

    assert page.locator("html").get_attribute("lang") == locale[:2]
    assert serious_violations(axe, page) == []


@LOCALES
def test_every_public_page_and_error_page_has_no_serious_accessibility_violations(
    live_server, new_page, spanish_movement, axe, locale
):
    """Every page tests/test_spanish_sweep.py derives from the URL map, and the error pages."""
    movement = spanish_movement
    page = phone(new_page, locale)
    # A signature and a pledge backing from this browser: the check-email pages speak to them.
    same_origin = {"Origin": live_server.url}
    for path, signer in ((movement.campaign_path, SIGNER), (movement.pledge_path, BACKER)):
        action = f"{live_server.url}{path}/{'sign' if path.startswith('/c/') else 'back'}"
        assert (
            page.request.post(action, form=signer, headers=same_origin, max_redirects=0).status
            == 303
        )
    tokens = signing_tokens(live_server.app, SIGNER["email"])
    paths = {endpoint: path_for(movement, tokens) for endpoint, path_for in PAGES.items()}
    # What each page should answer: its status, its language, no serious violation.
    expected = {endpoint: (200, locale[:2], []) for endpoint in paths}
    paths["a page that is not there"] = "/c/no-existe"
    expected["a page that is not there"] = (404, locale[:2], [])
    paths["a link that does not work"] = "/confirm/no-vale"
    expected["a link that does not work"] = (400, locale[:2], [])

    found, too_wide = {}, {}
    for name, path in paths.items():
        response = page.goto(f"{live_server.url}{path}")
        language = page.locator("html").get_attribute("lang")
        found[name] = (response.status, language, serious_violations(axe, page))
        # Spanish runs longer than English: nothing may push a page wider than the phone.
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[name] = width

    assert found == expected
    assert too_wide == {}, "a page scrolls sideways on a phone"
    assert page.watch.csp_violations() == []


def test_the_campaign_editor_passes_axe_heading_order_and_has_nothing_serious(
    live_server, new_page, make_user, make_owned_campaign, axe
):
    owner = make_user()
    campaign = make_owned_campaign(owner)
    page = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    log_in_browser(page, live_server, owner)

    for path in ("/dashboard/campaigns/new", f"/dashboard/campaigns/{campaign.id}/edit"):
        page.goto(f"{live_server.url}{path}")
        violations = axe.run(page).response["violations"]
        assert [v["id"] for v in violations if v["id"] == "heading-order"] == [], path
        assert serious_violations(axe, page) == [], path
