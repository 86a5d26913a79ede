"""The campaign's history: its part of the audit log, for its organizers."""

from flask import render_template, request
from flask_login import login_required

from petition import audit
from petition.organizers import bp
from petition.organizers.access import campaign_for_organizer_or_404


@bp.get("/dashboard/campaigns/<id:campaign_id>/history")
@login_required
def history(campaign_id: int):
    campaign = campaign_for_organizer_or_404(campaign_id)
    page = audit.campaign_events(campaign, request.args.get("page", 1, type=audit.page_number))
    return render_template("organizers/history.html", campaign=campaign, events=page)
