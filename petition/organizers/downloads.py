"""Downloads of a campaign's signatures, as CSV, for its organizers.

POST, not GET: a download of supporters' data is an audited action, and a
button with a CSRF token cannot be triggered from another site.
"""

from flask import Response, abort, stream_with_context
from flask_login import current_user, login_required

from petition import audit
from petition.forms import ActionForm
from petition.organizers import bp, exports
from petition.organizers.access import campaign_for_organizer_or_404


def _csv_response(lines, filename: str) -> Response:
    response = Response(stream_with_context(lines), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Personal data: never keep a copy in a shared cache or the browser's.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/dashboard/campaigns/<id:campaign_id>/export.csv")
@login_required
def export(campaign_id: int):
    campaign = campaign_for_organizer_or_404(campaign_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    audit.record(current_user, "campaign.export", campaign=campaign)
    return _csv_response(exports.signature_csv(campaign.id), f"{campaign.slug}-signatures.csv")


@bp.post("/dashboard/campaigns/<id:campaign_id>/export-delivery.csv")
@login_required
def export_delivery(campaign_id: int):
    campaign = campaign_for_organizer_or_404(campaign_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    audit.record(current_user, "campaign.export_delivery", campaign=campaign)
    return _csv_response(exports.delivery_csv(campaign.id), f"{campaign.slug}-delivery.csv")
