"""Signing workflows: sign, confirm, withdraw. They add and flush; callers commit."""

import enum
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, case, select, update

from petition import counts
from petition.clock import now
from petition.database import insert, per_dialect
from petition.emails import normalize_email
from petition.extensions import db
from petition.models import Campaign, CampaignStatus, Signature
from petition.models.campaigns import OpenOrNot
from petition.signing import mail
from petition.transactions import DomainError
from petition.webhooks import events as webhooks


class SignOutcome(enum.Enum):
    NEW = "new"
    RESENT = "resent"  # unconfirmed after a withdrawal race: the link went out again
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
    # The abuse rule this signing tripped (petition.signing.rules), if any.
    held_by: str | None = None
    # The language the signer used (petition.i18n): their mail is written in it.
    language: str = "en"


@dataclass(frozen=True, slots=True)
class CampaignToSign(OpenOrNot):
    """What signing needs of a campaign: read as one row, without loading the entity.

    The sign POST is a viral demand's busiest write; ``sign_from_form`` and
    ``sign`` take this or a ``Campaign`` alike
    (``petition.campaigns.queries.campaign_to_sign_or_404`` reads it).
    """

    id: int
    slug: str
    status: CampaignStatus
    closes_at: datetime | None
    zip_required: bool


class CampaignNotOpen(DomainError):
    """The campaign does not take signatures now: not live, or past its closing date."""


def ensure_open(campaign: "Campaign | CampaignToSign | LinkTarget") -> None:
    """Raise ``CampaignNotOpen`` unless ``campaign`` takes signatures right now."""
    if not campaign.is_open:
        raise CampaignNotOpen(campaign.slug)


_campaigns = Campaign.__table__
_OPEN_NOW = select(_campaigns.c.slug, _campaigns.c.status, _campaigns.c.closes_at).where(
    _campaigns.c.id == bindparam("campaign_id")
)


def _as_it_is_now(campaign: Campaign | CampaignToSign) -> CampaignToSign:
    """Read ``campaign``'s status and closing time again, in the transaction in hand."""
    row = db.session.execute(_OPEN_NOW, {"campaign_id": campaign.id}).one()
    return CampaignToSign(campaign.id, row.slug, row.status, row.closes_at, campaign.zip_required)


def new_nonce() -> str:
    """Return a fresh nonce for a signing's links (``Signature.token_nonce``)."""
    return secrets.token_hex(8)


def matches_link(signature: "Signature | LinkTarget", nonce: str | None) -> bool:
    """Whether a link carrying ``nonce`` was mailed for the signature's current signing."""
    return signature.token_nonce == nonce


def find_signature(campaign: Campaign | CampaignToSign, email: str) -> Signature | None:
    return db.session.scalar(
        select(Signature).where(
            Signature.campaign_id == campaign.id,
            Signature.email_normalized == normalize_email(email),
        )
    )


def sign(
    campaign: Campaign | CampaignToSign, details: SignatureDetails, ip_hash: str | None
) -> SignOutcome:
    """Record a signature (or recognise the signer) and queue the right email.

    The caller shows every outcome the same way, so a visitor cannot learn
    whether an address has signed. Whether the campaign takes signatures is
    read again by the statement that stores the signature: the caller may
    have read ``campaign`` a moment ago (``campaign_to_sign_or_404`` keeps it
    a second), and a campaign closed or taken down since takes none.
    """
    stored = _upsert(campaign, details, ip_hash)
    if stored is not None:
        signature_id, mail_now = stored
        if mail_now:
            mail.queue_confirmation(signature_id, details.email, details.language)
            return SignOutcome.NEW
        return SignOutcome.THROTTLED
    # Nothing stored: the campaign stopped taking signatures, or this address
    # has a confirmed or withdrawn signature here.
    ensure_open(_as_it_is_now(campaign))
    signature = find_signature(campaign, details.email)
    assert signature is not None
    if signature.withdrawn_at is not None:
        if _reinstate(signature, details, ip_hash):
            _mail_confirmation(signature)
            return SignOutcome.NEW
        # A concurrent request reinstated it first: treat this as a repeat.
    return _mail_again(signature)


def resend_link(campaign: Campaign, email: str) -> SignOutcome | None:
    """Mail the confirmation link again to a signer of ``campaign`` who asks for it.

    The same rules as signing again with the address: at most one email per
    ``PETITION_RESEND_INTERVAL``, and a confirmed signer hears that they
    already signed. Nothing is stored or counted; a withdrawn or unknown
    address gets nothing (None). The caller shows every outcome the same way.
    """
    ensure_open(campaign)
    signature = find_signature(campaign, email)
    if signature is None or signature.withdrawn_at is not None:
        return None
    return _mail_again(signature)


