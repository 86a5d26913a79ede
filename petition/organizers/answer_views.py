"""The organizer records how a demand's target answered it.

The campaign comes from ``campaign_for_organizer_or_404`` like every
organizer route, and tests/test_organizers_access.py walks this one too.
"""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from petition import audit
from petition.campaigns.answers import answers_for
from petition.models import AnswerKind
from petition.organizers import answers, bp, held_content
from petition.organizers.access import campaign_for_organizer_or_404
from petition.organizers.answer_forms import TargetAnswerForm
from petition.organizers.updates import NOT_PUBLIC, posted_notice
from petition.transactions import refused


@bp.route("/dashboard/campaigns/<id:campaign_id>/answer", methods=["GET", "POST"])
@login_required
def answer(campaign_id: int):
    campaign = campaign_for_organizer_or_404(campaign_id)
    back = url_for("organizers.campaign", campaign_id=campaign.id)
    form = TargetAnswerForm(time_zone=campaign.time_zone)
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template(
            "organizers/answer.html",
            form=form,
            campaign=campaign,
            answers=answers_for(campaign.id, include_held=True),
            target=answers.target_name(campaign),
        ), status
    details = answers.AnswerDetails(
        kind=AnswerKind(form.kind.data),
        summary=form.summary.data,
        source_url=form.source_url.data or None,
        answered_on=form.answered_on.data,
    )
    try:
        recorded = answers.record_target_answer(
            campaign, details, current_user, held=held_content.moderated()
        )
    except answers.AnswerRefused as exc:
        return refused(str(exc), back)
    audit.record(
        current_user,
        "campaign.record_answer",
        campaign=campaign,
        answer_id=recorded.id,
        kind=recorded.kind,
    )
    message = "Answer added to the public demand page."
    if recorded.held_at is not None:
        message = f"Answer saved. {held_content.WAITING}"
    if form.notify.data and not campaign.is_public:
        message += " " + NOT_PUBLIC
    elif form.notify.data:
        update = answers.announce_answer(campaign, recorded, current_user)
        message += " " + posted_notice(update)
    flash(message, "success")
    return redirect(back, code=303)
