"""Approve or reject held public content (petition.organizers.held_content).

Every route is admin-only, takes a CSRF-checked form, and is audited. The
held item is looked up as held, so an approved or rejected one is a 404.
"""

from flask import Response, abort, flash, redirect, url_for
from flask_login import current_user

from petition import audit
from petition.admin import bp
from petition.auth.decorators import admin_required
from petition.extensions import db
from petition.forms import ActionForm
from petition.models import Campaign, Candidate, CandidatePhoto, EvidenceEntry, TargetAnswer
from petition.organizers import held_content
from petition.organizers.forms import RejectForm
from petition.transactions import refused

QUEUE = "admin.moderation"


def _checked_action() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)


def _reason() -> str | None:
    form = RejectForm()
    return form.reason.data if form.validate_on_submit() else None


def _must_say_why(what: str):
    return refused(
        f"Say why the {what} is not approved: the organizers will read it.", url_for(QUEUE)
    )


def _done(message: str):
    flash(message, "success")
    return redirect(url_for(QUEUE), code=303)


# -- victory story and delivery note --------------------------------------


def _held_story_or_404(campaign_id: int, kind: held_content.Story) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or not held_content.is_story_held(campaign, kind):
        abort(404)
    return campaign


def _approve_story(campaign_id: int, kind: held_content.Story):
    campaign = _held_story_or_404(campaign_id, kind)
    _checked_action()
    held_content.approve_story(campaign, kind)
    audit.record(current_user, "held.story_approved", campaign=campaign, kind=kind)
    return _done(
        f"Approved: the {held_content.STORY_LABELS[kind]} of “{campaign.title}” is public."
    )


def _reject_story(campaign_id: int, kind: held_content.Story):
    campaign = _held_story_or_404(campaign_id, kind)
    what = held_content.STORY_LABELS[kind]
    reason = _reason()
    if reason is None:
        return _must_say_why(what)
    held_content.reject_story(campaign, kind, reason)
    audit.record(current_user, "held.story_rejected", campaign=campaign, kind=kind, reason=reason)
    return _done(f"Not approved: the {what} of “{campaign.title}” was not published.")


@bp.post("/moderation/victories/<id:campaign_id>/approve")
@admin_required
def approve_victory_story(campaign_id: int):
    return _approve_story(campaign_id, "victory")


@bp.post("/moderation/victories/<id:campaign_id>/reject")
@admin_required
def reject_victory_story(campaign_id: int):
    return _reject_story(campaign_id, "victory")


@bp.post("/moderation/deliveries/<id:campaign_id>/approve")
@admin_required
def approve_delivery_note(campaign_id: int):
    return _approve_story(campaign_id, "delivery")


@bp.post("/moderation/deliveries/<id:campaign_id>/reject")
@admin_required
def reject_delivery_note(campaign_id: int):
    return _reject_story(campaign_id, "delivery")


# -- targets' answers ------------------------------------------------------


def _held_answer_or_404(answer_id: int) -> TargetAnswer:
    answer = db.session.get(TargetAnswer, answer_id)
    if answer is None or answer.held_at is None:
        abort(404)
    return answer


@bp.post("/moderation/answers/<id:answer_id>/approve")
@admin_required
def approve_answer(answer_id: int):
    answer = _held_answer_or_404(answer_id)
    _checked_action()
    held_content.approve_answer(answer)
    audit.record(
        current_user, "held.answer_approved", campaign=answer.campaign, answer_id=answer.id
    )
    return _done(f"Approved: the answer is on “{answer.campaign.title}”.")


@bp.post("/moderation/answers/<id:answer_id>/reject")
@admin_required
def reject_answer(answer_id: int):
    answer = _held_answer_or_404(answer_id)
    reason = _reason()
    if reason is None:
        return _must_say_why("answer")
    campaign, answer_id = answer.campaign, answer.id
    held_content.reject_answer(answer, reason)
    audit.record(
        current_user, "held.answer_rejected", campaign=campaign, answer_id=answer_id, reason=reason
    )
    return _done(f"Not approved: the answer on “{campaign.title}” was not published.")


# -- evidence entries ------------------------------------------------------


def _held_entry_or_404(entry_id: int) -> EvidenceEntry:
    entry = db.session.get(EvidenceEntry, entry_id)
    if entry is None or entry.held_at is None:
        abort(404)
    return entry


def _entry_audit(entry: EvidenceEntry) -> dict:
    pledge = held_content.evidence_pledge(entry)
    if pledge is not None:
        return {"pledge": pledge}
    return {"campaign": held_content.evidence_campaign(entry)}


@bp.post("/moderation/evidence/<id:entry_id>/approve")
@admin_required
def approve_evidence(entry_id: int):
    entry = _held_entry_or_404(entry_id)
    _checked_action()
    held_content.approve_evidence(entry)
    audit.record(current_user, "held.evidence_approved", entry_id=entry.id, **_entry_audit(entry))
    return _done("Approved: the entry is on the public record.")


@bp.post("/moderation/evidence/<id:entry_id>/reject")
@admin_required
def reject_evidence(entry_id: int):
    entry = _held_entry_or_404(entry_id)
    reason = _reason()
    if reason is None:
        return _must_say_why("entry")
    where, entry_id = _entry_audit(entry), entry.id
    held_content.reject_evidence(entry, reason)
    audit.record(current_user, "held.evidence_rejected", entry_id=entry_id, reason=reason, **where)
    return _done("Not approved: the entry was not published.")


# -- candidate photos ------------------------------------------------------


def _held_photo_or_404(candidate_id: int) -> tuple[CandidatePhoto, Candidate]:
    photo = db.session.get(CandidatePhoto, candidate_id)
    candidate = db.session.get(Candidate, candidate_id)
    if photo is None or photo.held_at is None or candidate is None:
        abort(404)
    return photo, candidate


@bp.get("/moderation/photos/<id:candidate_id>/image")
@admin_required
def held_photo_image(candidate_id: int):
    """The held photo, for the moderator only: never cached, never public."""
    photo, _ = _held_photo_or_404(candidate_id)
    response = Response(photo.data, mimetype=photo.content_type)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/moderation/photos/<id:candidate_id>/approve")
@admin_required
def approve_photo(candidate_id: int):
    photo, candidate = _held_photo_or_404(candidate_id)
    _checked_action()
    held_content.approve_photo(photo)
    audit.record(
        current_user, "held.photo_approved", pledge=candidate.pledge, candidate_id=candidate.id
    )
    return _done(f"Approved: the photo of {candidate.name} is public.")


@bp.post("/moderation/photos/<id:candidate_id>/reject")
@admin_required
def reject_photo(candidate_id: int):
    photo, candidate = _held_photo_or_404(candidate_id)
    reason = _reason()
    if reason is None:
        return _must_say_why("photo")
    held_content.reject_photo(photo, candidate, reason)
    audit.record(
        current_user,
        "held.photo_rejected",
        pledge=candidate.pledge,
        candidate_id=candidate.id,
        reason=reason,
    )
    return _done(f"Not approved: the photo of {candidate.name} was not published.")
