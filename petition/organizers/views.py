"""The organizer dashboard: write, publish and run campaigns.

Every route under /dashboard/campaigns/<id> starts with
``campaign_for_organizer_or_404``; tests/test_organizers_access.py checks
each one against owners, co-organizers, other organizers and visitors.
"""

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from petition import audit, slugs
from petition.confirmations import confirm_step
from petition.extensions import db
from petition.forms import ActionForm
from petition.localtime import local, local_today
from petition.markup import render_markdown
from petition.models import CampaignOrganizer, CampaignStatus, User
from petition.organizers import bp, held_content, review, services, stats, team, updates
from petition.organizers.access import campaign_for_organizer_or_404, co_organizer_of_or_404
from petition.organizers.forms import (
    MAX_TARGETS,
    CampaignForm,
    DeliveryForm,
    InviteForm,
    UpdateForm,
    VictoryForm,
    campaign_form_data,
)
from petition.pledges.linking import linked_pledges
from petition.signing import holds
from petition.signing.rules import RULES
from petition.tokens import BadToken, load_organizer_invite_token
from petition.transactions import abandon, refused
from petition.urls import absolute_url


@bp.get("/dashboard")
@login_required
def dashboard():
    campaigns = stats.organized_campaigns(current_user)
    pending = stats.pending_counts([campaign.id for campaign in campaigns])
    return render_template("organizers/dashboard.html", campaigns=campaigns, pending=pending)


@bp.get("/dashboard/campaigns/<id:campaign_id>")
@login_required
def campaign(campaign_id: int):
    campaign = campaign_for_organizer_or_404(campaign_id)
    return render_template(
        "organizers/campaign.html",
        campaign=campaign,
        pending=stats.pending_counts([campaign.id]).get(campaign.id, 0),
        chart=stats.bar_chart(stats.signatures_per_day(campaign)),
        zip_codes=stats.top_zip_codes(campaign),
        comments=stats.latest_comments(campaign),
        updates=updates.list_updates(campaign),
        held=holds.held_by_rule(campaign),
        rules=RULES,
        share_url=absolute_url("campaigns.show", slug=campaign.slug),
        moderation=current_app.config["PETITION_MODERATION"],
        pending_edit=review.pending_edit(campaign),
        linked_pledges=linked_pledges(campaign),
        action=ActionForm(),
    )


# The editor


def _editor(campaign):
    moderated = review.needs_review(campaign, current_app.config["PETITION_MODERATION"])
    data = campaign_form_data(campaign)
    form = CampaignForm(
        campaign_id=campaign.id if campaign else None,
        data=review.editor_data(campaign, data) if moderated else data,
    )
    if services.slug_locked(campaign):
        del form.slug  # fixed once public: not shown, not read, not validated
    preview = None
    if request.method == "POST" and form.add_target.data:
        # No JavaScript needed: the button posts the form and gets a new row.
        # Nothing is saved, so nothing is validated yet.
        if len(form.targets) < MAX_TARGETS:
            form.targets.append_entry()
        return _render_editor(form, campaign, preview)
    if request.method == "POST" and form.preview.data:
        preview = render_markdown(form.demand.data or "")
        return _render_editor(form, campaign, preview)
    if form.validate_on_submit():
        try:
            if moderated:
                return _propose_edit(campaign, form)
            saved = services.save_campaign(campaign, form.details(campaign), current_user)
        except slugs.SlugTaken:
            abandon()
            form.slug.errors = [slugs.TAKEN]
            return _render_editor(form, campaign, preview, status=422)
        except services.TargetOnRecord as exc:
            abandon()
            form.targets.errors = [str(exc)]
            return _render_editor(form, campaign, preview, status=422)
        if campaign is not None:
            audit.record(current_user, "campaign.edit", campaign=saved)
        flash("Saved.", "success")
        return redirect(url_for("organizers.campaign", campaign_id=saved.id), code=303)
    status = 422 if request.method == "POST" else 200
    return _render_editor(form, campaign, preview, status=status)


