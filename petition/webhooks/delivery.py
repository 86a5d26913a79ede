"""The webhook worker: post each queued event, sign it, retry with backoff, then give up.

It runs in ``flask outbox work`` beside the mail, with the same discipline:
due rows are claimed in one committed statement (``FOR UPDATE SKIP LOCKED``
on PostgreSQL), no transaction is open while a receiver is talked to, and
each outcome is committed as it happens.

Each request carries ``Petition-Event-Id``, ``Petition-Timestamp`` and
``Petition-Signature: v1=<hex>``, the HMAC-SHA256 of ``"<timestamp>.<body>"``
under the endpoint's secret. A receiver checks the signature, refuses an old
timestamp (replays) and drops an event id it has seen (retries).
"""

import hashlib
import hmac
import http.client
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from petition.clock import now
from petition.extensions import db
from petition.models import WebhookDelivery, WebhookEndpoint
from petition.outbox import backoff
from petition.webhooks import targets

log = logging.getLogger(__name__)

# How long a round's claim on its deliveries lasts. A round starts a post
# only if it ends, at PETITION_WEBHOOK_TIMEOUT, before the claim does, and
# hands the rest back: another worker never takes a delivery still being sent.
CLAIM_SECONDS = 120
CLAIM_MARGIN = timedelta(seconds=5)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """Return the ``Petition-Signature`` value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


@dataclass
class WebhookReport:
    delivered: int = 0
    retried: int = 0
    failed: int = 0


def _claimable(moment) -> tuple:
    return (
        WebhookDelivery.delivered_at.is_(None),
        WebhookDelivery.failed_at.is_(None),
        or_(WebhookDelivery.claimed_until.is_(None), WebhookDelivery.claimed_until < moment),
    )


def _claim_seconds() -> float:
    return max(CLAIM_SECONDS, 3 * current_app.config["PETITION_WEBHOOK_TIMEOUT"])


def _claim_due(limit: int) -> tuple[list[int], str, datetime]:
    moment = now()
    claimed_until = moment + timedelta(seconds=_claim_seconds())
    token = secrets.token_hex(16)
    due = (
        select(WebhookDelivery.id)
        .where(*_claimable(moment), WebhookDelivery.next_attempt_at <= moment)
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = db.session.scalars(
        update(WebhookDelivery)
        .where(WebhookDelivery.id.in_(due.scalar_subquery()), *_claimable(moment))
        .values(claimed_until=claimed_until, claim_token=token)
        .returning(WebhookDelivery.id)
    ).all()
    db.session.commit()
    return sorted(claimed), token, claimed_until


def _release(ids: list[int], token: str) -> None:
    """Hand claimed deliveries back, due as they were, for the next round."""
    db.session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id.in_(ids), WebhookDelivery.claim_token == token)
        .values(claimed_until=None, claim_token=None)
    )
    db.session.commit()


def deliver_webhooks(limit: int = 50) -> WebhookReport:
    """Post up to ``limit`` due deliveries, recording each outcome in its own commit."""
    report = WebhookReport()
    ids, token, claimed_until = _claim_due(limit)
    longest = timedelta(seconds=current_app.config["PETITION_WEBHOOK_TIMEOUT"]) + CLAIM_MARGIN
    for index, delivery_id in enumerate(ids):
        if now() + longest >= claimed_until:
            _release(ids[index:], token)
            break
        row = db.session.execute(
            select(WebhookDelivery, WebhookEndpoint)
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .where(WebhookDelivery.id == delivery_id, WebhookDelivery.claim_token == token)
        ).first()
        if row is None:  # pragma: no cover - another worker took it after our claim lapsed
            continue
        delivery, endpoint = row
        request = _Request(
            endpoint.url, endpoint.secret, delivery.event_id, delivery.event_type, delivery.body
        )
        disabled = endpoint.disabled_at is not None
        db.session.commit()  # nothing stays open while the receiver is talked to
        status, error = (None, "endpoint removed") if disabled else _post(request)
        _record(delivery_id, token, status, error, give_up=disabled, report=report)
    return report


@dataclass(frozen=True)
class _Request:
    url: str
    secret: str
    event_id: str
    event_type: str
    body: str


def _post(request: _Request) -> tuple[int | None, str | None]:
    body = request.body.encode()
    timestamp = str(int(now().timestamp()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "petition-webhooks/1",
        "Petition-Event-Id": request.event_id,
        "Petition-Event-Type": request.event_type,
        "Petition-Timestamp": timestamp,
        "Petition-Signature": signature(request.secret, timestamp, body),
    }
    try:
        # Checked again now: the name may point somewhere else since it was registered.
        target = targets.check(request.url)
        return targets.post(
            target, body, headers, current_app.config["PETITION_WEBHOOK_TIMEOUT"]
        ), None
    except targets.TargetRefused as exc:
        return None, f"refused: {exc}"
    except (OSError, ValueError, http.client.HTTPException) as exc:
        # Connection refused, timeouts, TLS errors, a broken answer.
        return None, type(exc).__name__
    except Exception as exc:  # a bug here must cost a try, not stall the delivery forever
        log.exception("webhook delivery %s failed unexpectedly", request.event_id)
        return None, type(exc).__name__


def _record(
    delivery_id: int,
    token: str,
    status: int | None,
    error: str | None,
    *,
    give_up: bool,
    report: WebhookReport,
) -> None:
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery.claim_token != token:  # pragma: no cover - the round is bounded by its claim
        log.warning("webhook delivery %s: claim lost before its outcome", delivery_id)
        db.session.rollback()
        return
    delivery.attempts += 1
    delivery.last_status = status
    delivery.claimed_until, delivery.claim_token = None, None
    if status is not None and 200 <= status < 300:
        delivery.delivered_at = now()
        delivery.last_error = None
        report.delivered += 1
    else:
        delivery.last_error = (error or f"HTTP {status}")[:500]
        limit = current_app.config["PETITION_WEBHOOK_MAX_ATTEMPTS"]
        if give_up or delivery.attempts >= limit:
            delivery.failed_at = now()
            report.failed += 1
        else:
            delivery.next_attempt_at = now() + backoff(delivery.attempts)
            report.retried += 1
        # The delivery and the error class only: never the body, which names signers.
        log.info("webhook delivery %s: %s", delivery_id, delivery.last_error)
    db.session.commit()
