"""Fixes from the phone review: addresses that reopen, errors you land on, wording that fits."""

import re

from .fixtures_accounts import log_in
from .fixtures_pledges import answer, link_for
from .helpers import post_form

GOOD = {"name": "Maria Santos", "email": "maria@example.org", "zip_code": "70112"}


def test_reopening_the_sign_address_after_an_error_leads_back_to_the_campaign(
    client, make_campaign
):
    campaign = make_campaign()
    page = f"/c/{campaign.slug}"
    failed = post_form(client, page, f"{page}/sign", {**GOOD, "email": ""})
    assert failed.status_code == 422

    # What a phone does when the tab is reopened: GET the address the POST left.
    reopened = client.get(f"{page}/sign")

    assert reopened.status_code == 302
    assert reopened.headers["Location"] == page
    assert client.get(f"{page}/sign", follow_redirects=True).status_code == 200


def test_reopening_the_back_address_of_a_pledge_leads_back_to_the_pledge(client, make_pledge):
    pledge = make_pledge()

    reopened = client.get(f"{pledge.url}/back")

    assert reopened.status_code == 302
    assert reopened.headers["Location"] == pledge.url


def test_reopening_the_sign_address_of_an_unknown_demand_ends_at_a_404(client):
    assert client.get("/c/no-such-demand/sign", follow_redirects=True).status_code == 404


def test_a_sign_form_with_errors_lands_on_the_error_summary(client, make_campaign, make_pledge):
    campaign = make_campaign()
    pledge = make_pledge()
    for page, action in ((f"/c/{campaign.slug}", "sign"), (pledge.url, "back")):
        html = post_form(client, page, f"{page}/{action}", {**GOOD, "email": ""}).get_data(
            as_text=True
        )
        # The form posts to the summary's fragment, so the answer opens there,
        # and the summary takes focus without any script.
        assert f'action="{page}/{action}#error-summary"' in html
        summary = re.search(r'<div class="error-summary"[^>]*>', html).group(0)
        assert 'id="error-summary"' in summary
        assert 'tabindex="-1"' in summary and "autofocus" in summary
        assert '<a href="#email">Enter your email address</a>' in html


def test_the_pledge_page_offers_updates_about_the_pledge_not_a_demand(client, make_pledge):
    html = client.get(make_pledge().url).get_data(as_text=True)
    assert "Email me updates about this pledge and the candidates&#39; answers" in html
    assert "updates about this demand" not in html


def test_after_answering_the_candidates_page_shows_their_answer_instead_of_asking(
    app, client, make_pledge
):
    pledge = make_pledge()
    link = link_for(app, pledge.candidates["Candidate A (test)"])
    assert "Candidate A (test), will you take the pledge?" in client.get(link).get_data(True)

    answer(client, link, "pledged")
    pledged = client.get(link).get_data(as_text=True)
    answer(client, link, "declined")
    declined = client.get(link).get_data(as_text=True)

    assert "will you take the pledge?" not in pledged + declined
    assert "<h1>Candidate A (test), you have taken the pledge</h1>" in pledged
    assert "<h1>Candidate A (test), you have declined the pledge</h1>" in declined
    assert "Change your answer" in declined


def heading_levels(html: str) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]


def test_the_campaign_editor_never_skips_a_heading_level(client, make_user, make_owned_campaign):
    owner = make_user()
    campaign = make_owned_campaign(owner)
    log_in(client, owner)

    for path in ("/dashboard/campaigns/new", f"/dashboard/campaigns/{campaign.id}/edit"):
        levels = heading_levels(client.get(path).get_data(as_text=True))
        assert levels[0] == 1, (path, levels)
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), (path, levels)
        assert 3 in levels, "the targets' own headings are still there"
