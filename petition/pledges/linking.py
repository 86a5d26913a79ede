"""Unlinking a pledge from a demand its organizers run.

A pledge linked to an existing demand counts that demand's signers as its
supporters, by ZIP, and is run by that demand's organizers. The demand's
owner decides what it is lent to: unlinking gives the pledge a demand of its
own (empty, run by the pledge's creator), so the demand's signers stop being
counted for it and its organizers stop running it. Adds and flushes.
"""

from sqlalchemy import select

from petition.extensions import db
from petition.models import Campaign, Pledge, User
from petition.pledges.services import PledgeDetails, new_backing_campaign
from petition.transactions import DomainError


class UnlinkError(DomainError):
    """The pledge cannot be unlinked; the message is for people."""


def unlink_pledge(pledge: Pledge, by: User, moderated: bool) -> None:
    """Back ``pledge`` by a new demand of its own instead of the linked one."""
    if pledge.owns_campaign:
        raise UnlinkError("This pledge collects its own supporters: it is not linked to a demand")
    if pledge.campaign.owner_id != by.id:
        raise UnlinkError("Only the demand’s owner can unlink a pledge from it")
    details = PledgeDetails(
        slug=pledge.slug,
        title=pledge.title,
        text=pledge.text,
        office=pledge.office,
        jurisdiction=pledge.jurisdiction,
        election_date=pledge.election_date,
        zip_codes=pledge.zip_codes,
    )
    pledge.campaign = new_backing_campaign(pledge.owner_id, details, moderated)
    pledge.owns_campaign = True
    db.session.flush()


def linked_pledges(campaign: Campaign) -> list[Pledge]:
    """Return the pledges that count ``campaign``'s signers without owning it."""
    return list(
        db.session.scalars(
            select(Pledge)
            .where(Pledge.campaign_id == campaign.id, Pledge.owns_campaign.is_(False))
            .order_by(Pledge.id)
        )
    )
