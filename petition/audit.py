"""Record organizers' and admins' actions in the append-only audit log, and read it back.

``record`` adds and flushes in the caller's transaction, like any service: an
action that is rolled back leaves no event, and an event cannot be lost from
an action that was committed. Nothing here updates or deletes an event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, or_, select

from petition.clock import now
from petition.extensions import db
from petition.models import AuditEvent, Campaign, Pledge, Role, User

# What people read for each action; an action not listed shows as its name.
ACTIONS = {
    "campaign.publish": "Published",
    "campaign.submit": "Sent for review",
    "campaign.edit": "Edited",
    "campaign.edit_submitted": "Edit sent for review",
    "campaign.edit_approved": "Edit approved",
    "campaign.edit_rejected": "Edit rejected",
    "campaign.approve": "Approved",
    "campaign.reject": "Sent back",
    "campaign.close": "Closed",
    "campaign.reopen": "Reopened",
    "campaign.victory": "Declared a victory",
    "campaign.deliver": "Recorded the delivery",
    "campaign.export": "Exported signatures",
    "campaign.export_delivery": "Exported the delivery list",
    "campaign.take_down": "Taken down",
    "organizer.invite": "Invited a co-organizer",
    "organizer.join": "A co-organizer joined",
    "organizer.remove": "Removed a co-organizer",
    "pledge.edit": "Edited the pledge",
    "pledge.revoke_link": "Revoked a candidate’s link",
    "pledge.hide_statement": "Hid a statement",
    "pledge.unlink": "Unlinked the pledge",
    "pledge.record_contact": "Recorded asking a candidate",
    "pledge.take_down": "Taken down",
    "pledge.approved": "Pledge approved",
    "pledge.rejected": "Pledge not approved",
    "signatures.restore": "Restored excluded signatures",
    "update.approved": "Update approved",
    "update.rejected": "Update not approved",
    "pledge.record_result": "Recorded the election result",
    "pledge.add_evidence": "Added evidence to the winner’s record",
    "pledge.correct_evidence": "Corrected the winner’s record",
    "pledge.upload_photo": "Uploaded a candidate’s photo",
    "pledge.remove_photo": "Removed a candidate’s photo",
    "campaign.record_answer": "Recorded the target’s answer",
    "campaign.add_evidence": "Added evidence to a target’s record",
    "campaign.correct_evidence": "Corrected a target’s record",
    "apikey.create": "Made an API key",
    "apikey.revoke": "Revoked an API key",
    "webhook.register": "Registered a webhook endpoint",
    "webhook.remove": "Removed a webhook endpoint",
    "held.story_approved": "Victory story or delivery note approved",
    "held.story_rejected": "Victory story or delivery note not approved",
    "held.answer_approved": "Target’s answer approved",
    "held.answer_rejected": "Target’s answer not approved",
    "held.evidence_approved": "Record entry approved",
    "held.evidence_rejected": "Record entry not approved",
    "held.photo_approved": "Candidate’s photo approved",
    "held.photo_rejected": "Candidate’s photo not approved",
}
PAGE_SIZE = 50


def record(
    actor: User | None,
    action: str,
    *,
    campaign: Campaign | None = None,
    pledge: Pledge | None = None,
    **detail: Any,
) -> AuditEvent:
    """Add one event for ``actor`` (None for the system) and flush it.

    ``detail`` holds ids, counts and short reasons, never a supporter's name,
    address, comment or IP: the organizers of the campaign read it.
    """
    if campaign is None and pledge is not None:
        campaign_id = pledge.campaign_id
    else:
        campaign_id = campaign.id if campaign is not None else None
    event = AuditEvent(
        occurred_at=now(),
        actor_id=actor.id if actor is not None else None,
        action=action,
        campaign_id=campaign_id,
        pledge_id=pledge.id if pledge is not None else None,
        detail=detail,
    )
    db.session.add(event)
    db.session.flush()
    return event


@dataclass(frozen=True)
class EventRow:
    event: AuditEvent
    actor_name: str | None
    campaign_title: str | None

    @property
    def label(self) -> str:
        return ACTIONS.get(self.event.action, self.event.action)


@dataclass(frozen=True)
class EventPage:
    rows: list[EventRow]
    page: int
    pages: int


def page_number(value: str) -> int:
    """Read ``?page=``; anything odd (a word, a huge number) raises, so it reads as page 1."""
    if not value.isdigit() or len(value) > 6:
        raise ValueError(value)
    return int(value)


def _page(query, count_query, page: int) -> EventPage:
    total = db.session.scalar(count_query) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = db.session.execute(
        query.order_by(AuditEvent.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return EventPage([EventRow(*row) for row in rows], page, pages)


# Organizers read who did what by name: an account's email address (a site
# admin's above all) is never shown on their history page; admins see it.
_ACTOR_FOR_ORGANIZERS = case(
    (AuditEvent.actor_id.is_(None), None),
    (func.coalesce(User.name, "") != "", User.name),
    (User.role == Role.ADMIN, "a site admin"),
    else_="an organizer",
)
_ACTOR_FOR_ADMINS = func.coalesce(func.nullif(User.name, ""), User.email)


def _select(actor=_ACTOR_FOR_ADMINS):
    return (
        select(AuditEvent, actor, Campaign.title)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .outerjoin(Campaign, Campaign.id == AuditEvent.campaign_id)
    )


def campaign_events(campaign: Campaign, page: int = 1) -> EventPage:
    """Return one page of the events about ``campaign`` and its pledges, newest first."""
    linked = select(Pledge.id).where(Pledge.campaign_id == campaign.id)
    about = or_(AuditEvent.campaign_id == campaign.id, AuditEvent.pledge_id.in_(linked))
    return _page(
        _select(_ACTOR_FOR_ORGANIZERS).where(about),
        select(func.count()).select_from(AuditEvent).where(about),
        page,
    )


def all_events(page: int = 1) -> EventPage:
    """Return one page of every event, newest first (for admins)."""
    return _page(_select(), select(func.count()).select_from(AuditEvent), page)
