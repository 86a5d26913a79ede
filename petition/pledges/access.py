"""Who may run a pledge: the organizers of the demand that collects its supporters.

A pledge's organizers are its campaign's owner and accepted co-organizers
(``petition.organizers.access.organized_by``), so one list governs both, and
removing someone from the demand takes the pledge away from them too. As
with campaigns, someone else's pledge, candidate or answer is a 404, never a
403, and admins get no bypass.
"""

from flask import abort
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from petition.extensions import db
from petition.models import PUBLIC_STATUSES, Campaign, Candidate, Pledge, PledgeResponse, User
from petition.organizers.access import organized_by


def _mine():
    """The condition "the logged-in user organizes the pledge's campaign"."""
    if not current_user.is_authenticated:
        abort(404)
    return Pledge.campaign_id.in_(select(Campaign.id).where(organized_by(current_user.id)))


def pledge_for_organizer_or_404(pledge_id: int) -> Pledge:
    """Return the pledge, with its candidates and their answers, if the user runs it; else 404."""
    pledge = db.session.scalar(
        select(Pledge)
        .where(Pledge.id == pledge_id, _mine())
        .options(selectinload(Pledge.candidates).selectinload(Candidate.responses))
    )
    if pledge is None:
        abort(404)
    return pledge


def candidate_for_organizer_or_404(pledge_id: int, candidate_id: int) -> Candidate:
    """Return a candidate of one of the user's pledges, else 404."""
    candidate = db.session.scalar(
        select(Candidate)
        .join(Pledge)
        .where(Candidate.id == candidate_id, Candidate.pledge_id == pledge_id, _mine())
    )
    if candidate is None:
        abort(404)
    return candidate


def response_for_organizer_or_404(pledge_id: int, response_id: int) -> PledgeResponse:
    """Return an answer given to one of the user's pledges, else 404."""
    response = db.session.scalar(
        select(PledgeResponse)
        .join(Candidate)
        .join(Pledge)
        .where(PledgeResponse.id == response_id, Candidate.pledge_id == pledge_id, _mine())
    )
    if response is None:
        abort(404)
    return response


def organized_pledges(user: User) -> list[Pledge]:
    """Return the pledges ``user`` runs, newest first."""
    campaigns = select(Campaign.id).where(organized_by(user.id))
    return list(
        db.session.scalars(
            select(Pledge).where(Pledge.campaign_id.in_(campaigns)).order_by(Pledge.id.desc())
        )
    )


def linkable_campaign(user: User, slug: str) -> Campaign | None:
    """Return the published demand ``slug`` if ``user`` runs it: only that may back their pledge.

    Its signers' ZIP codes are counted for the candidates, and nobody may
    aggregate another organizer's supporters.
    """
    return db.session.scalar(
        select(Campaign).where(
            Campaign.slug == slug,
            Campaign.status.in_(PUBLIC_STATUSES),
            organized_by(user.id),
        )
    )
