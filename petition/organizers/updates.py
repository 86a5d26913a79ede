"""Updates to signers: record, mail in batches through the outbox, unsubscribe."""

from flask import current_app
from sqlalchemy import ColumnElement, and_, func, select, update

from petition.clock import now
from petition.extensions import db
from petition.models import Campaign, CampaignUpdate, Signature, User
from petition.outbox import queue_mail
from petition.tokens import unsubscribe_token
from petition.transactions import DomainError
from petition.urls import absolute_url

# Recipients are read and queued this many at a time. Each batch is flushed and
# then dropped from the session, so memory stays flat however long the list:
# the session never holds more than one batch of messages, and a worker
# transaction never more than one batch of rows.
BATCH_SIZE = 500


def mailable(campaign_id: int) -> ColumnElement[bool]:
    """Signers who may get updates: confirmed, not withdrawn, opted in, subscribed."""
    return and_(
        Signature.campaign_id == campaign_id,
        Signature.confirmed_at.is_not(None),
        Signature.withdrawn_at.is_(None),
        Signature.wants_updates.is_(True),
        Signature.unsubscribed_at.is_(None),
    )


def recipient_count(campaign: Campaign) -> int:
    return db.session.scalar(select(func.count()).where(mailable(campaign.id))) or 0


def list_updates(campaign: Campaign) -> list[CampaignUpdate]:
    """Return the campaign's updates, newest first."""
    return list(
        db.session.scalars(
            select(CampaignUpdate)
            .where(CampaignUpdate.campaign_id == campaign.id)
            .order_by(CampaignUpdate.created_at.desc(), CampaignUpdate.id.desc())
        )
    )


NOT_PUBLIC = "No update was sent: the demand is not public (taken down, or not published)."


class UpdateRefused(DomainError):
    """An update cannot go out: its demand is not public."""


def post_update(
    campaign: Campaign, subject: str, body: str, author: User, *, held: bool | None = None
) -> CampaignUpdate:
    """Record an update and queue its first batch of mail in the caller's transaction.

    A campaign with up to BATCH_SIZE subscribed signers is done here; for a
    longer list the outbox worker queues the rest (``queue_pending_updates``),
    so no request has to render a hundred thousand emails inside its timeout.
    A ``held`` update (under moderation) waits for an admin: nothing is mailed
    or shown until ``release_update``. Whether it is held follows
    ``PETITION_MODERATION`` unless the caller says (an admin's own action), so
    no route that posts an update can skip review by forgetting to ask.
    """
    if not campaign.is_public:
        # Taken down, or never published: its signers hear nothing more from it.
        raise UpdateRefused(NOT_PUBLIC)
    if held is None:
        held = bool(current_app.config["PETITION_MODERATION"])
    item = CampaignUpdate(
        campaign_id=campaign.id,
        author_id=author.id,
        subject=subject,
        body=body,
        created_at=now(),
        held_at=now() if held else None,
    )
    db.session.add(item)
    db.session.flush()
    if not held:
        queue_next_batch(item)
    return item


def posted_notice(item: CampaignUpdate, audience: str = "signers") -> str:
    """Say what happens to an update just posted: held for review, or being emailed."""
    if item.is_held:
        return (
            f"Update “{item.subject}” waits for a moderator; once approved it is published "
            f"and emailed to {audience}."
        )
    return f"Update “{item.subject}” is being emailed to {audience}."


def release_update(item: CampaignUpdate) -> None:
    """Publish a held update, as of now, and queue its first batch of mail."""
    item.held_at = None
    item.created_at = now()
    db.session.flush()
    queue_next_batch(item)


def queue_next_batch(item: CampaignUpdate) -> bool:
    """Queue mail for the next BATCH_SIZE subscribers; return True when all are queued.

    Adds and flushes only. The cursor moves with a guarded UPDATE, so when two
    workers take the same batch, one of them sees ``ConcurrentBatch`` and rolls back.
    """
    campaign = db.session.get(Campaign, item.campaign_id)
    # Keyset pages by id: no open cursor while we insert, no OFFSET rescans.
    batch = db.session.execute(
        select(
            Signature.id,
            Signature.name,
            Signature.email,
            Signature.token_nonce,
            Signature.language,
        )
        .where(mailable(item.campaign_id), Signature.id > item.mailed_through_id)
        .order_by(Signature.id)
        .limit(BATCH_SIZE)
    ).all()
    context = {
        "campaign": campaign,
        "time_zone": campaign.time_zone,
        "update": item,
        # Rendered once per batch, not once per email.
        "body_html": item.body_html,
        "campaign_url": absolute_url("campaigns.show", slug=campaign.slug),
    }
    queued = [_queue(item, row, context) for row in batch]
    done = len(batch) < BATCH_SIZE
    moved = db.session.execute(
        update(CampaignUpdate)
        .where(
            CampaignUpdate.id == item.id,
            CampaignUpdate.mailed_through_id == item.mailed_through_id,
        )
        .values(
            mailed_through_id=batch[-1].id if batch else item.mailed_through_id,
            recipient_count=CampaignUpdate.recipient_count + len(batch),
            sent_at=now() if done else None,
        )
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        raise ConcurrentBatch(item.id)
    # The session would otherwise keep every queued message until commit.
    for message in queued:
        db.session.expunge(message)
    db.session.refresh(item)
    return done


class ConcurrentBatch(Exception):
    """Another worker queued this batch first."""


def queue_pending_updates(max_batches: int = 10) -> int:
    """Worker step: queue more mail for unfinished updates, committing each batch.

    Returns the number of batches queued. Called by ``flask outbox work``
    before it sends, so queued update mail flows out in the same loop.
    """
    done = 0
    while done < max_batches:
        item = db.session.scalar(
            select(CampaignUpdate)
            .where(CampaignUpdate.sent_at.is_(None), CampaignUpdate.held_at.is_(None))
            .order_by(CampaignUpdate.id)
            .limit(1)
        )
        if item is None:
            break
        try:
            queue_next_batch(item)
        except ConcurrentBatch:
            db.session.rollback()
            continue
        db.session.commit()
        done += 1
    return done


def _queue(item: CampaignUpdate, row, context: dict):
    unsubscribe_url = absolute_url(
        "signing.unsubscribe", token=unsubscribe_token(row.id, row.token_nonce)
    )
    return queue_mail(
        row.email,
        "update",
        item.subject,
        # RFC 8058: a mail client's "Unsubscribe" button POSTs
        # "List-Unsubscribe=One-Click" to this HTTPS address, no page visit.
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        # The chrome in each signer's language; the update itself as the organizers wrote it.
        language=row.language,
        name=row.name,
        unsubscribe_url=unsubscribe_url,
        **context,
    )