def _propose_edit(campaign, form):
    if review.propose_edit(campaign, form.details(campaign), current_user):
        audit.record(current_user, "campaign.edit_submitted", campaign=campaign)
        flash(
            "Saved. The new wording waits for a moderator; until then the demand page "
            "shows the approved text.",
            "success",
        )
    else:
        audit.record(current_user, "campaign.edit", campaign=campaign)
        flash("Saved.", "success")
    return redirect(url_for("organizers.campaign", campaign_id=campaign.id), code=303)


def _render_editor(form, campaign, preview, status: int = 200):
    return (
        render_template(
            "organizers/edit.html",
            form=form,
            campaign=campaign,
            preview=preview,
            max_targets=MAX_TARGETS,
            slug_locked=services.slug_locked(campaign),
        ),
        status,
    )


@bp.route("/dashboard/campaigns/new", methods=["GET", "POST"])
@login_required
def new_campaign():
    return _editor(None)


@bp.route("/dashboard/campaigns/<id:campaign_id>/edit", methods=["GET", "POST"])
@login_required
def edit(campaign_id: int):
    return _editor(campaign_for_organizer_or_404(campaign_id))


@bp.get("/dashboard/campaigns/<id:campaign_id>/preview")
@login_required
def preview(campaign_id: int):
    campaign = campaign_for_organizer_or_404(campaign_id)
    return render_template("organizers/preview.html", campaign=campaign)


# The lifecycle


def _step(campaign, step, done: str, action: str):
    """Run a lifecycle step from a button and audit it; a stale button gets a clear message."""
    if not ActionForm().validate_on_submit():
        abort(400)
    back = url_for("organizers.campaign", campaign_id=campaign.id)
    try:
        step()
    except services.LifecycleError as exc:
        return refused(f"{exc}.", back)
    audit.record(current_user, action, campaign=campaign)
    flash(done, "success")
    return redirect(back, code=303)


@bp.post("/dashboard/campaigns/<id:campaign_id>/publish")
@login_required
def publish(campaign_id: int):
    campaign = campaign_for_organizer_or_404(campaign_id)
    moderation = current_app.config["PETITION_MODERATION"]
    done = (
        "Sent for review. You will see here when it is approved."
        if moderation
        else "Published: your demand is live."
    )
    action = "campaign.submit" if moderation else "campaign.publish"
    return _step(campaign, lambda: services.publish(campaign, moderation), done, action)


@bp.route("/dashboard/campaigns/<id:campaign_id>/close", methods=["GET", "POST"])
@login_required
def close(campaign_id: int):
    campaign = campaign_for_organizer_or_404(campaign_id)
    back = url_for("organizers.campaign", campaign_id=campaign.id)
    if request.method == "GET":
        if campaign.status != CampaignStatus.LIVE:
            return redirect(back, code=303)
        return confirm_step(
            f"Close signing on “{campaign.title}”?",
            [
                "Nobody can sign it after this, and links in confirmation emails stop working.",
                "You can reopen signing later, unless its closing date has passed.",
            ],
            "Close signing",
            back,
        )
    done = "Closed: signing has stopped."
    return _step(campaign, lambda: services.close(campaign), done, "campaign.close")


@bp.post("/dashboard/campaigns/<id:campaign_id>/reopen")
@login_required
def reopen(campaign_id: int):
    campaign = campaign_for_organizer_or_404(campaign_id)
    done = "Reopened: signing is open again."
    return _step(campaign, lambda: services.reopen(campaign), done, "campaign.reopen")


