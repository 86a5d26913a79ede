"""The public signature counts: moved with each confirmation, and checked against the rows.

A campaign's count is the sum of its ``SignatureCountShard`` rows. Confirming
a signature adds one to its shard in the same transaction as the guarded
UPDATE that confirms it; withdrawing takes one away. ``differences`` recounts
from the signatures themselves and ``repair`` sets one campaign right: that is
what ``flask counts verify [--repair]`` runs.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select, update

from petition.database import insert, per_dialect, reading
from petition.extensions import db
from petition.models import Campaign, Signature, SignatureCountShard
from petition.models.campaigns import COUNT_SHARDS

log = logging.getLogger(__name__)


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


_add_some = _upsert(_shards.c.signatures + bindparam("more"))


def count_in_many(campaign_id: int, signature_ids: list[int]) -> None:
    """Add several confirmed signatures of one campaign to its count (restored from a hold)."""
    per_shard: dict[int, int] = {}
    for signature_id in signature_ids:
        per_shard[shard_of(signature_id)] = per_shard.get(shard_of(signature_id), 0) + 1
    for shard, more in sorted(per_shard.items()):  # in order: no deadlock between two
        row = {"campaign_id": campaign_id, "shard": shard, "signatures": more, "more": more}
        db.session.execute(_add_some(), row)


def count_out(signature: Signature) -> None:
    """Take a withdrawn, previously counted signature off its campaign's count."""
    result = db.session.execute(
        _TAKE_ONE, {"campaign": signature.campaign_id, "slot": shard_of(signature.id)}
    )
    if result.rowcount != 1:
        # A counted signature always has its shard; only a damaged count lacks it.
        log.warning(
            "campaign %s had no count shard for a withdrawal: run flask counts verify",
            signature.campaign_id,
        )


@dataclass(frozen=True)
class CountDifference:
    campaign_id: int
    slug: str
    counted: int  # what the public count said
    confirmed: int  # confirmed, not withdrawn signatures in the table


def differences() -> list[CountDifference]:
    """Recount every campaign from its confirmed signatures; return where the counts differ.

    Read only, in one snapshot (a DEFERRED read on SQLite, REPEATABLE READ on
    PostgreSQL), so it takes no lock that signing waits for and a
    confirmation landing mid-scan is not reported as a difference.
    """
    with _one_snapshot():
        counted = _by_shard(
            select(
                SignatureCountShard.campaign_id,
                SignatureCountShard.shard,
                SignatureCountShard.signatures,
            )
        )
        confirmed = _by_shard(_confirmed_by_shard())
        wrong = {
            campaign_id
            for campaign_id, shard in counted.keys() | confirmed.keys()
            if counted.get((campaign_id, shard), 0) != confirmed.get((campaign_id, shard), 0)
        }
        slugs = dict(
            db.session.execute(
                select(Campaign.id, Campaign.slug).where(Campaign.id.in_(wrong))
            ).all()
        )
    return [
        CountDifference(
            campaign_id=campaign_id,
            slug=slugs.get(campaign_id, "?"),
            counted=sum(n for (cid, _), n in counted.items() if cid == campaign_id),
            confirmed=sum(n for (cid, _), n in confirmed.items() if cid == campaign_id),
        )
        for campaign_id in sorted(wrong)
    ]


def repair(campaign_id: int) -> None:
    """Set one campaign's shards to their recount, in this transaction (the caller commits).

    The campaign's shard rows are locked first (PostgreSQL: FOR UPDATE, after
    making sure all of them exist; SQLite: the write lock the transaction
    holds), so a confirmation of this campaign that lands meanwhile waits and
    is added on top of the repaired figure instead of being lost under it.
    Other campaigns keep signing.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            _create_missing(),
            [
                {"campaign_id": campaign_id, "shard": n, "signatures": 0}
                for n in range(COUNT_SHARDS)
            ],
        )
        db.session.execute(
            select(SignatureCountShard.shard)
            .where(SignatureCountShard.campaign_id == campaign_id)
            .with_for_update()
        ).all()
    recounted = _by_shard(_confirmed_by_shard().where(Signature.campaign_id == campaign_id))
    for number in range(COUNT_SHARDS):
        recount = recounted.get((campaign_id, number), 0)
        shard = {"campaign_id": campaign_id, "shard": number}
        db.session.execute(_set_to(), {**shard, "signatures": recount, "recount": recount})


def _confirmed_by_shard():
    shard = Signature.id % COUNT_SHARDS
    return (
        select(Signature.campaign_id, shard.label("shard"), func.count().label("signatures"))
        .where(
            Signature.confirmed_at.is_not(None),
            Signature.withdrawn_at.is_(None),
            Signature.held_by.is_(None),  # held for review: not in the public count
        )
        .group_by(Signature.campaign_id, shard)
    )


def _by_shard(query) -> dict[tuple[int, int], int]:
    return {(row[0], row[1]): row[2] for row in db.session.execute(query)}


@per_dialect
def _create_missing():
    return insert(_shards).on_conflict_do_nothing(index_elements=["campaign_id", "shard"])


@contextmanager
def _one_snapshot() -> Iterator[None]:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        try:
            yield
        finally:
            db.session.rollback()  # the snapshot ends here; nothing was written
        return
    with reading():
        yield
