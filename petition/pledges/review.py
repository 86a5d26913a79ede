"""Moderating new pledges: under ``PETITION_MODERATION`` a linked pledge waits.

A pledge that brings its own demand is reviewed with that demand. One linked
to an existing, possibly published, demand is held (``Pledge.held_at``) until
an admin approves it; refusing keeps it hidden and tells its organizer why,
and their next edit puts it back in the queue. Services add and flush.
"""

import hashlib
import json

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from petition.extensions import db
from petition.models import Pledge
from petition.outbox import queue_mail
from petition.urls import absolute_url


def pledges_waiting() -> list[Pledge]:
    """Return the held pledges not yet refused, oldest first, with their candidates."""
    return list(
        db.session.scalars(
            select(Pledge)
            .where(Pledge.held_at.is_not(None), Pledge.held_reason.is_(None))
            .options(selectinload(Pledge.candidates))
            .order_by(Pledge.held_at, Pledge.id)
        )
    )


def held_pledge(pledge_id: int) -> Pledge | None:
    pledge = db.session.get(Pledge, pledge_id)
    return pledge if pledge is not None and pledge.held_at is not None else None


def version(pledge: Pledge) -> str:
    """A fingerprint of what the admin reads, so a decision binds to that text."""
    shown = [pledge.title, pledge.text, pledge.office, pledge.jurisdiction, pledge.campaign_id]
    return hashlib.sha256(json.dumps(shown).encode()).hexdigest()


def approve_pledge(pledge: Pledge) -> None:
    pledge.held_at = None
    pledge.held_reason = None
    db.session.flush()


def reject_pledge(pledge: Pledge, reason: str) -> None:
    """Keep the pledge hidden and tell its organizer why; an edit resubmits it."""
    pledge.held_reason = reason
    db.session.flush()
    queue_mail(
        pledge.owner.email,
        "pledge_rejected",
        f"Pledge not approved: {pledge.title}",
        pledge=pledge,
        reason=reason,
        dashboard_url=absolute_url("pledges.manage_pledge", pledge_id=pledge.id),
    )
