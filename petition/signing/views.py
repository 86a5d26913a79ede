from flask import abort, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from petition.caching import sessionless
from petition.campaigns.pages import render_campaign
from petition.campaigns.queries import (
    backing_pledge,
    campaign_page,
    campaign_to_sign_or_404,
    get_public_campaign_or_404,
)
from petition.database import reading
from petition.extensions import db
from petition.models import Campaign, Signature
from petition.ratelimits import limited
from petition.security import same_origin
from petition.signing import bp, just_signed
from petition.signing.flow import sign_from_form
from petition.signing.services import (
    CampaignNotOpen,
    LinkTarget,
    confirm_link,
    link_target,
    matches_link,
    resend_link,
    unsubscribe_signer,
    withdraw_signature,
)
from petition.tokens import (
    BadToken,
    load_signature_confirm_token,
    load_signature_withdraw_token,
    load_unsubscribe_token,
)


@bp.post("/c/<slug:slug>/sign")
@same_origin  # first: a refused cross-site POST must not use up the visitor's limit
def sign_campaign(slug: str):
    with reading():
        campaign = campaign_to_sign_or_404(slug)
    try:
        form, answer = sign_from_form(campaign, url_for("signing.check_email", slug=slug))
    except CampaignNotOpen:
        with reading():
            closed = get_public_campaign_or_404(slug)
            return render_template("signing/closed.html", campaign=closed), 409
    if answer is None:
        with reading():
            return render_campaign(campaign_page(slug), form, status=422)
    return answer


@bp.get("/c/<slug:slug>/sign")
@sessionless
def sign_campaign_page(slug: str):
    """Send a reload of the sign form's address (after an error) back to the campaign."""
    return redirect(url_for("campaigns.show", slug=slug))


@bp.get("/c/<slug:slug>/check-email")
def check_email(slug: str):
    campaign = get_public_campaign_or_404(slug)
    page = render_template(
        "signing/check_email.html",
        campaign=campaign,
        resent=request.args.get("resent") == "1",
        **just_signed.page_context(just_signed.recall()),
    )
    return just_signed.private(make_response(page))


@bp.get("/c/<slug:slug>/check-email/fix")
def fix_address(slug: str):
    """Show the sign form again as the supporter filled it, to correct the address."""
    campaign = get_public_campaign_or_404(slug)
    fields = just_signed.recall()
    if fields is None or not campaign.is_open:
        return redirect(url_for("campaigns.show", slug=slug))
    form = just_signed.prefilled_form(
        fields, campaign.zip_required, use_suggestion=request.args.get("suggested") == "1"
    )
    page = render_template(
        "signing/fix_address.html",
        form=form,
        title=campaign.title,
        page_url=url_for("campaigns.show", slug=slug),
        action=url_for("signing.sign_campaign", slug=slug),
        submit=_("Sign"),
    )
    return just_signed.private(make_response(page))


@bp.post("/c/<slug:slug>/check-email/resend")
@same_origin
@limited("PETITION_SIGN_RATE_LIMIT")
def resend(slug: str):
    """Mail the link again to the address this browser just signed with, if it may."""
    with reading():
        campaign = get_public_campaign_or_404(slug)
    fields = just_signed.recall()
    if fields is not None:
        try:
            resend_link(campaign, fields["email"])
        except CampaignNotOpen:
            return render_template("signing/closed.html", campaign=campaign), 409
    # The same answer whatever happened: nothing here tells whether the address signed.
    return redirect(url_for("signing.check_email", slug=slug, resent=1), code=303)


def _signature_from_token(token: str, loader=load_signature_confirm_token) -> Signature:
    target = _link_target(token, loader)
    signature = db.session.get(
        Signature, target.signature_id, options=[joinedload(Signature.campaign)]
    )
    if signature is None:  # deleted since: the link acts on nothing
        abort(_bad_link(BadToken()))
    return signature


