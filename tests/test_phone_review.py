"""Fixes from the phone review: addresses that reopen, errors you land on, wording that fits."""

import re

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
