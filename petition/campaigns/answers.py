"""Read side of a target's answers to a demand, for the public campaign page."""

from sqlalchemy import select, true

from petition.extensions import db
from petition.localtime import local, local_today
from petition.models import Campaign, TargetAnswer


def answers_for(campaign_id: int, *, include_held: bool = False) -> list[TargetAnswer]:
    """Return the recorded answers, oldest first: the record reads in order.

    Answers held for a moderator are left out unless ``include_held`` (the organizers' view).
    """
    shown = true() if include_held else TargetAnswer.held_at.is_(None)
    return list(
        db.session.scalars(
            select(TargetAnswer)
            .where(TargetAnswer.campaign_id == campaign_id, shown)
            .order_by(TargetAnswer.answered_on, TargetAnswer.id)
        )
    )


def days_without_answer(campaign: Campaign, answers: list[TargetAnswer]) -> int | None:
    """Days since delivery while the target has not answered; None if undelivered or answered.

    A recorded "no response" is not an answer: the count goes on.
    """
    if campaign.delivered_at is None or any(answer.is_answer for answer in answers):
        return None
    # Calendar days where the demand is: delivery is stored at local noon, so
    # counting 24-hour spans would lag a day every morning.
    delivered_on = local(campaign.delivered_at, campaign.time_zone).date()
    return max(0, (local_today(campaign.time_zone) - delivered_on).days)
