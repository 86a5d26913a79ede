"""The public promise record of a demand's targets in office: /c/<slug>/record."""

from flask import render_template

from petition.caching import public_page
from petition.campaigns import bp
from petition.campaigns.queries import get_public_campaign_or_404
from petition.pledges.records import targets_records


@bp.get("/c/<slug:slug>/record")
@public_page
def record(slug: str):
    campaign = get_public_campaign_or_404(slug)
    return render_template(
        "campaigns/record.html", campaign=campaign, records=targets_records(campaign.targets)
    )
