"""Updates to signers: record, mail in batches through the outbox, unsubscribe."""

from sqlalchemy import ColumnElement, and_, func, select, update

from petition.clock import now
from petition.extensions import db
from petition.models import Campaign, CampaignUpdate, Signature, User
from petition.outbox import queue_mail
from petition.tokens import unsubscribe_token
from petition.urls import absolute_url

# Recipients are read and queued this many at a time. Each batch is flushed and
# then dropped from the session, so memory stays flat however long the list:
# the session never holds more than one batch of messages.
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


def post_update(campaign: Campaign, subject: str, body: str, author: User) -> CampaignUpdate:
    """Record an update and queue one email per subscribed signer."""
    moment = now()
    item = CampaignUpdate(
        campaign_id=campaign.id,
        author_id=author.id,
        subject=subject,
        body=body,
        created_at=moment,
    )
    db.session.add(item)
    db.session.flush()
    campaign_url = absolute_url("campaigns.show", slug=campaign.slug)
    count, last_id = 0, 0
    while True:
        # Keyset pages by id: no open cursor while we insert, no OFFSET rescans.
        batch = db.session.execute(
            select(Signature.id, Signature.name, Signature.email)
            .where(mailable(campaign.id), Signature.id > last_id)
            .order_by(Signature.id)
            .limit(BATCH_SIZE)
        ).all()
        if not batch:
            break
        queued = [_queue(campaign, item, row, campaign_url) for row in batch]
        db.session.flush()
        for message in queued:
            db.session.expunge(message)
        count += len(batch)
        last_id = batch[-1].id
    item.sent_at = moment
    item.recipient_count = count
    db.session.flush()
    return item


def _queue(campaign: Campaign, item: CampaignUpdate, row, campaign_url: str):
    unsubscribe_url = absolute_url("organizers.unsubscribe", token=unsubscribe_token(row.id))
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
        name=row.name,
        campaign=campaign,
        update=item,
        campaign_url=campaign_url,
        unsubscribe_url=unsubscribe_url,
    )


def unsubscribe(signature: Signature) -> bool:
    """Stop updates to a signer; False if they had already unsubscribed."""
    result = db.session.execute(
        update(Signature)
        .where(Signature.id == signature.id, Signature.unsubscribed_at.is_(None))
        .values(unsubscribed_at=now())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
