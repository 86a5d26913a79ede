"""Webhook events, queued in the transaction of what caused them.

``emit`` writes one ``WebhookDelivery`` per endpoint that wants the event,
with the body fixed now: the worker (petition.webhooks.delivery) posts those
exact bytes, under the same event id, however often it has to retry. When
the campaign's organizers have no endpoint (almost always), an event costs
one indexed SELECT and nothing else; for a confirmation or withdrawal, not
even that: the UPDATE that makes it says whether there is one (``has_endpoints``).
"""

import json
import uuid
from typing import Any

from sqlalchemy import ColumnElement, Exists, exists, or_, select

from petition.clock import now
from petition.database import insert, per_dialect
from petition.extensions import db
from petition.models import (
    Campaign,
    CampaignOrganizer,
    PledgeResponse,
    Signature,
    TargetAnswer,
    WebhookDelivery,
    WebhookEndpoint,
)
from petition.organizers.exports import shared_email
from petition.urls import absolute_url

EVENT_TYPES = (
    "signature.confirmed",
    "signature.withdrawn",
    "campaign.status_changed",
    "pledge.answered",
    "count.milestone",
    "campaign.answered",
)
# Counts worth telling about (and the campaign's own goal): 10, 25, 50, 100 ... 5,000,000.
MILESTONES = frozenset(int(step * 10**power) for power in range(1, 7) for step in (1, 2.5, 5))
_MILESTONE_IDS = uuid.UUID("0f6b1c55-7a8e-4c8e-9d1f-3b2a4c5d6e7f")


def _organizers_endpoint(campaign_id: Any) -> ColumnElement[bool]:
    """SQL: the endpoint is active and one of ``campaign_id``'s organizers' (a value or column)."""
    owner = select(Campaign.owner_id).where(Campaign.id == campaign_id).scalar_subquery()
    co_organizers = select(CampaignOrganizer.user_id).where(
        CampaignOrganizer.campaign_id == campaign_id,
        CampaignOrganizer.accepted_at.is_not(None),
    )
    return WebhookEndpoint.disabled_at.is_(None) & or_(
        WebhookEndpoint.user_id == owner, WebhookEndpoint.user_id.in_(co_organizers)
    )


def has_endpoints(campaign_id: Any) -> Exists:
    """SQL: whether the organizers of campaign ``campaign_id`` (a value or parameter) have one.

    For the statement that confirms or withdraws a signature to return, so
    that in the usual case of no endpoint the event costs no statement of its
    own (``signature_changed``). SQLite's RETURNING cannot correlate a
    subquery with the row it writes: the campaign is given, not joined.
    """
    return exists().where(_organizers_endpoint(campaign_id))


def _endpoints(campaign_id: int) -> list[tuple[int, list[str]]]:
    """Return the active endpoints of the campaign's organizers, with the events each wants."""
    rows = db.session.execute(
        select(WebhookEndpoint.id, WebhookEndpoint.events).where(_organizers_endpoint(campaign_id))
    )
    return [(row.id, row.events.split()) for row in rows]


def _wanting(endpoints: list[tuple[int, list[str]]], event_type: str) -> list[int]:
    return [endpoint_id for endpoint_id, events in endpoints if event_type in events]


@per_dialect
def _queue():
    return insert(WebhookDelivery.__table__).on_conflict_do_nothing(
        index_elements=["endpoint_id", "event_id"]
    )


def emit(
    campaign_id: int,
    event_type: str,
    data: dict[str, Any],
    *,
    event_id: str | None = None,
    endpoints: list[int] | None = None,
) -> str | None:
    """Queue ``event_type`` for the campaign's organizers' endpoints; return its id, or None."""
    assert event_type in EVENT_TYPES, event_type
    if endpoints is None:
        endpoints = _wanting(_endpoints(campaign_id), event_type)
    if not endpoints:
        return None
    moment = now()
    event_id = event_id or str(uuid.uuid4())
    body = json.dumps(
        {"id": event_id, "type": event_type, "created_at": moment.isoformat(), "data": data},
        separators=(",", ":"),
        sort_keys=True,
    )
    db.session.execute(
        _queue(),
        [
            {
                "endpoint_id": endpoint_id,
                "event_id": event_id,
                "event_type": event_type,
                "body": body,
                "created_at": moment,
                "next_attempt_at": moment,
                "attempts": 0,
            }
            for endpoint_id in endpoints
        ],
    )
    return event_id


