"""Public pledge pages and the candidate's private response page.

Supporters back a pledge through the signing flow of its campaign
(petition.signing.services.sign): one person one signature, confirmation by
email, the same count. Organizer pages live in manage.py.
"""

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from petition.caching import public_page, sessionless
from petition.campaigns import live
from petition.database import reading
from petition.extensions import db
from petition.models import Answer, Candidate, Pledge
from petition.pledges import bp, records, scoreboard
from petition.pledges.forms import RespondForm
from petition.pledges.photos import photo_versions
from petition.pledges.public import public_pledge_or_abort
from petition.pledges.services import (
    get_pledge_by_slug,
    record_candidate_answer,
    supporters_in_jurisdiction,
)
from petition.ratelimits import limited
from petition.security import same_origin
from petition.signing import just_signed
from petition.signing.flow import sign_from_form
from petition.signing.forms import SignForm
from petition.signing.holds import held_count
from petition.signing.services import CampaignNotOpen, resend_link
from petition.tokens import BadToken, load_pledge_response_token

# The sign form's own label speaks of a demand; on a pledge page it is the pledge.
UPDATES_LABEL = _l("Email me updates about this pledge and the candidates' answers")


def _pledge_or_404(slug: str) -> Pledge:
    return public_pledge_or_abort(get_pledge_by_slug(slug))


def render_pledge(pledge: Pledge, form: SignForm, status: int = 200):
    result = records.result_for(pledge)
    return (
        render_template(
            "pledges/show.html",
            pledge=pledge,
            board=scoreboard.build(pledge),
            result=result,
            promise=records.winners_record(result),
            form=form,
            updates_label=str(UPDATES_LABEL),  # a plain string: escaped like any text
            in_jurisdiction=supporters_in_jurisdiction(pledge),
            photo_versions=photo_versions([candidate.id for candidate in pledge.candidates]),
            held=held_count(pledge.campaign_id),
            poll_seconds=current_app.config["PETITION_COUNT_POLL_SECONDS"],
        ),
        status,
    )


@bp.get("/p/<slug:slug>")
@public_page
def show(slug: str):
    pledge = _pledge_or_404(slug)
    return render_pledge(pledge, SignForm(zip_required=pledge.campaign.zip_required))


@bp.post("/p/<slug:slug>/back")
@same_origin  # first: a refused cross-site POST must not use up the visitor's limit
def back(slug: str):
    """Back the pledge: sign its campaign, through the one signing workflow."""
    with reading():
        pledge = _pledge_or_404(slug)
    try:
        form, answer = sign_from_form(pledge.campaign, url_for("pledges.check_email", slug=slug))
    except CampaignNotOpen:
        return render_template("pledges/closed.html", pledge=pledge), 409
    if answer is None:
        with reading():
            return render_pledge(pledge, form, status=422)
    return answer


@bp.get("/p/<slug:slug>/back")
@sessionless
def back_page(slug: str):
    """Send a reload of the back form's address (after an error) back to the pledge."""
    return redirect(url_for("pledges.show", slug=slug))


@bp.get("/p/<slug:slug>/check-email")
def check_email(slug: str):
    page = render_template(
        "pledges/check_email.html",
        pledge=_pledge_or_404(slug),
        resent=request.args.get("resent") == "1",
        **just_signed.page_context(just_signed.recall()),
    )
    return just_signed.private(make_response(page))


@bp.get("/p/<slug:slug>/check-email/fix")
def fix_address(slug: str):
    """Show the back form again as the supporter filled it, to correct the address."""
    pledge = _pledge_or_404(slug)
    fields = just_signed.recall()
    if fields is None or not pledge.campaign.is_open:
        return redirect(url_for("pledges.show", slug=slug))
    form = just_signed.prefilled_form(
        fields, pledge.campaign.zip_required, use_suggestion=request.args.get("suggested") == "1"
    )
    page = render_template(
        "signing/fix_address.html",
        form=form,
        title=pledge.title,
        page_url=url_for("pledges.show", slug=slug),
        action=url_for("pledges.back", slug=slug),
        submit=_("Back this pledge"),
        updates_label=str(UPDATES_LABEL),  # a plain string: escaped like any text
    )
    return just_signed.private(make_response(page))


