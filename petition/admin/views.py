"""The moderation queue: admins approve pending campaigns or send them back."""

import hmac

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from petition import audit, takedown
from petition.admin import bp
from petition.admin.forms import TakeDownForm
from petition.auth.decorators import admin_required
from petition.extensions import db
from petition.forms import ActionForm
from petition.models import (
    Campaign,
    CampaignStatus,
    CampaignUpdate,
    PendingCampaignEdit,
    Pledge,
)
from petition.organizers import held_content, review, services, updates
from petition.organizers.forms import RejectForm
from petition.pledges import review as pledge_review
from petition.transactions import DomainError, abandon, refused


def _pending_or_404(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or campaign.status != CampaignStatus.PENDING:
        abort(404)
    return campaign


@bp.get("/moderation")
@admin_required
def moderation():
    campaigns = db.session.scalars(
        select(Campaign)
        .options(selectinload(Campaign.targets))
        .where(Campaign.status == CampaignStatus.PENDING)
        .order_by(Campaign.updated_at, Campaign.id)
    ).all()
    return render_template(
        "admin/moderation.html",
        campaigns=campaigns,
        edits=review.edits_waiting(),
        held_updates=review.updates_waiting(),
        held_content=held_content.waiting(),
        held_pledges=pledge_review.pledges_waiting(),
        pledge_version=pledge_review.version,
        action=ActionForm(),
        reject=RejectForm(),
    )


@bp.post("/moderation/<id:campaign_id>/approve")
@admin_required
def approve(campaign_id: int):
    campaign = _pending_or_404(campaign_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.approve(campaign)
    audit.record(current_user, "campaign.approve", campaign=campaign)
    flash(f"Approved: “{campaign.title}” is live.", "success")
    return redirect(url_for("admin.moderation"), code=303)


@bp.post("/moderation/<id:campaign_id>/reject")
@admin_required
def reject(campaign_id: int):
    campaign = _pending_or_404(campaign_id)
    form = RejectForm()
    if not form.validate_on_submit():
        campaigns = [campaign]
        return (
            render_template(
                "admin/moderation.html",
                campaigns=campaigns,
                edits=[],
                held_updates=[],
                held_pledges=[],
                action=ActionForm(),
                reject=form,
                rejecting=campaign.id,
            ),
            422,
        )
    services.reject(campaign, form.reason.data)
    audit.record(current_user, "campaign.reject", campaign=campaign)
    flash(f"Sent back to the organizers: “{campaign.title}”.", "success")
    return redirect(url_for("admin.moderation"), code=303)


@bp.get("/audit")
@admin_required
def audit_log():
    page = audit.all_events(request.args.get("page", 1, type=audit.page_number))
    return render_template("admin/audit.html", events=page)


# Edits to live campaigns (petition.organizers.review)


def _edit_or_404(edit_id: int) -> PendingCampaignEdit:
    proposal = db.session.get(PendingCampaignEdit, edit_id)
    if proposal is None:
        abort(404)
    return proposal


# The organizers may edit again between the admin reading the proposal and
# clicking: the decision carries the version read, and a changed one is refused.
EDIT_CHANGED = "The organizers changed this edit after you opened the page. Read the new wording."


def _is_version_read(proposal: PendingCampaignEdit) -> bool:
    return hmac.compare_digest(request.form.get("version", ""), proposal.version)


@bp.post("/moderation/edits/<id:edit_id>/approve")
@admin_required
def approve_edit(edit_id: int):
    proposal = _edit_or_404(edit_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if not _is_version_read(proposal):
        return refused(EDIT_CHANGED, url_for("admin.moderation"))
    campaign = proposal.campaign
    try:
        review.approve_edit(proposal)
    except DomainError as exc:  # a target on the record was dropped since it was proposed
        return refused(str(exc), url_for("admin.moderation"))
    audit.record(current_user, "campaign.edit_approved", campaign=campaign)
    flash(f"Approved: the new wording of “{campaign.title}” is public.", "success")
    return redirect(url_for("admin.moderation"), code=303)


@bp.post("/moderation/edits/<id:edit_id>/reject")
@admin_required
def reject_edit(edit_id: int):
    proposal = _edit_or_404(edit_id)
    form = RejectForm()
    if not form.validate_on_submit():
        return refused(
            "Say why the edit is not approved: the organizers will read it.",
            url_for("admin.moderation"),
        )
    if not _is_version_read(proposal):
        return refused(EDIT_CHANGED, url_for("admin.moderation"))
    campaign = proposal.campaign
    review.reject_edit(proposal, form.reason.data)
    audit.record(current_user, "campaign.edit_rejected", campaign=campaign, reason=form.reason.data)
    flash(f"Not approved: “{campaign.title}” keeps its approved wording.", "success")
    return redirect(url_for("admin.moderation"), code=303)


# Updates held for review (petition.organizers.review)


def _held_update_or_404(update_id: int) -> CampaignUpdate:
    item = db.session.get(CampaignUpdate, update_id)
    if item is None or not item.is_held:
        abort(404)
    return item


@bp.post("/moderation/updates/<id:update_id>/approve")
@admin_required
def approve_update(update_id: int):
    item = _held_update_or_404(update_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    updates.release_update(item)
    audit.record(current_user, "update.approved", campaign=item.campaign, update_id=item.id)
    flash(f"Approved: “{item.subject}” is published and being emailed.", "success")
    return redirect(url_for("admin.moderation"), code=303)


@bp.post("/moderation/updates/<id:update_id>/reject")
@admin_required
def reject_update(update_id: int):
    item = _held_update_or_404(update_id)
    form = RejectForm()
    if not form.validate_on_submit():
        return refused(
            "Say why the update is not approved: the organizers will read it.",
            url_for("admin.moderation"),
        )
    campaign, subject = item.campaign, item.subject
    review.reject_update(item, form.reason.data)
    audit.record(current_user, "update.rejected", campaign=campaign, reason=form.reason.data)
    flash(f"Not approved: “{subject}” was not published nor emailed.", "success")
    return redirect(url_for("admin.moderation"), code=303)


# New pledges held for review (petition.pledges.review)

PLEDGE_CHANGED = "The organizer changed this pledge after you opened the page. Read it again."


def _held_pledge_or_404(pledge_id: int) -> Pledge:
    pledge = pledge_review.held_pledge(pledge_id)
    if pledge is None:
        abort(404)
    return pledge


def _is_pledge_read(pledge: Pledge) -> bool:
    return hmac.compare_digest(request.form.get("version", ""), pledge_review.version(pledge))


@bp.post("/moderation/pledges/<id:pledge_id>/approve")
@admin_required
def approve_pledge(pledge_id: int):
    pledge = _held_pledge_or_404(pledge_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if not _is_pledge_read(pledge):
        return refused(PLEDGE_CHANGED, url_for("admin.moderation"))
    pledge_review.approve_pledge(pledge)
    audit.record(current_user, "pledge.approved", pledge=pledge)
    flash(f"Approved: the pledge “{pledge.title}” is public.", "success")
    return redirect(url_for("admin.moderation"), code=303)


@bp.post("/moderation/pledges/<id:pledge_id>/reject")
@admin_required
def reject_pledge(pledge_id: int):
    pledge = _held_pledge_or_404(pledge_id)
    form = RejectForm()
    if not form.validate_on_submit():
        return refused(
            "Say why the pledge is not approved: its organizer will read it.",
            url_for("admin.moderation"),
        )
    if not _is_pledge_read(pledge):
        return refused(PLEDGE_CHANGED, url_for("admin.moderation"))
    pledge_review.reject_pledge(pledge, form.reason.data)
    audit.record(current_user, "pledge.rejected", pledge=pledge, reason=form.reason.data)
    flash(f"Not approved: “{pledge.title}” stays hidden.", "success")
    return redirect(url_for("admin.moderation"), code=303)


# Take-downs (petition.takedown)


@bp.route("/take-down", methods=["GET", "POST"])
@admin_required
def take_down():
    form = TakeDownForm()
    if form.validate_on_submit():
        item = takedown.find_public_item(form.address.data)
        if item is None:
            form.address.errors = ["No demand or pledge has that address"]
        else:
            try:
                _take_down(item, form.reason.data)
            except takedown.TakeDownError as exc:
                abandon()
                form.address.errors = [f"{exc}."]
            else:
                flash(f"Taken down: “{item.title}”. Its page now shows the notice.", "success")
                endpoint = "campaigns.show" if isinstance(item, Campaign) else "pledges.show"
                return redirect(url_for(endpoint, slug=item.slug), code=303)
    status = 422 if form.is_submitted() else 200
    return render_template("admin/take_down.html", form=form), status


def _take_down(item: Campaign | Pledge, reason: str) -> None:
    if isinstance(item, Campaign):
        takedown.take_down_campaign(item, reason)
        audit.record(current_user, "campaign.take_down", campaign=item, reason=reason)
    else:
        takedown.take_down_pledge(item, reason)
        audit.record(current_user, "pledge.take_down", pledge=item, reason=reason)