def _signature_data(signature_id: int) -> dict[str, Any]:
    # Read from the table, not the session: the confirm and withdraw UPDATEs
    # bypass the unit of work, so a loaded Signature may not show them yet.
    row = db.session.execute(
        select(
            Signature.id,
            Signature.name,
            Signature.zip_code,
            Signature.source,
            Signature.confirmed_at,
            Signature.withdrawn_at,
            shared_email().label("email"),
            Campaign.slug,
        )
        .join(Campaign, Campaign.id == Signature.campaign_id)
        .where(Signature.id == signature_id)
    ).one()
    return {
        "campaign": row.slug,
        "signature": {
            "id": row.id,
            "name": row.name,
            "zip_code": row.zip_code,
            "source": row.source,
            # Only signers who opted in gave organizers their address (as the CSV export).
            "email": row.email,
            "confirmed_at": row.confirmed_at and row.confirmed_at.isoformat(),
            "withdrawn_at": row.withdrawn_at and row.withdrawn_at.isoformat(),
        },
    }


def signature_changed(signature_id: int, campaign_id: int, event_type: str) -> None:
    """Queue ``signature.confirmed`` or ``signature.withdrawn``, and a milestone it reached."""
    endpoints = _endpoints(campaign_id)  # one query; nearly always empty
    if not endpoints:
        return
    wanted = _wanting(endpoints, event_type)
    milestone_listeners = (
        _wanting(endpoints, "count.milestone") if event_type == "signature.confirmed" else []
    )
    if wanted:
        emit(campaign_id, event_type, _signature_data(signature_id), endpoints=wanted)
    if milestone_listeners:
        _milestone(campaign_id, milestone_listeners)


def signatures_restored(campaign_id: int, signature_ids: list[int]) -> None:
    """Queue ``signature.confirmed`` for held signatures an organizer restored to the count.

    A held signature sent no event when it was confirmed (it was not counted);
    it does now, so a receiver that later sees it withdrawn has seen it arrive.
    """
    endpoints = _endpoints(campaign_id) if signature_ids else []
    wanted = _wanting(endpoints, "signature.confirmed") if endpoints else []
    for signature_id in signature_ids if wanted else []:
        emit(campaign_id, "signature.confirmed", _signature_data(signature_id), endpoints=wanted)


def _milestone(campaign_id: int, endpoints: list[int]) -> None:
    campaign = db.session.get(Campaign, campaign_id)
    db.session.refresh(campaign, ["signature_count"])
    count = campaign.signature_count
    if count not in MILESTONES and count != campaign.signature_goal:
        return
    # The same milestone always has the same id, so two confirmations that
    # both see it queue it once (the unique constraint drops the second).
    event_id = str(uuid.uuid5(_MILESTONE_IDS, f"{campaign_id}:{count}"))
    emit(
        campaign_id,
        "count.milestone",
        {"campaign": campaign.slug, "count": count, "goal": campaign.signature_goal},
        event_id=event_id,
        endpoints=endpoints,
    )


def status_changed(campaign: Campaign, previous: str) -> None:
    """Queue ``campaign.status_changed`` if the status moved."""
    if campaign.status == previous:
        return
    emit(
        campaign.id,
        "campaign.status_changed",
        {"campaign": campaign.slug, "from": str(previous), "to": str(campaign.status)},
    )


def pledge_answered(response: PledgeResponse) -> None:
    """Queue ``pledge.answered`` for a new entry in a candidate's answer history."""
    candidate = response.candidate
    pledge = candidate.pledge
    emit(
        pledge.campaign_id,
        "pledge.answered",
        {
            "pledge": pledge.slug,
            "candidate": {"id": candidate.id, "name": candidate.name},
            "response": {
                "id": response.id,
                "answer": str(response.answer),
                "statement": response.statement,
                "source": str(response.source),
                "answered_at": response.answered_at.isoformat(),
            },
        },
    )


def campaign_answered(campaign: Campaign, answer: TargetAnswer) -> None:
    """Queue ``campaign.answered`` for a new entry in the target's answers (silence too)."""
    page = absolute_url("campaigns.show", slug=campaign.slug)
    emit(
        campaign.id,
        "campaign.answered",
        {
            "campaign": campaign.slug,
            "answer": {
                "id": answer.id,
                "kind": answer.kind,
                "is_answer": answer.is_answer,
                "summary": answer.summary,
                "source_url": answer.source_url,
                "answered_on": answer.answered_on.isoformat(),
                "permalink": f"{page}#answer-{answer.id}",
            },
        },
    )
