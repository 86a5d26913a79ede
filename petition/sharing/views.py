"""Preview cards, the site's icons, printable posters and the embeddable counter."""

from flask import Response, current_app, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import select

from petition.caching import public_page, sessionless
from petition.campaigns.queries import get_public_campaign_or_404
from petition.extensions import db
from petition.i18n import current_language, in_language
from petition.models import Campaign, Pledge
from petition.pledges.public import public_pledge_or_abort
from petition.security import frameable
from petition.sharing import bp, cards, icons, qr
from petition.urls import absolute_url

# A card URL carrying its version names one picture forever.
IMMUTABLE = "public, max-age=31536000, immutable"
# Icons change with a release at most: a day in any cache.
ICON_MAX_AGE = 86400
# Pixels the embed needs on a phone: site name, a two-line title, the counter, the button.
EMBED_HEIGHT = 330


def _public_pledge_or_404(slug: str) -> Pledge:
    """Return a public pledge with its campaign, in one query: no candidates needed here."""
    return public_pledge_or_abort(db.session.scalar(select(Pledge).where(Pledge.slug == slug)))


@bp.app_template_global()
def campaign_card(campaign: Campaign) -> cards.Card:
    return cards.for_campaign(campaign, current_app.config["PETITION_SITE_NAME"])


@bp.app_template_global()
def pledge_card(pledge: Pledge) -> cards.Card:
    return cards.for_pledge(pledge, current_app.config["PETITION_SITE_NAME"])


@bp.app_template_global()
def embed_snippet(campaign: Campaign) -> str:
    """The <iframe> an organizer pastes into another site to show the live count."""
    src = absolute_url("sharing.campaign_embed", slug=campaign.slug)
    title = escape(f"{campaign.title}: live count")
    return (
        f'<iframe src="{src}" title="{title}" width="100%" height="{EMBED_HEIGHT}" '
        f'style="border:0;max-width:28rem" loading="lazy"></iframe>'
    )


def _card_language() -> str:
    """The card's language: the one its address names (the page links ?lang=), else the reader's.

    A chat app fetches the picture without the sharer's language: the page's
    link carries it. Only an address without one varies by the reader.
    """
    named = request.args.get("lang")
    return named if named is not None else current_language()


def _card_response(card: cards.Card) -> Response:
    response = Response(cards.png(card), mimetype="image/png")
    response.set_etag(card.version)
    if request.args.get("v") == card.version:
        response.headers["Cache-Control"] = IMMUTABLE
    else:
        # The unversioned (or outdated) address shows the current card: as
        # fresh as the page that links it.
        response.cache_control.public = True
        response.cache_control.max_age = current_app.config["PETITION_PAGE_MAX_AGE"]
    return response.make_conditional(request)


@bp.get("/c/<slug:slug>/card.png")
@sessionless
def campaign_card_png(slug: str):
    campaign = get_public_campaign_or_404(slug)
    with in_language(_card_language()):
        return _card_response(campaign_card(campaign))


@bp.get("/p/<slug:slug>/card.png")
@sessionless
def pledge_card_png(slug: str):
    pledge = _public_pledge_or_404(slug)
    with in_language(_card_language()):
        return _card_response(pledge_card(pledge))


def _icon_response(body: bytes, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.cache_control.public = True
    response.cache_control.max_age = ICON_MAX_AGE
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/favicon.ico")
@sessionless
def favicon():
    return _icon_response(icons.favicon_ico(), "image/vnd.microsoft.icon")


@bp.get("/apple-touch-icon.png")
@sessionless
def apple_touch_icon():
    return _icon_response(icons.touch_icon_png(), "image/png")


@bp.get("/c/<slug:slug>/poster")
@public_page
def campaign_poster(slug: str):
    campaign = get_public_campaign_or_404(slug)
    url = absolute_url("campaigns.show", slug=campaign.slug)
    return render_template(
        "sharing/poster.html",
        title=campaign.title,
        lines=[
            _(
                "To %(name)s, %(office)s, %(jurisdiction)s",
                name=t.name,
                office=t.office,
                jurisdiction=t.jurisdiction,
            )
            for t in campaign.targets
        ],
        text_html=campaign.demand_html,
        url=url,
        qr_svg=Markup(qr.svg(url)),
        back_url=url,
    )


@bp.get("/p/<slug:slug>/poster")
@public_page
def pledge_poster(slug: str):
    pledge = _public_pledge_or_404(slug)
    url = absolute_url("pledges.show", slug=pledge.slug)
    return render_template(
        "sharing/poster.html",
        title=pledge.title,
        lines=[f"{pledge.office}, {pledge.jurisdiction}"],
        election_date=pledge.election_date,
        text_html=pledge.text_html,
        url=url,
        qr_svg=Markup(qr.svg(url)),
        back_url=url,
    )


@bp.get("/c/<slug:slug>/embed")
@public_page
@frameable
def campaign_embed(slug: str):
    campaign = get_public_campaign_or_404(slug)
    return render_template(
        "sharing/embed.html",
        campaign=campaign,
        url=absolute_url("campaigns.show", slug=campaign.slug),
        poll_seconds=current_app.config["PETITION_COUNT_POLL_SECONDS"],
    )
