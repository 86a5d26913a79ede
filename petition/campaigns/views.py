from flask import abort, jsonify, redirect, render_template, request, url_for

from petition.caching import public_page, sessionless
from petition.campaigns import bp, live
from petition.campaigns.chart import as_json, public_series_or_404
from petition.campaigns.pages import render_campaign
from petition.campaigns.queries import (
    campaign_page,
    campaign_revisions,
    get_public_campaign_or_404,
    live_campaigns_by_activity,
)
from petition.campaigns.victories import MAX_PAGE, recent_victories, victories_page
from petition.pledges.tallies import public_tallies
from petition.signing.forms import SignForm


@bp.get("/")
@public_page
def home():
    return render_template(
        "campaigns/home.html",
        rows=live_campaigns_by_activity(),
        pledges=public_tallies(),
        victories=recent_victories(),
    )


@bp.get("/victories")
@public_page
def victories():
    number = request.args.get("page", 1, type=int)
    if not 1 <= number <= MAX_PAGE:
        abort(404)
    page = victories_page(number)
    if number > 1 and not page.cities:
        abort(404)
    return render_template("campaigns/victories.html", page=page)


@bp.get("/c/<slug:slug>")
@public_page
def show(slug: str):
    page = campaign_page(slug)
    if page.pledge_slug is not None:
        return redirect(url_for("pledges.show", slug=page.pledge_slug))
    return render_campaign(page, SignForm(zip_required=page.campaign.zip_required))


@bp.get("/c/<slug:slug>/revisions")
def revisions(slug: str):
    """Show every earlier wording of the demand: people signed a particular text."""
    campaign = get_public_campaign_or_404(slug)
    return render_template(
        "campaigns/revisions.html", campaign=campaign, revisions=campaign_revisions(campaign)
    )


@bp.get("/c/<slug:slug>/count.json")
@sessionless
def count(slug: str):
    return live.campaign_count(slug)


@bp.get("/c/<slug:slug>/history.json")
@sessionless
@public_page
def history(slug: str):
    """Serve the series the campaign page charts: counts per hour or day, nothing personal."""
    return jsonify(as_json(public_series_or_404(slug)))
