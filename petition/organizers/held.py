"""Signatures held for review: the organizers restore what an abuse rule held back."""

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from petition import audit
from petition.forms import ActionForm
from petition.organizers import bp
from petition.organizers.access import campaign_for_organizer_or_404
from petition.signing.holds import restore_held
from petition.signing.rules import RULES


@bp.post("/dashboard/campaigns/<id:campaign_id>/held/restore")
@login_required
def restore_held_signatures(campaign_id: int):
    campaign = campaign_for_organizer_or_404(campaign_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    rule = request.form.get("rule") or None  # None: every rule
    if rule is not None and rule not in RULES:
        abort(400)
    restored = restore_held(campaign, rule)
    audit.record(current_user, "signatures.restore", campaign=campaign, rule=rule, count=restored)
    flash(
        f"Restored {restored:,} held signature{'' if restored == 1 else 's'} to the count.",
        "success",
    )
    return redirect(url_for("organizers.campaign", campaign_id=campaign.id), code=303)
