"""Retention: supporters' personal data is erased a set time after a demand closes.

``PETITION_RETENTION_DAYS`` (183 by default, like the UK Parliament site's six
months) after a demand closed, ``flask retention run`` erases its signers'
names, email addresses, ZIP codes, comments and address hashes, and deletes
the sent mail addressed to them. The rows stay, confirmed or not, held or not,
so every count and the public record are unchanged. Each demand is one
guarded UPDATE (``anonymized_at IS NULL``) in its own commit: a second run, or
two at once from cron, finds nothing left to do.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import String, and_, cast, delete, exists, literal, or_, select, update

from petition.clock import now
from petition.extensions import db
from petition.models import Campaign, CampaignStatus, OutboxMessage, Signature


@dataclass(frozen=True)
class Anonymized:
    slug: str
    closed: datetime
    signatures: int
    messages: int


def due() -> list[tuple[int, str, datetime]]:
    """Return (id, slug, closed) of demands closed long enough ago with signers not yet erased."""
    cutoff = now() - timedelta(days=current_app.config["PETITION_RETENTION_DAYS"])
    not_erased = exists().where(
        Signature.campaign_id == Campaign.id, Signature.anonymized_at.is_(None)
    )
    rows = db.session.execute(
        select(Campaign.id, Campaign.slug, Campaign.closed_at, Campaign.closes_at)
        .where(
            or_(
                Campaign.closed_at <= cutoff,
                and_(
                    Campaign.closed_at.is_(None),
                    Campaign.status == CampaignStatus.LIVE,
                    Campaign.closes_at <= cutoff,
                ),
            ),
            not_erased,
        )
        .order_by(Campaign.id)
    )
    return [(row.id, row.slug, row.closed_at or row.closes_at) for row in rows]


def anonymize(campaign_id: int) -> tuple[int, int]:
    """Erase one demand's signers' personal data; return (signatures, mail messages) touched."""
    signers = select(Signature.email).where(
        Signature.campaign_id == campaign_id, Signature.anonymized_at.is_(None)
    )
    messages = db.session.execute(
        delete(OutboxMessage)
        .where(
            OutboxMessage.to_address.in_(signers),
            or_(OutboxMessage.sent_at.is_not(None), OutboxMessage.failed_at.is_not(None)),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    signatures = db.session.execute(
        update(Signature)
        .where(Signature.campaign_id == campaign_id, Signature.anonymized_at.is_(None))
        .values(
            name="",
            email="",
            # Still unique per demand, as the constraint requires; names no one.
            email_normalized=literal("anonymized-").concat(cast(Signature.id, String)),
            zip_code=None,
            comment=None,
            ip_hash=None,
            show_publicly=False,
            wants_updates=False,
            anonymized_at=now(),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    return signatures, messages


def run() -> list[Anonymized]:
    """Anonymize every demand that is due, committing each one; return what was done."""
    done = []
    for campaign_id, slug, closed in due():
        signatures, messages = anonymize(campaign_id)
        db.session.commit()
        if signatures:
            done.append(Anonymized(slug, closed, signatures, messages))
    return done