@bp.route("/dashboard/campaigns/<id:campaign_id>/delete", methods=["GET", "POST"])
@login_required
def delete(campaign_id: int):
    campaign = campaign_for_organizer_or_404(campaign_id)
    if request.method == "GET":
        back = url_for("organizers.campaign", campaign_id=campaign.id)
        if campaign.status != CampaignStatus.DRAFT or campaign.published_at is not None:
            return redirect(back, code=303)
        return confirm_step(
            f"Delete the draft “{campaign.title}”?",
            ["The draft and its text are deleted for good. This cannot be undone."],
            "Delete this draft",
            back,
        )
    if not ActionForm().validate_on_submit():
        abort(400)
    title = campaign.title
    try:
        services.delete_draft(campaign)
    except services.LifecycleError as exc:
        return refused(f"{exc}.", url_for("organizers.campaign", campaign_id=campaign_id))
    flash(f"Deleted the draft “{title}”.", "success")
    return redirect(url_for("organizers.dashboard"), code=303)


@bp.route("/dashboard/campaigns/<id:campaign_id>/victory", methods=["GET", "POST"])
@login_required
def victory(campaign_id: int):
    campaign = campaign_for_organizer_or_404(campaign_id)
    form = VictoryForm(data={"story": campaign.victory_story})
    if form.validate_on_submit():
        before = campaign.victory_story, campaign.victory_story_held_at
        try:
            services.declare_victory(campaign, form.story.data)
            campaign.victory_story_held_at = held_content.held_since(form.story.data, *before)
        except services.LifecycleError as exc:
            abandon()
            form.story.errors = [f"{exc}."]
        else:
            audit.record(current_user, "campaign.victory", campaign=campaign)
            if campaign.victory_story_held_at is not None:
                flash(f"Victory! The story is saved. {held_content.WAITING}", "success")
            else:
                flash("Victory! The story is on the demand page.", "success")
            return redirect(url_for("organizers.campaign", campaign_id=campaign.id), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("organizers/victory.html", campaign=campaign, form=form), status


@bp.route("/dashboard/campaigns/<id:campaign_id>/deliver", methods=["GET", "POST"])
@login_required
def deliver(campaign_id: int):
    campaign = campaign_for_organizer_or_404(campaign_id)
    zone = campaign.time_zone
    form = DeliveryForm(
        time_zone=zone,
        data={
            "delivered_on": local(campaign.delivered_at, zone).date()
            if campaign.delivered_at
            else local_today(zone),
            "delivered_to": campaign.delivered_to
            or (campaign.primary_target.name if campaign.primary_target else None),
            "note": campaign.delivery_note,
        },
    )
    if form.validate_on_submit():
        before = campaign.delivery_note, campaign.delivery_note_held_at
        try:
            services.record_delivery(
                campaign, form.delivered_on.data, form.delivered_to.data, form.note.data or None
            )
            campaign.delivery_note_held_at = held_content.held_since(form.note.data, *before)
        except services.LifecycleError as exc:
            abandon()
            form.delivered_to.errors = [f"{exc}."]
        else:
            audit.record(
                current_user, "campaign.deliver", campaign=campaign, on=str(form.delivered_on.data)
            )
            if campaign.delivery_note_held_at is not None:
                flash(f"Delivery recorded. The note: {held_content.WAITING}", "success")
            else:
                flash("Delivery recorded. It shows on the demand page.", "success")
            return redirect(url_for("organizers.campaign", campaign_id=campaign.id), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("organizers/deliver.html", campaign=campaign, form=form), status


# Co-organizers


@bp.route("/dashboard/campaigns/<id:campaign_id>/organizers", methods=["GET", "POST"])
@login_required
def organizers(campaign_id: int):
    campaign = campaign_for_organizer_or_404(campaign_id)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invited = team.invite_organizer(campaign, form.email.data, current_user)
        except team.InvitationError as exc:
            abandon()
            form.email.errors = [str(exc)]
        else:
            audit.record(
                current_user, "organizer.invite", campaign=campaign, co_organizer_id=invited.id
            )
            flash(f"Invitation sent to {form.email.data}.", "success")
            return redirect(url_for("organizers.organizers", campaign_id=campaign.id), code=303)
    status = 422 if request.method == "POST" else 200
    return (
        render_template(
            "organizers/organizers.html",
            campaign=campaign,
            form=form,
            action=ActionForm(),
            owner=campaign.owner_id and db.session.get(User, campaign.owner_id),
            people=team.co_organizers(campaign),
        ),
        status,
    )


@bp.post("/dashboard/campaigns/<id:campaign_id>/organizers/<id:co_organizer_id>/remove")
@login_required
def remove_organizer(campaign_id: int, co_organizer_id: int):
    campaign = campaign_for_organizer_or_404(campaign_id)
    co_organizer = co_organizer_of_or_404(campaign, co_organizer_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    leaving = co_organizer.user_id == current_user.id
    removed = {"co_organizer_id": co_organizer.id, "user_id": co_organizer.user_id}
    team.remove_organizer(co_organizer)
    audit.record(current_user, "organizer.remove", campaign=campaign, **removed)
    if leaving:
        flash(f"You no longer organize “{campaign.title}”.", "success")
        return redirect(url_for("organizers.dashboard"), code=303)
    flash("Removed.", "success")
    return redirect(url_for("organizers.organizers", campaign_id=campaign.id), code=303)


@bp.route("/dashboard/invitations/<token>", methods=["GET", "POST"])
@login_required
def invitation(token: str):
    try:
        co_organizer_id, nonce = load_organizer_invite_token(token)
    except BadToken:
        return render_template("organizers/invitation.html", co_organizer=None), 400
    co_organizer = db.session.get(CampaignOrganizer, co_organizer_id)
    # Withdrawn by the organizers, or another invitation that reuses the id.
    if co_organizer is None or co_organizer.token_nonce != nonce:
        return render_template("organizers/invitation.html", co_organizer=None), 400
    form = ActionForm()
    error = None
    if form.validate_on_submit():
        try:
            team.accept_invitation(co_organizer, current_user)
        except team.InvitationError as exc:
            abandon()
            error = str(exc)
        else:
            audit.record(current_user, "organizer.join", campaign=co_organizer.campaign)
            flash(f"You now co-organize “{co_organizer.campaign.title}”.", "success")
            return redirect(
                url_for("organizers.campaign", campaign_id=co_organizer.campaign_id), code=303
            )
    status = 403 if error else 200
    return (
        render_template(
            "organizers/invitation.html", co_organizer=co_organizer, form=form, error=error
        ),
        status,
    )


# Updates


@bp.route("/dashboard/campaigns/<id:campaign_id>/updates/new", methods=["GET", "POST"])
@login_required
def new_update(campaign_id: int):
    campaign = campaign_for_organizer_or_404(campaign_id)
    form = UpdateForm()
    preview = None
    if not campaign.is_public:
        flash("Publish the demand before writing updates: nobody has signed yet.", "error")
        return redirect(url_for("organizers.campaign", campaign_id=campaign.id), code=303)
    if form.validate_on_submit():
        if form.preview.data:
            preview = render_markdown(form.body.data)
        else:
            # Held for review under PETITION_MODERATION: post_update reads the setting.
            item = updates.post_update(campaign, form.subject.data, form.body.data, current_user)
            if item.is_held:
                flash(
                    "Update saved. It waits for a moderator; once approved it is published "
                    "and emailed to your signers.",
                    "success",
                )
            elif item.is_sending:
                flash(
                    f"Update published. Emailing it to your signers: {item.recipient_count:,} "
                    "so far, the rest within a few minutes.",
                    "success",
                )
            else:
                flash(
                    f"Update published and emailed to {item.recipient_count:,} signers.", "success"
                )
            return redirect(url_for("organizers.campaign", campaign_id=campaign.id), code=303)
    status = 422 if request.method == "POST" and form.errors else 200
    return (
        render_template(
            "organizers/update_new.html",
            campaign=campaign,
            form=form,
            preview=preview,
            recipients=updates.recipient_count(campaign),
        ),
        status,
    )
