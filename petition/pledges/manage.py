"""Organizer pages for pledges, under /dashboard/pledges.

Every route loads its objects through ``petition.pledges.access``: another
organizer's pledge, candidate or answer is a 404, exactly like one that does
not exist. tests/test_pledges_manage.py walks every route as owner,
co-organizer, other organizer, admin and anonymous.
"""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from petition import audit, slugs
from petition.confirmations import confirm_step
from petition.forms import ActionForm
from petition.i18n import NAMES, current_language
from petition.models import Answer, ContactMethod, Pledge
from petition.organizers import held_content
from petition.pledges import bp
from petition.pledges.access import (
    candidate_for_organizer_or_404,
    linkable_campaign,
    organized_pledges,
    pledge_for_organizer_or_404,
    response_for_organizer_or_404,
)
from petition.pledges.forms import (
    CandidateForm,
    ContactForm,
    HideStatementForm,
    InviteForm,
    PledgeForm,
    RecordAnswerForm,
)
from petition.pledges.linking import UnlinkError, unlink_pledge
from petition.pledges.photos import photo_versions
from petition.pledges.services import (
    CandidateDetails,
    CandidateOnRecord,
    PledgeDetails,
    ReminderOutcome,
    add_candidate,
    create_pledge,
    hide_statement,
    invite,
    record_contact,
    record_organizer_answer,
    remind_unanswered,
    response_url,
    revoke_link,
    supporters_in_jurisdiction,
    text_is_locked,
    update_candidate,
    update_pledge,
)
from petition.templating import duration
from petition.transactions import abandon, refused


def _details(form: PledgeForm) -> PledgeDetails:
    return PledgeDetails(
        slug=form.chosen_slug,
        title=form.title.data,
        text=form.text.data,
        office=form.office.data,
        jurisdiction=form.jurisdiction.data,
        election_date=form.election_date.data,
        zip_codes=form.zip_list,
        supporter_goal=form.supporter_goal.data,
        time_zone=form.time_zone.data,
    )


def _candidate_details(form: CandidateForm) -> CandidateDetails:
    return CandidateDetails(
        name=form.name.data,
        party=form.party.data or "nonpartisan",
        email=form.email.data or None,
        website=form.website.data or None,
        photo_url=form.photo_url.data or None,
    )


@bp.get("/dashboard/pledges")
@login_required
def manage_index():
    return render_template("pledges/manage/index.html", pledges=organized_pledges(current_user))


@bp.route("/dashboard/pledges/new", methods=["GET", "POST"])
@login_required
def manage_new():
    form = PledgeForm()
    if not form.validate_on_submit():
        return _form_page(form, status=422 if form.is_submitted() else 200)
    campaign = None
    if form.campaign_slug.data:
        campaign = linkable_campaign(current_user, form.campaign_slug.data)
        if campaign is None:
            form.campaign_slug.errors.append(
                "None of your published demands has that web address. Leave it empty to "
                "collect supporters on the pledge page."
            )
            return _form_page(form, status=422)
    if not form.chosen_slug:
        form.slug.errors.append("Enter a web address, like nola-da-2026")
        return _form_page(form, status=422)
    try:
        pledge = create_pledge(
            current_user,
            _details(form),
            campaign,
            moderated=current_app.config["PETITION_MODERATION"],
        )
    except slugs.SlugTaken:
        abandon()
        form.slug.errors.append(slugs.TAKEN)
        return _form_page(form, status=422)
    flash("Pledge created. Now add the candidates.", "success")
    return redirect(url_for("pledges.manage_pledge", pledge_id=pledge.id), code=303)


def _form_page(form: PledgeForm, pledge: Pledge | None = None, status: int = 200):
    moderated = current_app.config["PETITION_MODERATION"]
    locked = pledge is not None and text_is_locked(pledge, moderated)
    return render_template("pledges/manage/form.html", form=form, pledge=pledge, locked=locked), (
        status
    )


@bp.route("/dashboard/pledges/<id:pledge_id>/edit", methods=["GET", "POST"])
@login_required
def manage_edit(pledge_id: int):
    pledge = pledge_for_organizer_or_404(pledge_id)
    form = PledgeForm(obj=pledge)
    if not form.is_submitted():
        form.supporter_goal.data = pledge.campaign.signature_goal
        form.campaign_slug.data = "" if pledge.owns_campaign else pledge.campaign.slug
        return _form_page(form, pledge)
    # Fixed after creation: the slug (the public address) and the backing demand.
    form.slug.data = pledge.slug
    form.campaign_slug.data = ""
    if not pledge.owns_campaign:
        # A linked demand's goal is its organizers' to set, and the form hides it.
        form.supporter_goal.data = pledge.campaign.signature_goal
        form.supporter_goal.validators = ()
    moderated = current_app.config["PETITION_MODERATION"]
    if text_is_locked(pledge, moderated):  # the form does not offer them; keep validation happy
        form.title.data, form.text.data = pledge.title, pledge.text
    if not form.validate():
        return _form_page(form, pledge, status=422)
    update_pledge(pledge, _details(form), moderated)
    audit.record(current_user, "pledge.edit", pledge=pledge)
    flash("Pledge saved.", "success")
    return redirect(url_for("pledges.manage_pledge", pledge_id=pledge.id), code=303)