@bp.post("/p/<slug:slug>/check-email/resend")
@same_origin
@limited("PETITION_SIGN_RATE_LIMIT")
def resend(slug: str):
    """Mail the link again to the address this browser just backed with, if it may."""
    with reading():
        pledge = _pledge_or_404(slug)
    fields = just_signed.recall()
    if fields is not None:
        try:
            resend_link(pledge.campaign, fields["email"])
        except CampaignNotOpen:
            return render_template("pledges/closed.html", pledge=pledge), 409
    # The same answer whatever happened: nothing here tells whether the address signed.
    return redirect(url_for("pledges.check_email", slug=slug, resent=1), code=303)


@bp.get("/p/<slug:slug>/count.json")
@sessionless
def count(slug: str):
    return live.pledge_count(slug)


# -- the candidate's private page ------------------------------------------


def _bad_link(exc: BadToken | None = None, revoked: bool = False, pledge: Pledge | None = None):
    response = make_response(
        render_template(
            "pledges/bad_link.html",
            expired=bool(exc and exc.expired),
            revoked=revoked,
            pledge=pledge,
        ),
        400,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _candidate_from_token(token: str) -> Candidate:
    """Return the one candidate this link is for, or end with a 400 page."""
    try:
        candidate_id, version, nonce = load_pledge_response_token(token)
    except BadToken as exc:
        pledge = None
        # An expired token's signature was verified: naming its pledge is safe,
        # if the row is still the candidate it was made for.
        if exc.expired and isinstance(exc.payload, dict) and type(exc.payload.get("c")) is int:
            expired_for = db.session.get(Candidate, exc.payload["c"])
            if expired_for is not None and expired_for.token_nonce == exc.payload.get("n"):
                pledge = expired_for.pledge
        abort(_bad_link(exc, pledge=pledge))
    candidate = db.session.get(Candidate, candidate_id)
    if candidate is None or candidate.token_nonce != nonce:
        abort(_bad_link())
    if version != candidate.token_version:
        abort(_bad_link(revoked=True, pledge=candidate.pledge))
    return candidate


def _render_respond(candidate: Candidate, form: RespondForm, token: str, status: int = 200):
    pledge = candidate.pledge
    response = make_response(
        render_template(
            "pledges/respond.html",
            candidate=candidate,
            pledge=pledge,
            form=form,
            token=token,
            history=scoreboard.history(candidate),
            in_jurisdiction=supporters_in_jurisdiction(pledge),
            held=held_count(pledge.campaign_id),
        ),
        status,
    )
    # The page is reached through a private link: keep it out of caches and indexes.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/respond/<token>")
def respond(token: str):
    # Opening the link records nothing: mail scanners open every link they see.
    candidate = _candidate_from_token(token)
    form = RespondForm()
    current = candidate.current_response
    if current is not None and current.by_candidate:
        form.answer.data = current.answer
    return _render_respond(candidate, form, token)


@bp.post("/respond/<token>")
def respond_post(token: str):
    # Only the token names the candidate; nothing in the form can point elsewhere.
    candidate = _candidate_from_token(token)
    form = RespondForm()
    if not form.validate():
        return _render_respond(candidate, form, token, status=422)
    response = record_candidate_answer(candidate, Answer(form.answer.data), form.statement.data)
    if response is None:
        flash(_("Your answer was already recorded. Nothing has changed."), "info")
    elif response.answer == Answer.PLEDGED:
        flash(_("Thank you. You have taken the pledge; it is now on the public record."), "success")
    else:
        flash(_("Your answer is recorded: you have declined the pledge."), "success")
    return redirect(url_for("pledges.respond", token=token), code=303)
