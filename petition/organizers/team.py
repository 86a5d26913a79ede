"""Co-organizers: invite by email, accept while logged in with that address, remove.

Like the other services these add and flush; the view commits once.
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from petition.clock import now
from petition.emails import normalize_email
from petition.extensions import db
from petition.models import Campaign, CampaignOrganizer, User
from petition.outbox import queue_mail
from petition.tokens import organizer_invite_token
from petition.transactions import DomainError
from petition.urls import absolute_url


class InvitationError(DomainError):
    """The invitation cannot be made or accepted; the message is for people."""


def co_organizers(campaign: Campaign) -> list[CampaignOrganizer]:
    return list(
        db.session.scalars(
            select(CampaignOrganizer)
            .where(CampaignOrganizer.campaign_id == campaign.id)
            .order_by(CampaignOrganizer.id)
        )
    )


def invite_organizer(campaign: Campaign, email: str, inviter: User) -> CampaignOrganizer:
    """Invite ``email`` to co-organize; inviting again re-sends the link."""
    normalized = normalize_email(email)
    owner = db.session.get(User, campaign.owner_id) if campaign.owner_id else None
    if owner is not None and owner.email_normalized == normalized:
        raise InvitationError("That address belongs to the demand’s owner")
    co_organizer = db.session.scalar(
        select(CampaignOrganizer).where(
            CampaignOrganizer.campaign_id == campaign.id,
            CampaignOrganizer.email_normalized == normalized,
        )
    )
    if co_organizer is not None and co_organizer.is_active:
        raise InvitationError("That person already organizes this demand")
    if co_organizer is None:
        co_organizer = CampaignOrganizer(
            campaign_id=campaign.id,
            email=email,
            email_normalized=normalized,
            invited_by_id=inviter.id,
            created_at=now(),
        )
        try:
            with db.session.begin_nested():
                db.session.add(co_organizer)
        except IntegrityError as exc:  # a concurrent invite of the same address
            raise InvitationError("That address has just been invited") from exc
    queue_mail(
        email,
        "organizer_invite",
        f"Help organize: {campaign.title}",
        campaign=campaign,
        time_zone=campaign.time_zone,
        link_expires_at=now() + timedelta(seconds=current_app.config["PETITION_INVITE_MAX_AGE"]),
        inviter=inviter,
        accept_url=absolute_url(
            "organizers.invitation",
            token=organizer_invite_token(co_organizer.id, co_organizer.token_nonce),
        ),
    )
    return co_organizer


def accept_invitation(co_organizer: CampaignOrganizer, user: User) -> None:
    """Make ``user`` a co-organizer, if the invitation was sent to their address."""
    if co_organizer.email_normalized != user.email_normalized:
        raise InvitationError(
            "This invitation was sent to a different email address. "
            "Log in with the address the invitation was sent to."
        )
    if co_organizer.campaign.owner_id == user.id:
        raise InvitationError("You already own this demand")
    if co_organizer.is_active:
        return
    co_organizer.user_id = user.id
    co_organizer.accepted_at = now()
    db.session.flush()


def remove_organizer(co_organizer: CampaignOrganizer) -> None:
    db.session.delete(co_organizer)
    db.session.flush()
