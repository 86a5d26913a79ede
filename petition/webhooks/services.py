"""An organizer's webhook endpoints: registered, removed, and their delivery log."""

import secrets
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select, update

from petition.clock import now
from petition.extensions import db
from petition.models import User, WebhookDelivery, WebhookEndpoint
from petition.transactions import DomainError
from petition.webhooks import targets
from petition.webhooks.events import EVENT_TYPES

MAX_ENDPOINTS = 10
LOG_LENGTH = 20  # deliveries shown per endpoint


class TooManyEndpoints(DomainError):
    """The organizer has the most endpoints one account may have."""


@dataclass(frozen=True)
class NewEndpoint:
    endpoint: WebhookEndpoint
    secret: str  # shown to the organizer once


def active_endpoints(user: User) -> list[WebhookEndpoint]:
    return list(
        db.session.scalars(
            select(WebhookEndpoint)
            .where(WebhookEndpoint.user_id == user.id, WebhookEndpoint.disabled_at.is_(None))
            .order_by(WebhookEndpoint.id)
        )
    )


def register_endpoint(user: User, url: str, events: list[str]) -> NewEndpoint:
    """Add an endpoint; raise ``targets.TargetRefused`` for an address we do not call."""
    assert events and set(events) <= set(EVENT_TYPES), events
    if len(active_endpoints(user)) >= MAX_ENDPOINTS:
        raise TooManyEndpoints(f"You already have {MAX_ENDPOINTS} endpoints; remove one first")
    targets.check(url)
    secret = "whsec_" + secrets.token_hex(24)
    endpoint = WebhookEndpoint(user_id=user.id, url=url, secret=secret, events=" ".join(events))
    db.session.add(endpoint)
    db.session.flush()
    return NewEndpoint(endpoint, secret)


def remove_endpoint(user: User, endpoint_id: int) -> bool:
    """Stop deliveries to one of ``user``'s endpoints; False if it is not theirs."""
    result = db.session.execute(
        update(WebhookEndpoint)
        .where(
            WebhookEndpoint.id == endpoint_id,
            WebhookEndpoint.user_id == user.id,
            WebhookEndpoint.disabled_at.is_(None),
        )
        .values(disabled_at=now())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def delivery_log(endpoints: list[WebhookEndpoint]) -> dict[int, list[WebhookDelivery]]:
    """Return each endpoint's latest deliveries, newest first, in one query."""
    if not endpoints:
        return {}
    rank = (
        func.row_number()
        .over(partition_by=WebhookDelivery.endpoint_id, order_by=WebhookDelivery.id.desc())
        .label("rank")
    )
    ranked = (
        select(WebhookDelivery.id, rank)
        .where(WebhookDelivery.endpoint_id.in_([endpoint.id for endpoint in endpoints]))
        .subquery()
    )
    rows = db.session.scalars(
        select(WebhookDelivery)
        .join(ranked, ranked.c.id == WebhookDelivery.id)
        .where(ranked.c.rank <= LOG_LENGTH)
        .order_by(WebhookDelivery.id.desc())
    )
    log: dict[int, list[WebhookDelivery]] = defaultdict(list)
    for row in rows:
        log[row.endpoint_id].append(row)
    return log