def _link_target(token: str, loader=load_signature_confirm_token) -> LinkTarget:
    """Return what a link's token names, or answer with the bad-link page."""
    try:
        signature_id, nonce = loader(token)
    except BadToken as exc:
        abort(_bad_link(exc))
    target = link_target(signature_id)
    if target is None or not target.is_public:
        abort(_bad_link(BadToken()))
    if not matches_link(target, nonce):
        # Mailed for an earlier signing with this address: it acts on nothing now.
        abort(_bad_link(BadToken(), superseded=db.session.get(Campaign, target.campaign_id)))
    return target


def _bad_link(exc: BadToken, superseded: Campaign | None = None):
    campaign = superseded
    if exc.expired and isinstance(exc.payload, dict):
        signature = db.session.get(Signature, exc.payload.get("s", 0))
        if signature is not None and signature.campaign.is_public:
            campaign = signature.campaign
    page = render_template(
        "signing/bad_link.html",
        expired=exc.expired,
        superseded=superseded is not None,
        campaign=campaign,
    )
    return make_response(page, 400)


@bp.get("/confirm/<token>")
def confirm(token: str):
    # Opening the link changes nothing: mail scanners open every link they see.
    signature = _signature_from_token(token)
    return render_template(
        "signing/confirm.html", signature=signature, campaign=signature.campaign, token=token
    )


@bp.post("/confirm/<token>")
@same_origin
def confirm_post(token: str):
    # No reading() first: the checks are a row read and two comparisons, and on
    # SQLite a read transaction of their own would cost more than the write
    # lock is held for that row read.
    target = _link_target(token)
    if target.withdrawn_at is not None:
        # Withdrawn since the link was sent: say so rather than pretend it counted.
        return redirect(url_for("signing.confirm", token=token), code=303)
    thanks = url_for("signing.thanks", slug=target.slug)
    if target.confirmed_at is not None:
        return redirect(thanks, code=303)
    try:
        confirm_link(target)
    except CampaignNotOpen:
        campaign = db.session.get(Campaign, target.campaign_id)
        return render_template("signing/closed.html", campaign=campaign), 409
    return redirect(thanks, code=303)


@bp.get("/c/<slug:slug>/thanks")
def thanks(slug: str):
    campaign = get_public_campaign_or_404(slug)
    return render_template(
        "signing/thanks.html", campaign=campaign, pledge=backing_pledge(campaign)
    )


@bp.get("/withdraw/<token>")
def withdraw(token: str):
    signature = _signature_from_token(token, load_signature_withdraw_token)
    return render_template(
        "signing/withdraw.html", signature=signature, campaign=signature.campaign, token=token
    )


@bp.post("/withdraw/<token>")
@same_origin
def withdraw_post(token: str):
    signature = _signature_from_token(token, load_signature_withdraw_token)
    withdraw_signature(signature)
    return render_template(
        "signing/withdraw.html", signature=signature, campaign=signature.campaign, token=token
    )


# Unsubscribing (signers; no login)


def _unsubscribe_signature(token: str) -> Signature | None:
    try:
        signature_id, nonce = load_unsubscribe_token(token)
    except BadToken:
        return None
    signature = db.session.get(Signature, signature_id)
    # Only the signing the update was mailed for: never another row with a reused id.
    return signature if signature is not None and matches_link(signature, nonce) else None


@bp.get("/unsubscribe/<token>")
def unsubscribe(token: str):
    signature = _unsubscribe_signature(token)
    if signature is None:
        return render_template("signing/unsubscribe.html", signature=None), 400
    return render_template("signing/unsubscribe.html", signature=signature, done=None)


# RFC 8058 one-click unsubscribe is a POST from the recipient's mail provider:
# a server, which sends no Sec-Fetch-Site or Origin, so same_origin lets it
# through, while a page of another site still cannot post it from a browser.
# The signed token in the URL is the authority, and all it can ever do is stop
# mail to that token's own signer.
@bp.post("/unsubscribe/<token>")
@same_origin
def unsubscribe_post(token: str):
    signature = _unsubscribe_signature(token)
    if signature is None:
        return render_template("signing/unsubscribe.html", signature=None), 400
    changed = unsubscribe_signer(signature)
    return render_template("signing/unsubscribe.html", signature=signature, done=changed)
