"""Signing workflows: sign, confirm, withdraw. They add and flush; callers commit."""

import enum
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from petition.clock import now
from petition.emails import normalize_email
from petition.extensions import db
from petition.models import Campaign, Signature
from petition.outbox import queue_mail
from petition.tokens import signature_confirm_token, signature_withdraw_token
from petition.urls import absolute_url


class SignOutcome(enum.Enum):
    NEW = "new"
    RESENT = "resent"  # still unconfirmed: the link went out again
    ALREADY_CONFIRMED = "already_confirmed"
    THROTTLED = "throttled"  # mailed this address too recently to mail again


@dataclass
class SignatureDetails:
    name: str
    email: str
    zip_code: str | None
    comment: str | None
    wants_updates: bool
    show_publicly: bool


class CampaignNotOpen(Exception):
    pass


def find_signature(campaign: Campaign, email: str) -> Signature | None:
    return db.session.scalar(
        select(Signature).where(
            Signature.campaign_id == campaign.id,
            Signature.email_normalized == normalize_email(email),
        )
    )


def sign(campaign: Campaign, details: SignatureDetails, ip_hash: str | None) -> SignOutcome:
    """Record a signature (or recognise the signer) and queue the right email.

    The caller shows every outcome the same way, so a visitor cannot learn
    whether an address has signed.
    """
    if not campaign.is_open:
        raise CampaignNotOpen(campaign.slug)
    signature = find_signature(campaign, details.email)
    if signature is None:
        signature = _insert(campaign, details, ip_hash)
        if signature is not None:
            _mail_confirmation(signature)
            return SignOutcome.NEW
        # Lost a race with a concurrent request for the same address.
        signature = find_signature(campaign, details.email)
        assert signature is not None
    if signature.withdrawn_at is not None:
        if _reinstate(signature, details, ip_hash):
            _mail_confirmation(signature)
            return SignOutcome.NEW
        # A concurrent request reinstated it first: treat this as a repeat.
    if _mailed_recently(signature):
        return SignOutcome.THROTTLED
    if signature.confirmed_at is not None:
        _mail(signature, "already_signed", "You have already signed: thank you")
        return SignOutcome.ALREADY_CONFIRMED
    _mail_confirmation(signature)
    return SignOutcome.RESENT


def _insert(campaign: Campaign, details: SignatureDetails, ip_hash: str | None) -> Signature | None:
    signature = Signature(
        campaign=campaign,
        name=details.name,
        email=details.email,
        email_normalized=normalize_email(details.email),
        zip_code=details.zip_code,
        comment=details.comment,
        wants_updates=details.wants_updates,
        show_publicly=details.show_publicly,
        ip_hash=ip_hash,
        created_at=now(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(signature)
    except IntegrityError:
        return None
    return signature


def _reinstate(signature: Signature, details: SignatureDetails, ip_hash: str | None) -> bool:
    """Turn a withdrawn signature back into a fresh, unconfirmed one.

    Guarded on ``withdrawn_at IS NOT NULL`` so two overlapping re-signs cannot
    reset a row that one of them (and a confirmation) already moved on.
    """
    result = db.session.execute(
        update(Signature)
        .where(Signature.id == signature.id, Signature.withdrawn_at.is_not(None))
        .values(
            name=details.name,
            email=details.email,
            zip_code=details.zip_code,
            comment=details.comment,
            wants_updates=details.wants_updates,
            show_publicly=details.show_publicly,
            ip_hash=ip_hash,
            created_at=now(),
            confirmed_at=None,
            withdrawn_at=None,
            unsubscribed_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(signature)
    return result.rowcount == 1


def _mailed_recently(signature: Signature) -> bool:
    if signature.last_mailed_at is None:
        return False
    interval = timedelta(seconds=current_app.config["PETITION_RESEND_INTERVAL"])
    return now() - signature.last_mailed_at < interval


def _mail_confirmation(signature: Signature) -> None:
    _mail(
        signature,
        "confirm_signature",
        f"Confirm your signature: {signature.campaign.title}",
        confirm_url=absolute_url("signing.confirm", token=signature_confirm_token(signature.id)),
    )


def _mail(signature: Signature, template: str, subject: str, **context: object) -> None:
    campaign = signature.campaign
    queue_mail(
        signature.email,
        template,
        subject,
        signature=signature,
        campaign=campaign,
        campaign_url=absolute_url("campaigns.show", slug=campaign.slug),
        withdraw_url=absolute_url("signing.withdraw", token=signature_withdraw_token(signature.id)),
        **context,
    )
    signature.last_mailed_at = now()


def confirm_signature(signature: Signature) -> bool:
    """Confirm a signature and count it; return False if it was already counted.

    The guarded UPDATE makes a double tap, or two mail scanners racing the
    person, count once: only the statement that flips ``confirmed_at`` from
    NULL bumps the campaign's count, in the same transaction.
    """
    moment = now()
    result = db.session.execute(
        update(Signature)
        .where(
            Signature.id == signature.id,
            Signature.confirmed_at.is_(None),
            Signature.withdrawn_at.is_(None),
        )
        .values(confirmed_at=moment)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    db.session.execute(
        update(Campaign)
        .where(Campaign.id == signature.campaign_id)
        .values(signature_count=Campaign.signature_count + 1, last_signed_at=moment)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(signature)
    db.session.refresh(signature.campaign)
    return True


def withdraw_signature(signature: Signature) -> bool:
    """Withdraw a signature, uncounting it if it was counted."""
    moment = now()
    result = db.session.execute(
        update(Signature)
        .where(Signature.id == signature.id, Signature.withdrawn_at.is_(None))
        .values(withdrawn_at=moment)
        .returning(Signature.confirmed_at)
        .execution_options(synchronize_session=False)
    )
    row = result.first()
    if row is None:
        return False
    if row.confirmed_at is not None:
        db.session.execute(
            update(Campaign)
            .where(Campaign.id == signature.campaign_id)
            .values(signature_count=Campaign.signature_count - 1)
            .execution_options(synchronize_session=False)
        )
    db.session.refresh(signature)
    db.session.refresh(signature.campaign)
    return True
