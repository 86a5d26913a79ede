"""After the election: the organizer records the winner and their promise record; anyone reads it.

Organizer routes load the pledge through ``petition.pledges.access``, so
another organizer's pledge or entry is a 404; tests/test_pledges_manage.py
walks them with every role. There is no route to edit or delete an entry:
the record is append-only, and a mistake is fixed by a correction.
"""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from petition import audit
from petition.caching import public_page
from petition.models import Pledge, Rating
from petition.organizers import held_content
from petition.organizers.updates import NOT_PUBLIC, posted_notice
from petition.pledges import bp, public, records
from petition.pledges.access import pledge_for_organizer_or_404
from petition.pledges.public import public_pledge_or_abort
from petition.pledges.record_forms import EvidenceForm, ResultForm
from petition.pledges.services import get_pledge_by_slug
from petition.templating import format_date
from petition.transactions import refused


def _manage(pledge: Pledge):
    return redirect(url_for("pledges.manage_promise", pledge_id=pledge.id), code=303)


@bp.get("/dashboard/pledges/<id:pledge_id>/promise")
@login_required
def manage_promise(pledge_id: int):
    pledge = pledge_for_organizer_or_404(pledge_id)
    result = records.result_for(pledge)
    return render_template(
        "pledges/manage/promise.html",
        pledge=pledge,
        result=result,
        record=records.winners_record(result, include_held=True),
        election_held=records.election_held(pledge),
    )


@bp.route("/dashboard/pledges/<id:pledge_id>/result", methods=["GET", "POST"])
@login_required
def manage_result(pledge_id: int):
    pledge = pledge_for_organizer_or_404(pledge_id)
    if records.result_for(pledge) is not None:
        flash("The winner is already recorded. The record cannot be changed.", "info")
        return _manage(pledge)
    if not records.election_held(pledge):
        return refused(
            f"The election is on {format_date(pledge.election_date)}: "
            "record the winner from that day on.",
            url_for("pledges.manage_promise", pledge_id=pledge.id),
        )
    form = ResultForm()
    form.winner.choices = [(candidate.id, candidate.name) for candidate in pledge.candidates]
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("pledges/manage/result.html", form=form, pledge=pledge), status
    winner = next(c for c in pledge.candidates if c.id == form.winner.data)
    try:
        records.record_result(pledge, winner, form.source_url.data, current_user)
    except records.RecordRefused as exc:
        return refused(str(exc), url_for("pledges.manage_promise", pledge_id=pledge.id))
    audit.record(current_user, "pledge.record_result", pledge=pledge, winner_id=winner.id)
    flash(
        f"{winner.name} is recorded as the winner. Now add evidence as they keep office.", "success"
    )
    return _manage(pledge)


def _evidence_page(pledge: Pledge, form: EvidenceForm, result, corrects=None):
    if not form.is_submitted() and corrects is not None:
        form.rating.data = corrects.rating
    status = 422 if form.is_submitted() else 200
    return render_template(
        "records/evidence_form.html",
        form=form,
        official=result.winner,
        about="pledge",
        audience="supporters",
        back=url_for("pledges.manage_promise", pledge_id=pledge.id),
        corrects=corrects,
    ), status


def _add_evidence(pledge_id: int, entry_id: int | None):
    pledge = pledge_for_organizer_or_404(pledge_id)
    result = records.result_for(pledge)
    if result is None:
        flash("Record who won the election first: the record is the winner's.", "error")
        return _manage(pledge)
    winner = result.winner
    corrects = None
    if entry_id is not None:
        corrects = records.entry_of(winner, entry_id)
        if corrects is None:
            abort(404)
    form = EvidenceForm(time_zone=pledge.time_zone)
    if not form.validate_on_submit():
        return _evidence_page(pledge, form, result, corrects)
    before = records.build_record(records.evidence_for(winner, include_held=True)).rating
    details = records.EvidenceDetails(
        happened_on=form.happened_on.data,
        summary=form.summary.data,
        source_url=form.source_url.data,
        rating=Rating(form.rating.data),
    )
    try:
        entry = records.add_evidence(winner, details, current_user, corrects=corrects)
    except records.RecordRefused as exc:
        return refused(str(exc), url_for("pledges.manage_promise", pledge_id=pledge.id))
    held = held_content.hold_row(entry)
    audit.record(
        current_user,
        "pledge.correct_evidence" if corrects else "pledge.add_evidence",
        pledge=pledge,
        entry_id=entry.id,
        corrects_id=entry.corrects_id,
        rating=entry.rating,
    )
    message = (
        "Correction added; the entry it corrects stays on the record."
        if corrects
        else ("Evidence added to the public record.")
    )
    if held:
        message = f"Entry saved. {held_content.WAITING}"
    if form.notify.data and not public.is_public(pledge):
        message += " " + NOT_PUBLIC
    elif form.notify.data:
        update = records.announce_evidence(
            pledge.campaign,
            winner,
            entry,
            before,
            records.entry_url(pledge, entry),
            current_user,
        )
        message += " " + posted_notice(update, "supporters")
    flash(message, "success")
    return _manage(pledge)


@bp.route("/dashboard/pledges/<id:pledge_id>/evidence/new", methods=["GET", "POST"])
@login_required
def manage_evidence_new(pledge_id: int):
    return _add_evidence(pledge_id, None)


@bp.route(
    "/dashboard/pledges/<id:pledge_id>/evidence/<id:entry_id>/correct", methods=["GET", "POST"]
)
@login_required
def manage_evidence_correct(pledge_id: int, entry_id: int):
    return _add_evidence(pledge_id, entry_id)


@bp.get("/p/<slug:slug>/record")
@public_page
def record(slug: str):
    """The winner's promise record: status, rating, its history, every entry with a permalink."""
    pledge = public_pledge_or_abort(get_pledge_by_slug(slug))
    result = records.result_for(pledge)
    return render_template(
        "pledges/record.html",
        pledge=pledge,
        result=result,
        record=records.winners_record(result),
    )
