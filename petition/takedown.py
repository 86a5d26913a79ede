"""Admin take-downs: a public demand or pledge replaced by a notice saying why and when.

Taking down a demand sets its status to ``taken_down``, which is not public:
every public list, the live count and signing leave it out as they do a
draft. Its address then answers 410 Gone with the notice instead of a 404, so
nobody can claim it silently disappeared. A pledge is taken down on its own
row; when it has its own demand, that demand goes with it. The organizers
are emailed. Services add and flush; the admin view commits and audits.
"""

from urllib.parse import urlsplit

from flask import abort, make_response, render_template
from sqlalchemy import select

from petition.clock import now
from petition.extensions import db
from petition.models import PUBLIC_STATUSES, Campaign, CampaignStatus, Pledge
from petition.organizers.services import mail_organizers
from petition.transactions import DomainError


class TakeDownError(DomainError):
    """The item cannot be taken down; the message is for people."""


def take_down_campaign(campaign: Campaign, reason: str, *, mail: bool = True) -> None:
    """Replace a public demand by its take-down notice and tell its organizers."""
    if campaign.status not in PUBLIC_STATUSES:
        raise TakeDownError("Only a public demand can be taken down")
    campaign.status = CampaignStatus.TAKEN_DOWN
    campaign.taken_down_at = now()
    campaign.take_down_reason = reason
    db.session.flush()
    if mail:
        subject = f"Taken down: {campaign.title}"
        mail_organizers(campaign, "taken_down", subject, title=campaign.title, reason=reason)


def take_down_pledge(pledge: Pledge, reason: str) -> None:
    """Replace a public pledge by its notice (and its own demand too) and tell its organizers."""
    if pledge.taken_down_at is not None:
        raise TakeDownError("This pledge is already taken down")
    if pledge.campaign.status not in PUBLIC_STATUSES:
        raise TakeDownError("Only a public pledge can be taken down")
    pledge.taken_down_at = now()
    pledge.take_down_reason = reason
    if pledge.owns_campaign and pledge.campaign.status in PUBLIC_STATUSES:
        take_down_campaign(pledge.campaign, reason, mail=False)
    db.session.flush()
    subject = f"Taken down: {pledge.title}"
    mail_organizers(pledge.campaign, "taken_down", subject, title=pledge.title, reason=reason)


def find_public_item(address: str) -> Campaign | Pledge | None:
    """Return the demand or pledge at a public address ("/c/slug", "/p/slug" or a full URL)."""
    parts = [part for part in urlsplit(address.strip()).path.split("/") if part]
    if len(parts) < 2 or parts[0] not in ("c", "p"):
        return None
    model = Campaign if parts[0] == "c" else Pledge
    return db.session.scalar(select(model).where(model.slug == parts[1][:80]))


def gone(item: Campaign | Pledge):
    """Abort with the public take-down notice for ``item`` (410 Gone)."""
    abort(
        make_response(
            render_template("takedown/notice.html", item=item, kind=_kind(item)),
            410,
        )
    )


def abort_if_taken_down(slug: str) -> None:
    """For a demand address that is not public: show the notice if it was taken down."""
    campaign = db.session.scalar(
        select(Campaign).where(Campaign.slug == slug, Campaign.status == CampaignStatus.TAKEN_DOWN)
    )
    if campaign is not None:
        gone(campaign)


def _kind(item: Campaign | Pledge) -> str:
    return "demand" if isinstance(item, Campaign) else "pledge"