def _mail_again(signature: Signature) -> SignOutcome:
    if _mailed_recently(signature):
        return SignOutcome.THROTTLED
    if signature.confirmed_at is not None:
        mail.queue_already_signed(signature.id, signature.email, signature.language)
        signature.last_mailed_at = now()
        return SignOutcome.ALREADY_CONFIRMED
    _mail_confirmation(signature)
    return SignOutcome.RESENT


_signatures = Signature.__table__


# What a newer submission replaces in a still-pending signature: everything
# the signer typed or chose, so the person who finally confirms confirms their
# own words, never a comment or opt-in someone else attached to their address.
_REPLACED = (
    "name",
    "email",
    "zip_code",
    "comment",
    "wants_updates",
    "show_publicly",
    "ip_hash",
    "held_by",  # a newer submission is judged by the rules afresh
    "language",
)


# Every column a signing writes, each a parameter of the same name.
_WRITTEN = (
    "campaign_id",
    "email_normalized",
    *_REPLACED,
    "created_at",
    "last_mailed_at",
    "token_nonce",
    "confirmed_at",
    "withdrawn_at",
    "unsubscribed_at",
)


@per_dialect
def _upsert_statement():
    # INSERT ... SELECT from the campaign's own row, only while it takes
    # signatures: the statement that stores a signature is the check that it
    # may, with no statement of its own (``sign``).
    proposed = select(
        *(bindparam(name, type_=_signatures.c[name].type) for name in _WRITTEN)
    ).where(
        _campaigns.c.id == bindparam("campaign_id"),
        _campaigns.c.status == CampaignStatus.LIVE,
        _campaigns.c.closes_at.is_(None) | (_campaigns.c.closes_at > bindparam("created_at")),
    )
    statement = insert(_signatures).from_select(_WRITTEN, proposed)
    pending = _signatures.c.confirmed_at.is_(None) & _signatures.c.withdrawn_at.is_(None)
    last_mailed = _signatures.c.last_mailed_at
    may_mail = last_mailed.is_(None) | (
        last_mailed <= bindparam("mailed_before", type_=last_mailed.type)
    )
    return statement.on_conflict_do_update(
        index_elements=["campaign_id", "email_normalized"],
        set_={name: statement.excluded[name] for name in _REPLACED}
        | {
            # A new nonce either way: links mailed for the earlier details act
            # on nothing now. Which of the two fresh nonces it gets tells the
            # caller whether to mail (RETURNING sees only the new row).
            "token_nonce": case(
                (may_mail, statement.excluded.token_nonce),
                else_=bindparam("quiet_nonce", type_=_signatures.c.token_nonce.type),
            ),
            "last_mailed_at": case(
                (may_mail, statement.excluded.last_mailed_at), else_=last_mailed
            ),
        },
        where=pending,
    ).returning(_signatures.c.id, _signatures.c.token_nonce)


def _upsert(
    campaign: Campaign | CampaignToSign, details: SignatureDetails, ip_hash: str | None
) -> tuple[int, bool] | None:
    """Store a new or replace a pending signature; return its id and whether to mail the link.

    One statement, the unique constraint deciding: a viral demand's signers
    are nearly all new, so there is no SELECT first, and a concurrent request
    for the same address waits for the other's row instead of raising. None
    when the address has a confirmed or withdrawn signature, which it leaves
    alone. The link goes out again only if this address was not mailed within
    ``PETITION_RESEND_INTERVAL`` (the same throttle as before); the details are
    replaced either way, and only a link mailed for them confirms them.
    """
    moment = now()
    interval = timedelta(seconds=current_app.config["PETITION_RESEND_INTERVAL"])
    nonce = new_nonce()
    row = db.session.execute(
        _upsert_statement(),
        {
            "campaign_id": campaign.id,
            "name": details.name,
            "email": details.email,
            "email_normalized": normalize_email(details.email),
            "zip_code": details.zip_code,
            "comment": details.comment,
            "wants_updates": details.wants_updates,
            "show_publicly": details.show_publicly,
            "ip_hash": ip_hash,
            "held_by": details.held_by,
            "language": details.language,
            "created_at": moment,
            "last_mailed_at": moment,  # the confirmation is queued in this transaction
            "token_nonce": nonce,
            "confirmed_at": None,
            "withdrawn_at": None,
            "unsubscribed_at": None,
            "quiet_nonce": new_nonce(),
            "mailed_before": moment - interval,
        },
    ).first()
    if row is None:
        return None
    return row.id, row.token_nonce == nonce


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
            held_by=details.held_by,
            language=details.language,
            created_at=now(),
            confirmed_at=None,
            withdrawn_at=None,
            unsubscribed_at=None,
            token_nonce=new_nonce(),
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
    mail.queue_confirmation(signature.id, signature.email, signature.language)
    signature.last_mailed_at = now()


