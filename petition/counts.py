"""The public signature counts: moved with each confirmation, and checked against the rows.

A campaign's count is the sum of its ``SignatureCountShard`` rows. Confirming
a signature adds one to its shard in the same transaction as the guarded
UPDATE that confirms it; withdrawing takes one away. ``verify`` recounts from
the signatures themselves, which is what ``flask counts verify`` runs.
"""

from dataclasses import dataclass

from sqlalchemy import bindparam, func, select, text, update

from petition.database import insert, per_dialect
from petition.extensions import db
from petition.models import Campaign, Signature, SignatureCountShard
from petition.models.campaigns import COUNT_SHARDS


def shard_of(signature_id: int) -> int:
    return signature_id % COUNT_SHARDS


_shards = SignatureCountShard.__table__


def _upsert(signatures_if_present: object):
    """Build: insert a shard holding ``:signatures``, or set an existing one to the given value."""

    def build():
        return insert(_shards).on_conflict_do_update(
            index_elements=[_shards.c.campaign_id, _shards.c.shard],
            set_={"signatures": signatures_if_present},
        )

    return per_dialect(build)


_add_one = _upsert(_shards.c.signatures + 1)
_set_to = _upsert(bindparam("recount"))
_TAKE_ONE = (
    update(_shards)
    .where(_shards.c.campaign_id == bindparam("campaign"), _shards.c.shard == bindparam("slot"))
    .values(signatures=_shards.c.signatures - 1)
)


def count_in(signature: Signature) -> None:
    """Add a newly confirmed signature to its campaign's count."""
    shard = {"campaign_id": signature.campaign_id, "shard": shard_of(signature.id)}
    db.session.execute(_add_one(), {**shard, "signatures": 1})


def count_out(signature: Signature) -> None:
    """Take a withdrawn, previously counted signature off its campaign's count."""
    db.session.execute(
        _TAKE_ONE, {"campaign": signature.campaign_id, "slot": shard_of(signature.id)}
    )


@dataclass(frozen=True)
class CountDifference:
    campaign_id: int
    slug: str
    counted: int  # what the public count said
    confirmed: int  # confirmed, not withdrawn signatures in the table


def verify(repair: bool = False) -> list[CountDifference]:
    """Recount every campaign from its confirmed signatures; return where the counts differ.

    With ``repair``, set every shard to its recount, in this transaction (the
    caller commits). On PostgreSQL the shards are locked against concurrent
    confirmations first, so a confirmation that lands during the repair is
    counted on top of the repaired figure, not lost under it; SQLite's write
    lock, taken when the transaction begins, does the same.
    """
    if repair and db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("LOCK TABLE signature_count_shards IN EXCLUSIVE MODE"))
    counted = {
        (row.campaign_id, row.shard): row.signatures
        for row in db.session.execute(
            select(
                SignatureCountShard.campaign_id,
                SignatureCountShard.shard,
                SignatureCountShard.signatures,
            )
        )
    }
    shard = Signature.id % COUNT_SHARDS
    confirmed = {
        (row.campaign_id, row.shard): row.signatures
        for row in db.session.execute(
            select(Signature.campaign_id, shard.label("shard"), func.count().label("signatures"))
            .where(Signature.confirmed_at.is_not(None), Signature.withdrawn_at.is_(None))
            .group_by(Signature.campaign_id, shard)
        )
    }
    wrong_shards = {
        key
        for key in counted.keys() | confirmed.keys()
        if counted.get(key, 0) != confirmed.get(key, 0)
    }
    campaigns = {campaign_id for campaign_id, _ in wrong_shards}
    slugs = (
        dict(
            db.session.execute(
                select(Campaign.id, Campaign.slug).where(Campaign.id.in_(campaigns))
            ).all()
        )
        if campaigns
        else {}
    )
    differences = [
        CountDifference(
            campaign_id=campaign_id,
            slug=slugs.get(campaign_id, "?"),
            counted=sum(n for (cid, _), n in counted.items() if cid == campaign_id),
            confirmed=sum(n for (cid, _), n in confirmed.items() if cid == campaign_id),
        )
        for campaign_id in sorted(campaigns)
    ]
    if repair:
        for campaign_id, number in sorted(wrong_shards):
            recount = confirmed.get((campaign_id, number), 0)
            shard = {"campaign_id": campaign_id, "shard": number}
            db.session.execute(_set_to(), {**shard, "signatures": recount, "recount": recount})
    return differences