@bp.get("/dashboard/pledges/<id:pledge_id>")
@login_required
def manage_pledge(pledge_id: int):
    pledge = pledge_for_organizer_or_404(pledge_id)
    return render_template(
        "pledges/manage/pledge.html",
        pledge=pledge,
        links={candidate.id: response_url(candidate) for candidate in pledge.candidates},
        in_jurisdiction=supporters_in_jurisdiction(pledge),
        photo_versions=photo_versions(
            [candidate.id for candidate in pledge.candidates], include_held=True
        ),
        held_photos=held_content.held_photo_ids([c.id for c in pledge.candidates]),
        private_photos=True,
        action=ActionForm(),
        contact_form=ContactForm(),
        languages=NAMES,
        organizer_language=current_language(),
    )


@bp.route("/dashboard/pledges/<id:pledge_id>/candidates/new", methods=["GET", "POST"])
@login_required
def manage_candidate_new(pledge_id: int):
    pledge = pledge_for_organizer_or_404(pledge_id)
    form = CandidateForm()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("pledges/manage/candidate.html", form=form, pledge=pledge), status
    candidate = add_candidate(pledge, _candidate_details(form))
    flash(f"{candidate.name} added. Send the invitation or copy their link.", "success")
    return redirect(url_for("pledges.manage_pledge", pledge_id=pledge.id), code=303)


@bp.route(
    "/dashboard/pledges/<id:pledge_id>/candidates/<id:candidate_id>/edit",
    methods=["GET", "POST"],
)
@login_required
def manage_candidate_edit(pledge_id: int, candidate_id: int):
    candidate = candidate_for_organizer_or_404(pledge_id, candidate_id)
    form = CandidateForm(obj=candidate)
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template(
            "pledges/manage/candidate.html", form=form, pledge=candidate.pledge, candidate=candidate
        ), status
    try:
        update_candidate(candidate, _candidate_details(form))
    except CandidateOnRecord as exc:
        abandon()
        form.name.errors = [str(exc)]
        return render_template(
            "pledges/manage/candidate.html", form=form, pledge=candidate.pledge, candidate=candidate
        ), 422
    flash(f"{candidate.name} saved.", "success")
    return redirect(url_for("pledges.manage_pledge", pledge_id=pledge_id), code=303)


@bp.post("/dashboard/pledges/<id:pledge_id>/candidates/<id:candidate_id>/invite")
@login_required
def manage_invite(pledge_id: int, candidate_id: int):
    candidate = candidate_for_organizer_or_404(pledge_id, candidate_id)
    # A form without the select (an older page) keeps the candidate's language.
    form = InviteForm(language=candidate.invitation_language)
    if not form.validate_on_submit():
        abort(400)
    if invite(candidate, form.language.data):
        flash(f"Invitation to {candidate.name} queued for sending.", "success")
    else:
        flash(f"{candidate.name} has no email address: copy their link instead.", "error")
    return redirect(url_for("pledges.manage_pledge", pledge_id=pledge_id), code=303)


