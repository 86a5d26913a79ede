"""The promise record of a demand's targets in office: evidence and corrections.

The same append-only record as a pledge's winner (petition.pledges.records),
about a Target instead of a Candidate. Every route loads the campaign through
``campaign_for_organizer_or_404`` and the target through it, so another
organizer's target or entry is a 404; tests/test_organizers_access.py walks them.
"""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from petition import audit
from petition.models import Campaign, Rating, Target
from petition.organizers import bp, held_content
from petition.organizers.access import campaign_for_organizer_or_404
from petition.organizers.updates import NOT_PUBLIC, posted_notice
from petition.pledges import records
from petition.pledges.record_forms import EvidenceForm
from petition.transactions import refused
from petition.urls import absolute_url


def _target_or_404(campaign: Campaign, target_id: int) -> Target:
    target = next((t for t in campaign.targets if t.id == target_id), None)
    if target is None:
        abort(404)
    return target


@bp.get("/dashboard/campaigns/<id:campaign_id>/record")
@login_required
def targets_record(campaign_id: int):
    campaign = campaign_for_organizer_or_404(campaign_id)
    return render_template(
        "organizers/targets_record.html",
        campaign=campaign,
        records=records.targets_records(campaign.targets, include_held=True),
    )


def _add(campaign_id: int, target_id: int, entry_id: int | None):
    campaign = campaign_for_organizer_or_404(campaign_id)
    target = _target_or_404(campaign, target_id)
    back = url_for("organizers.targets_record", campaign_id=campaign.id)
    corrects = None
    if entry_id is not None:
        corrects = records.entry_of(target, entry_id)
        if corrects is None:
            abort(404)
    form = EvidenceForm(time_zone=campaign.time_zone)
    if not form.validate_on_submit():
        if not form.is_submitted() and corrects is not None:
            form.rating.data = corrects.rating
        status = 422 if form.is_submitted() else 200
        return render_template(
            "records/evidence_form.html",
            form=form,
            official=target,
            about="demand",
            audience="signers",
            back=url_for("organizers.targets_record", campaign_id=campaign.id),
            corrects=corrects,
        ), status
    if not campaign.is_public:
        return refused("Publish the demand first: the record is public.", back)
    before = records.build_record(records.evidence_for(target, include_held=True)).rating
    details = records.EvidenceDetails(
        happened_on=form.happened_on.data,
        summary=form.summary.data,
        source_url=form.source_url.data,
        rating=Rating(form.rating.data),
    )
    try:
        entry = records.add_evidence(target, details, current_user, corrects=corrects)
    except records.RecordRefused as exc:
        return refused(str(exc), back)
    held = held_content.hold_row(entry)
    audit.record(
        current_user,
        "campaign.correct_evidence" if corrects else "campaign.add_evidence",
        campaign=campaign,
        target_id=target.id,
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
    if form.notify.data and not campaign.is_public:
        message += " " + NOT_PUBLIC
    elif form.notify.data:
        permalink = f"{absolute_url('campaigns.record', slug=campaign.slug)}#entry-{entry.id}"
        update = records.announce_evidence(campaign, target, entry, before, permalink, current_user)
        message += " " + posted_notice(update)
    flash(message, "success")
    return redirect(back, code=303)


@bp.route(
    "/dashboard/campaigns/<id:campaign_id>/targets/<id:target_id>/evidence/new",
    methods=["GET", "POST"],
)
@login_required
def target_evidence_new(campaign_id: int, target_id: int):
    return _add(campaign_id, target_id, None)


@bp.route(
    "/dashboard/campaigns/<id:campaign_id>/targets/<id:target_id>/evidence/<id:entry_id>/correct",
    methods=["GET", "POST"],
)
@login_required
def target_evidence_correct(campaign_id: int, target_id: int, entry_id: int):
    return _add(campaign_id, target_id, entry_id)
