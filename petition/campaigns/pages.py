"""The public campaign page, rendered from what ``queries.campaign_page`` read.

Its own view shows it, and the signing views show it again with the sign
form's errors, so it lives here rather than in either blueprint's views.
"""

from flask import current_app, render_template

from petition.campaigns.answers import days_without_answer
from petition.campaigns.queries import CampaignPage
from petition.signing.forms import SignForm


def render_campaign(page: CampaignPage, form: SignForm, status: int = 200):
    """Render the campaign page with ``form`` (empty, or carrying its errors)."""
    return (
        render_template(
            "campaigns/show.html",
            campaign=page.campaign,
            form=form,
            signers=page.signers,
            updates=page.updates,
            pledges=page.pledges,
            answers=page.answers,
            history=page.history.series if page.history else None,
            chart=page.history.chart if page.history else None,
            days_without_answer=days_without_answer(page.campaign, page.answers),
            held=page.held,
            poll_seconds=current_app.config["PETITION_COUNT_POLL_SECONDS"],
        ),
        status,
    )