_CONFIRM = (
    update(_signatures)
    .where(
        _signatures.c.id == bindparam("signature_id"),
        _signatures.c.confirmed_at.is_(None),
        _signatures.c.withdrawn_at.is_(None),
    )
    .values(confirmed_at=bindparam("moment"))
    .returning(
        _signatures.c.held_by,
        webhooks.has_endpoints(bindparam("of_campaign")).label("has_endpoints"),
    )
)


def confirm_signature(signature: Signature) -> bool:
    """Confirm a signature and count it; return False if it was already counted.

    The guarded UPDATE makes a double tap, or two mail scanners racing the
    person, count once: only the statement that flips ``confirmed_at`` from
    NULL adds to the campaign's count (petition.counts), in the same transaction.
    Raises ``CampaignNotOpen`` if the campaign has stopped taking signatures.
    A signature held by an abuse rule is confirmed but not counted until an
    organizer restores it (petition.signing.holds).
    """
    ensure_open(signature.campaign)
    if not _confirm(signature.id, signature.campaign_id):
        return False
    _counted_again(signature)
    return True


@dataclass(frozen=True, slots=True)
class LinkTarget(OpenOrNot):
    """The signature a confirmation link names, and its campaign: what the link's POST needs.

    Read in one statement without loading either entity: the confirmation POST
    is a viral demand's second busiest write.
    """

    signature_id: int
    campaign_id: int
    token_nonce: str | None
    confirmed_at: datetime | None
    withdrawn_at: datetime | None
    slug: str
    status: CampaignStatus
    closes_at: datetime | None


_LINK_TARGET = (
    select(
        _signatures.c.id,
        _signatures.c.campaign_id,
        _signatures.c.token_nonce,
        _signatures.c.confirmed_at,
        _signatures.c.withdrawn_at,
        _campaigns.c.slug,
        _campaigns.c.status,
        _campaigns.c.closes_at,
    )
    .join_from(_signatures, _campaigns, _signatures.c.campaign_id == _campaigns.c.id)
    .where(_signatures.c.id == bindparam("signature_id"))
)


def link_target(signature_id: int) -> LinkTarget | None:
    """Return what a link for signature ``signature_id`` acts on, or None if there is none."""
    row = db.session.execute(_LINK_TARGET, {"signature_id": signature_id}).first()
    return None if row is None else LinkTarget(*row)


def confirm_link(target: LinkTarget) -> bool:
    """``confirm_signature`` for a signature read as a ``LinkTarget``: the confirmation POST."""
    ensure_open(target)
    return _confirm(target.signature_id, target.campaign_id)


def _confirm(signature_id: int, campaign_id: int) -> bool:
    moment = now()
    params = {"signature_id": signature_id, "of_campaign": campaign_id, "moment": moment}
    row = db.session.execute(_CONFIRM, params).first()
    if row is None:
        return False
    # Held by an abuse rule: kept and confirmed, but out of the count (and of
    # webhooks) until an organizer restores it.
    if row.held_by is None:
        counts.count_in(campaign_id, signature_id, moment)
        if row.has_endpoints:  # read by the UPDATE: no query for the usual case of none
            webhooks.signature_changed(signature_id, campaign_id, "signature.confirmed")
    return True


def withdraw_signature(signature: Signature) -> bool:
    """Withdraw a signature, uncounting it if it was counted."""
    moment = now()
    result = db.session.execute(
        update(Signature)
        .where(Signature.id == signature.id, Signature.withdrawn_at.is_(None))
        .values(withdrawn_at=moment)
        .returning(
            Signature.confirmed_at,
            Signature.held_by,
            webhooks.has_endpoints(signature.campaign_id).label("has_endpoints"),
        )
        .execution_options(synchronize_session=False)
    )
    row = result.first()
    if row is None:
        return False
    if row.confirmed_at is not None and row.held_by is None:
        counts.count_out(signature, moment)
        if row.has_endpoints:
            webhooks.signature_changed(signature.id, signature.campaign_id, "signature.withdrawn")
    _counted_again(signature)
    return True


def _counted_again(signature: Signature) -> None:
    """Reload what the UPDATEs changed, the next time it is read."""
    if "campaign" in signature.__dict__:
        db.session.expire(signature.campaign, ["signature_count"])
    db.session.expire(signature)


def unsubscribe_signer(signature: Signature) -> bool:
    """Stop updates to a signer; False if they had already unsubscribed."""
    result = db.session.execute(
        update(Signature)
        .where(Signature.id == signature.id, Signature.unsubscribed_at.is_(None))
        .values(unsubscribed_at=now())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
