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


def test_public_pages_have_no_serious_accessibility_violations(
    live_server, new_page, movement, axe
):
    page = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    found, too_wide = {}, {}
    for name, path in movement.items():
        page.goto(f"{live_server.url}{path}")
        found[name] = serious_violations(axe, page)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[name] = width

    assert found == {name: [] for name in movement}
    assert too_wide == {}, "a page scrolls sideways on a phone"
    assert page.watch.origins() == {live_server.origin}, "axe and the pages load nothing else"
    assert page.watch.csp_violations() == []


def test_a_sign_form_with_errors_has_no_serious_accessibility_violations(
    live_server, new_page, make_campaign, axe
):
    campaign = make_campaign()
    page = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    page.goto(f"{live_server.url}/c/{campaign.slug}")
    page.get_by_role("button", name="Sign", exact=True).click()
    page.get_by_role("heading", name="There is a problem").wait_for()

    assert serious_violations(axe, page) == []


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
