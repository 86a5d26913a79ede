"""Signatures held by an abuse rule: how many, by which rule, and restoring them."""

from sqlalchemy import func, select, update

from petition import counts
from petition.clock import now
from petition.extensions import db
from petition.models import Campaign, Signature
from petition.signing.rules import RULES
from petition.webhooks import events as webhooks


def held_out_of_count():
    """The condition "confirmed, not withdrawn, and held": what the count leaves out."""
    return (
        Signature.confirmed_at.is_not(None),
        Signature.withdrawn_at.is_(None),
        Signature.held_by.is_not(None),
    )


def held_count(campaign_id: int) -> int:
    """Return how many confirmed signatures the campaign's count leaves out as held."""
    query = select(func.count()).where(Signature.campaign_id == campaign_id, *held_out_of_count())
    return db.session.scalar(query) or 0


def held_by_rule(campaign: Campaign) -> dict[str, int]:
    """Return confirmed signatures left out of the count, per rule, in the rules' order."""
    rows = db.session.execute(
        select(Signature.held_by, func.count())
        .where(Signature.campaign_id == campaign.id, *held_out_of_count())
        .group_by(Signature.held_by)
    )
    held = dict(rows.all())
    ordered = {rule: held.pop(rule) for rule in RULES if rule in held}
    return ordered | held  # a rule since retired still shows


def restore_held(campaign: Campaign, rule: str | None = None) -> int:
    """Release ``campaign``'s signatures held by ``rule`` (or by any rule); return how many.

    One guarded UPDATE: a signature is released once, so a second click (or a
    second organizer) restores nothing more, and each confirmed one is
    counted exactly once. Held signatures that are not confirmed yet are
    released too, and count when they are confirmed.
    """
    condition = Signature.held_by.is_not(None) if rule is None else Signature.held_by == rule
    rows = db.session.execute(
        update(Signature)
        .where(Signature.campaign_id == campaign.id, condition)
        .values(held_by=None)
        .returning(Signature.id, Signature.confirmed_at, Signature.withdrawn_at)
        .execution_options(synchronize_session=False)
    ).all()
    counted = [row.id for row in rows if row.confirmed_at is not None and row.withdrawn_at is None]
    counts.count_in_many(campaign.id, counted, now())
    webhooks.signatures_restored(campaign.id, counted)
    db.session.expire(campaign, ["signature_count"])
    return len(counted)
