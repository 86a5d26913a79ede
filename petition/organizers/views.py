"""The organizer dashboard: write, publish and run campaigns.

Every route under /dashboard/campaigns/<id> starts with
``campaign_for_organizer_or_404``; tests/test_organizers_access.py checks
each one against owners, co-organizers, other organizers and visitors.
"""

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user, login_required

from petition import slugs
from petition.clock import now
from petition.extensions import db
from petition.forms import ActionForm
from petition.markup import render_markdown
from petition.models import CampaignOrganizer, User
from petition.organizers import bp, exports, services, stats, team, updates
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
        action=ActionForm(),
    )


# The editor


def _editor(campaign):
    form = CampaignForm(
        campaign_id=campaign.id if campaign else None, data=campaign_form_data(campaign)
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
            saved = services.save_campaign(campaign, form.details(campaign), current_user)
        except slugs.SlugTaken:
            abandon()
            form.slug.errors = [slugs.TAKEN]
            return _render_editor(form, campaign, preview, status=422)
        flash("Saved.", "success")
        return redirect(url_for("organizers.campaign", campaign_id=saved.id), code=303)
    status = 422 if request.method == "POST" else 200
    return _render_editor(form, campaign, preview, status=status)


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


def _step(campaign, step, done: str):
    """Run a lifecycle step from a button; a stale button gets a clear message."""
    if not ActionForm().validate_on_submit():
        abort(400)
    back = url_for("organizers.campaign", campaign_id=campaign.id)
    try:
        step()
    except services.LifecycleError as exc:
        return refused(f"{exc}.", back)
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
    return _step(campaign, lambda: services.publish(campaign, moderation), done)


@bp.post("/dashboard/campaigns/<id:campaign_id>/close")
@login_required
def close(campaign_id: int):
    campaign = campaign_for_organizer_or_404(campaign_id)
    return _step(campaign, lambda: services.close(campaign), "Closed: signing has stopped.")


@bp.post("/dashboard/campaigns/<id:campaign_id>/reopen")
@login_required
def reopen(campaign_id: int):
    campaign = campaign_for_organizer_or_404(campaign_id)
    return _step(campaign, lambda: services.reopen(campaign), "Reopened: signing is open again.")


@bp.post("/dashboard/campaigns/<id:campaign_id>/delete")
@login_required
def delete(campaign_id: int):
    campaign = campaign_for_organizer_or_404(campaign_id)
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
        try:
            services.declare_victory(campaign, form.story.data)
        except services.LifecycleError as exc:
            abandon()
            form.story.errors = [f"{exc}."]
        else:
            flash("Victory! The story is on the demand page.", "success")
            return redirect(url_for("organizers.campaign", campaign_id=campaign.id), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("organizers/victory.html", campaign=campaign, form=form), status


@bp.route("/dashboard/campaigns/<id:campaign_id>/deliver", methods=["GET", "POST"])
@login_required
def deliver(campaign_id: int):
    campaign = campaign_for_organizer_or_404(campaign_id)
    form = DeliveryForm(
        data={
            "delivered_on": campaign.delivered_at.date() if campaign.delivered_at else now().date(),
            "delivered_to": campaign.delivered_to
            or (campaign.primary_target.name if campaign.primary_target else None),
            "note": campaign.delivery_note,
        }
    )
    if form.validate_on_submit():
        try:
            services.record_delivery(
                campaign, form.delivered_on.data, form.delivered_to.data, form.note.data or None
            )
        except services.LifecycleError as exc:
            abandon()
            form.delivered_to.errors = [f"{exc}."]
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
            team.invite_organizer(campaign, form.email.data, current_user)
        except team.InvitationError as exc:
            abandon()
            form.email.errors = [str(exc)]
        else:
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
    team.remove_organizer(co_organizer)
    if leaving:
        flash(f"You no longer organize “{campaign.title}”.", "success")
        return redirect(url_for("organizers.dashboard"), code=303)
    flash("Removed.", "success")
    return redirect(url_for("organizers.organizers", campaign_id=campaign.id), code=303)


@bp.route("/dashboard/invitations/<token>", methods=["GET", "POST"])
@login_required
def invitation(token: str):
    try:
        co_organizer_id = load_organizer_invite_token(token)
    except BadToken:
        return render_template("organizers/invitation.html", co_organizer=None), 400
    co_organizer = db.session.get(CampaignOrganizer, co_organizer_id)
    if co_organizer is None:  # withdrawn by the organizers
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


# Exports


def _csv_response(lines, filename: str) -> Response:
    response = Response(stream_with_context(lines), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Personal data: never keep a copy in a shared cache or the browser's.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/dashboard/campaigns/<id:campaign_id>/export.csv")
@login_required
def export(campaign_id: int):
    campaign = campaign_for_organizer_or_404(campaign_id)
    return _csv_response(exports.signature_csv(campaign.id), f"{campaign.slug}-signatures.csv")


@bp.get("/dashboard/campaigns/<id:campaign_id>/export-delivery.csv")
@login_required
def export_delivery(campaign_id: int):
    campaign = campaign_for_organizer_or_404(campaign_id)
    return _csv_response(exports.delivery_csv(campaign.id), f"{campaign.slug}-delivery.csv")


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
            item = updates.post_update(campaign, form.subject.data, form.body.data, current_user)
            if item.is_sending:
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
