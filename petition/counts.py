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
from datetime import UTC, datetime

from sqlalchemy import bindparam, delete, func, literal, select, union_all, update

from petition.database import insert, per_dialect, reading
from petition.extensions import db
from petition.models import Campaign, Signature, SignatureCountHour, SignatureCountShard
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


_hours = SignatureCountHour.__table__


def _tally_hour(column: str):
    """Build: add one to ``column`` of a (campaign, hour, shard) bucket, creating it at one."""

    def build():
        return insert(_hours).on_conflict_do_update(
            index_elements=[_hours.c.campaign_id, _hours.c.hour, _hours.c.shard],
            set_={column: _hours.c[column] + 1},
        )

    return per_dialect(build)


_confirmed_this_hour = _tally_hour("confirmed")
_withdrawn_this_hour = _tally_hour("withdrawn")


def hour_of(moment: datetime) -> datetime:
    """Return the start of the UTC hour ``moment`` falls in: its history bucket."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def count_in(campaign_id: int, signature_id: int, at: datetime) -> None:
    """Add a signature confirmed ``at`` to its campaign's count and to that hour's history."""
    shard = {"campaign_id": campaign_id, "shard": shard_of(signature_id)}
    db.session.execute(_add_one(), {**shard, "signatures": 1})
    db.session.execute(
        _confirmed_this_hour(), {**shard, "hour": hour_of(at), "confirmed": 1, "withdrawn": 0}
    )


_add_some = _upsert(_shards.c.signatures + bindparam("more"))


def _tally_hour_by_some():
    """Build: add ``more`` confirmations to a (campaign, hour, shard) bucket."""
    return insert(_hours).on_conflict_do_update(
        index_elements=[_hours.c.campaign_id, _hours.c.hour, _hours.c.shard],
        set_={"confirmed": _hours.c.confirmed + bindparam("more")},
    )


_confirmed_some_this_hour = per_dialect(_tally_hour_by_some)


def count_in_many(campaign_id: int, signature_ids: list[int], at: datetime) -> None:
    """Add confirmed signatures of one campaign (restored from a hold) to its count, at ``at``.

    They enter the history in the hour they were restored, when the public count took them.
    """
    per_shard: dict[int, int] = {}
    for signature_id in signature_ids:
        per_shard[shard_of(signature_id)] = per_shard.get(shard_of(signature_id), 0) + 1
    for shard, more in sorted(per_shard.items()):  # in order: no deadlock between two
        row = {"campaign_id": campaign_id, "shard": shard, "signatures": more, "more": more}
        db.session.execute(_add_some(), row)
        bucket = {**row, "hour": hour_of(at), "confirmed": more, "withdrawn": 0}
        db.session.execute(_confirmed_some_this_hour(), bucket)


def count_out(signature: Signature, at: datetime) -> None:
    """Take a counted signature withdrawn ``at`` off its campaign's count, into that hour."""
    shard = {"campaign_id": signature.campaign_id, "shard": shard_of(signature.id)}
    # The count shard first, then the hour, as count_in does: two transactions
    # touching the same rows always lock them in the same order (no deadlock).
    result = db.session.execute(
        _TAKE_ONE, {"campaign": signature.campaign_id, "slot": shard["shard"]}
    )
    if result.rowcount != 1:
        # A counted signature always has its shard; only a damaged count lacks it.
        log.warning(
            "campaign %s had no count shard for a withdrawal: run flask counts verify",
            signature.campaign_id,
        )
    db.session.execute(
        _withdrawn_this_hour(), {**shard, "hour": hour_of(at), "confirmed": 0, "withdrawn": 1}
    )


@dataclass(frozen=True)
class CountDifference:
    campaign_id: int
    slug: str
    counted: int  # what the public count said
    confirmed: int  # confirmed, not withdrawn signatures in the table
    in_history: int  # confirmations less withdrawals in the hourly history


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
        in_history = dict(db.session.execute(_net_history()).all())
        totals = _per_campaign(confirmed)
        wrong = {
            campaign_id
            for campaign_id, shard in counted.keys() | confirmed.keys()
            if counted.get((campaign_id, shard), 0) != confirmed.get((campaign_id, shard), 0)
        } | {
            campaign_id
            for campaign_id in in_history.keys() | totals.keys()
            if in_history.get(campaign_id, 0) != totals.get(campaign_id, 0)
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
            confirmed=totals.get(campaign_id, 0),
            in_history=in_history.get(campaign_id, 0),
        )
        for campaign_id in sorted(wrong)
    ]


def _per_campaign(by_shard: dict[tuple[int, int], int]) -> dict[int, int]:
    totals: dict[int, int] = {}
    for (campaign_id, _), n in by_shard.items():
        totals[campaign_id] = totals.get(campaign_id, 0) + n
    return totals


def _net_history():
    return select(
        SignatureCountHour.campaign_id,
        func.sum(SignatureCountHour.confirmed - SignatureCountHour.withdrawn),
    ).group_by(SignatureCountHour.campaign_id)


def repair(campaign_id: int) -> None:
    """Set one campaign's shards to their recount, and rebuild its history from its signatures.

    In this transaction (the caller commits).

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
    _rebuild_history(campaign_id)


def _rebuild_history(campaign_id: int) -> None:
    """Replace a campaign's hourly history with one recounted from its signatures.

    Each confirmed signature counts in the hour of its ``confirmed_at``, and,
    when it was withdrawn since, out in the hour of its ``withdrawn_at``.
    """
    db.session.execute(delete(_hours).where(_hours.c.campaign_id == campaign_id))
    shard = Signature.id % COUNT_SHARDS
    confirmed = Signature.confirmed_at.is_not(None)
    mine = Signature.campaign_id == campaign_id
    events = union_all(
        select(
            _truncated_to_hour(Signature.confirmed_at).label("hour"),
            shard.label("shard"),
            literal(1).label("confirmed"),
            literal(0).label("withdrawn"),
        ).where(mine, confirmed),
        select(_truncated_to_hour(Signature.withdrawn_at), shard, literal(0), literal(1)).where(
            mine, confirmed, Signature.withdrawn_at.is_not(None)
        ),
    ).subquery()
    db.session.execute(
        insert(_hours).from_select(
            ["campaign_id", "hour", "shard", "confirmed", "withdrawn"],
            select(
                literal(campaign_id),
                events.c.hour,
                events.c.shard,
                func.sum(events.c.confirmed),
                func.sum(events.c.withdrawn),
            ).group_by(events.c.hour, events.c.shard),
        )
    )


def _truncated_to_hour(column):
    """SQL for the start of the UTC hour of a stored moment, as the column stores it."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.timezone("UTC", func.date_trunc("hour", func.timezone("UTC", column)))
    # SQLite keeps UTC as naive text in SQLAlchemy's format; keep that format.
    return func.strftime("%Y-%m-%d %H:00:00.000000", column)


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