@bp.post("/dashboard/pledges/<id:pledge_id>/remind")
@login_required
def manage_remind(pledge_id: int):
    pledge = pledge_for_organizer_or_404(pledge_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    counts = remind_unanswered(pledge)
    sent, too_soon = counts[ReminderOutcome.SENT], counts[ReminderOutcome.TOO_SOON]
    message = f"{sent} reminder{'' if sent == 1 else 's'} queued."
    if too_soon:
        recently = duration(current_app.config["PETITION_REMINDER_INTERVAL"])
        message += f" {too_soon} skipped: contacted in the last {recently}."
    flash(message, "success")
    return redirect(url_for("pledges.manage_pledge", pledge_id=pledge_id), code=303)


@bp.route(
    "/dashboard/pledges/<id:pledge_id>/candidates/<id:candidate_id>/revoke",
    methods=["GET", "POST"],
)
@login_required
def manage_revoke(pledge_id: int, candidate_id: int):
    candidate = candidate_for_organizer_or_404(pledge_id, candidate_id)
    if request.method == "GET":
        return confirm_step(
            f"Revoke {candidate.name}’s private link?",
            [
                "Every link sent to them so far stops working, including in emails they have.",
                "Their answers stay on the record. Send the invitation again or copy the new link.",
            ],
            "Revoke the link",
            url_for("pledges.manage_pledge", pledge_id=pledge_id),
        )
    if not ActionForm().validate_on_submit():
        abort(400)
    revoke_link(candidate)
    audit.record(
        current_user, "pledge.revoke_link", pledge=candidate.pledge, candidate_id=candidate.id
    )
    flash(
        f"The old link for {candidate.name} no longer works. Send the invitation again "
        "or copy the new link.",
        "success",
    )
    return redirect(url_for("pledges.manage_pledge", pledge_id=pledge_id), code=303)


@bp.route(
    "/dashboard/pledges/<id:pledge_id>/candidates/<id:candidate_id>/record",
    methods=["GET", "POST"],
)
@login_required
def manage_record(pledge_id: int, candidate_id: int):
    candidate = candidate_for_organizer_or_404(pledge_id, candidate_id)
    form = RecordAnswerForm(time_zone=candidate.pledge.time_zone)
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template(
            "pledges/manage/record.html", form=form, pledge=candidate.pledge, candidate=candidate
        ), status
    record_organizer_answer(
        candidate,
        answer=Answer(form.answer.data),
        statement=form.statement.data,
        source_description=form.source_description.data,
        source_url=form.source_url.data,
        answered_on=form.answered_on.data,
        recorded_by=current_user,
    )
    flash(f"Answer recorded for {candidate.name}, marked as recorded by the organizers.", "success")
    return redirect(url_for("pledges.manage_pledge", pledge_id=pledge_id), code=303)


@bp.route(
    "/dashboard/pledges/<id:pledge_id>/responses/<id:response_id>/hide",
    methods=["GET", "POST"],
)
@login_required
def manage_hide(pledge_id: int, response_id: int):
    response = response_for_organizer_or_404(pledge_id, response_id)
    pledge = response.candidate.pledge
    if response.hidden_at is not None or not response.statement:
        flash("That statement is already hidden, or there is none.", "info")
        return redirect(url_for("pledges.manage_pledge", pledge_id=pledge_id), code=303)
    form = HideStatementForm()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template(
            "pledges/manage/hide.html", form=form, pledge=pledge, response=response
        ), status
    hide_statement(response, form.reason.data, current_user)
    audit.record(current_user, "pledge.hide_statement", pledge=pledge, response_id=response.id)
    flash("Statement hidden. The public page shows your note instead.", "success")
    return redirect(url_for("pledges.manage_pledge", pledge_id=pledge_id), code=303)


@bp.post("/dashboard/pledges/<id:pledge_id>/unlink")
@login_required
def manage_unlink(pledge_id: int):
    pledge = pledge_for_organizer_or_404(pledge_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    linked = pledge.campaign
    back = url_for("pledges.manage_pledge", pledge_id=pledge_id)
    try:
        unlink_pledge(pledge, current_user, current_app.config["PETITION_MODERATION"])
    except UnlinkError as exc:
        return refused(f"{exc}.", back)
    except slugs.SlugTaken:
        return refused("A demand already has this pledge’s address; ask an admin.", back)
    audit.record(current_user, "pledge.unlink", campaign=linked, pledge=pledge)
    flash(
        f"Unlinked: the signers of “{linked.title}” no longer count for this pledge, "
        "and its organizers no longer run it.",
        "success",
    )
    return redirect(url_for("organizers.campaign", campaign_id=linked.id), code=303)


@bp.post("/dashboard/pledges/<id:pledge_id>/candidates/<id:candidate_id>/contacts")
@login_required
def manage_contact(pledge_id: int, candidate_id: int):
    candidate = candidate_for_organizer_or_404(pledge_id, candidate_id)
    form = ContactForm(time_zone=candidate.pledge.time_zone)
    back = url_for("pledges.manage_pledge", pledge_id=pledge_id)
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        [first, *_] = [error for errors in form.errors.values() for error in errors]
        return refused(f"{candidate.name}: {first}.", back)
    method = ContactMethod(form.method.data)
    record_contact(candidate, method, form.contacted_on.data, current_user)
    audit.record(
        current_user,
        "pledge.record_contact",
        pledge=candidate.pledge,
        candidate_id=candidate.id,
        method=method.value,
        on=form.contacted_on.data.isoformat(),
    )
    flash(f"Recorded: {candidate.name} was asked {candidate.contacts[-1].method_words}.", "success")
    return redirect(back, code=303)
