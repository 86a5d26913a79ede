from flask import current_app, jsonify, redirect, render_template, request, url_for

from petition.campaigns import bp
from petition.campaigns.queries import (
    backing_pledge,
    campaign_revisions,
    campaign_updates,
    get_public_campaign_or_404,
    live_campaigns_by_activity,
    recent_public_signers,
    recent_victories,
)
from petition.signing.forms import SignForm


@bp.get("/")
def home():
    return render_template(
        "campaigns/home.html", rows=live_campaigns_by_activity(), victories=recent_victories()
    )


@bp.get("/c/<slug:slug>")
def show(slug: str):
    campaign = get_public_campaign_or_404(slug)
    if (pledge := backing_pledge(campaign)) is not None:
        return redirect(url_for("pledges.show", slug=pledge.slug))
    return render_campaign(campaign, SignForm(zip_required=campaign.zip_required))


def render_campaign(campaign, form, status: int = 200):
    """Render the campaign page; the signing views reuse it to show form errors."""
    return (
        render_template(
            "campaigns/show.html",
            campaign=campaign,
            form=form,
            signers=recent_public_signers(campaign),
            updates=campaign_updates(campaign),
            poll_seconds=current_app.config["PETITION_COUNT_POLL_SECONDS"],
        ),
        status,
    )


@bp.get("/c/<slug:slug>/revisions")
def revisions(slug: str):
    """Show every earlier wording of the demand: people signed a particular text."""
    campaign = get_public_campaign_or_404(slug)
    return render_template(
        "campaigns/revisions.html", campaign=campaign, revisions=campaign_revisions(campaign)
    )


@bp.get("/c/<slug:slug>/count.json")
def count(slug: str):
    campaign = get_public_campaign_or_404(slug)
    return live_count_response(campaign, slug=campaign.slug, etag=f"{campaign.id}")


def live_count_response(campaign, *, slug: str, etag: str, **extra: object):
    """Answer a live-count poll for ``campaign`` (campaign and pledge pages alike)."""
    response = jsonify(
        slug=slug,
        signatures=campaign.signature_count,
        goal=campaign.signature_goal,
        status=campaign.status,
        open=campaign.is_open,
        **extra,
    )
    # Pollers revalidate with If-None-Match and get an empty 304 until the
    # count moves; the one-second max-age lets a shared cache absorb a crowd
    # while keeping poll interval + cache age under the 5-second promise.
    response.set_etag(f"{etag}-{campaign.signature_count}-{campaign.status}")
    response.cache_control.public = True
    response.cache_control.max_age = 1
    return response.make_conditional(request)
