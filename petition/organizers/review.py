"""Moderating edits: under ``PETITION_MODERATION`` a live campaign's new wording waits.

The title, the demand and its targets are what a moderator approved; a
change to any of them is stored as a ``PendingCampaignEdit`` and the public
page keeps the approved text until an admin approves the edit (rejecting it
keeps the old text). Settings that are not wording (goal, closing date, ZIP
required) apply at once. Services add and flush; the view commits.
"""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from petition.clock import now
from petition.extensions import db
from petition.models import Campaign, CampaignUpdate, PendingCampaignEdit, User
from petition.organizers import services
from petition.organizers.services import CampaignDetails, TargetDetails


def needs_review(campaign: Campaign | None, moderation: bool) -> bool:
    """Whether an edit of ``campaign`` must wait for a moderator."""
    return moderation and campaign is not None and campaign.is_public


def pending_edit(campaign: Campaign) -> PendingCampaignEdit | None:
    return db.session.scalar(
        select(PendingCampaignEdit).where(PendingCampaignEdit.campaign_id == campaign.id)
    )


def editor_data(campaign: Campaign, data: dict) -> dict:
    """Start the editor from the proposed wording when one waits, so work is not lost."""
    proposal = pending_edit(campaign)
    if proposal is None:
        return data
    return data | {
        "title": proposal.title,
        "demand": proposal.demand,
        "targets": list(proposal.targets) or [{}],
    }


def propose_edit(campaign: Campaign, details: CampaignDetails, author: User) -> bool:
    """Apply the settings now and hold any new wording for review; return True if held.

    Raises ``TargetOnRecord`` when the wording drops or renames a target with a
    public record: refused now, not when an admin approves it.
    """
    services.check_targets_kept(campaign, details.targets)
    campaign.signature_goal = details.signature_goal
    campaign.closes_at = details.closes_at
    campaign.zip_required = details.zip_required
    targets = [target.as_dict() for target in details.targets]
    proposal = pending_edit(campaign)
    unchanged = (
        details.title == campaign.title
        and details.demand == campaign.demand
        and targets == services.targets_snapshot(campaign)
    )
    if unchanged:
        # Back to the approved wording: nothing left to review.
        if proposal is not None:
            db.session.delete(proposal)
        db.session.flush()
        return False
    if proposal is None:
        proposal = PendingCampaignEdit(campaign_id=campaign.id)
        db.session.add(proposal)
    proposal.title = details.title
    proposal.demand = details.demand
    proposal.targets = targets
    proposal.author_id = author.id
    proposal.submitted_at = now()
    db.session.flush()
    return True


def edits_waiting() -> list[PendingCampaignEdit]:
    """Return the edits in the moderation queue, oldest first, with their campaigns."""
    return list(
        db.session.scalars(
            select(PendingCampaignEdit)
            .options(selectinload(PendingCampaignEdit.campaign).selectinload(Campaign.targets))
            .order_by(PendingCampaignEdit.submitted_at, PendingCampaignEdit.id)
        )
    )


def approve_edit(proposal: PendingCampaignEdit) -> None:
    """Make the proposed wording public, keeping a revision when people signed the old one."""
    campaign = proposal.campaign
    author = db.session.get(User, proposal.author_id) if proposal.author_id else None
    details = CampaignDetails(
        title=proposal.title,
        slug=campaign.slug,
        demand=proposal.demand,
        targets=[TargetDetails(**target) for target in proposal.targets],
        signature_goal=campaign.signature_goal,
        closes_at=campaign.closes_at,
        zip_required=campaign.zip_required,
    )
    db.session.delete(proposal)
    services.save_campaign(campaign, details, author)


def reject_edit(proposal: PendingCampaignEdit, reason: str) -> None:
    """Drop the proposed wording (the approved text stays) and tell the organizers why."""
    campaign = proposal.campaign
    db.session.delete(proposal)
    db.session.flush()
    services.mail_organizers(
        campaign, "campaign_edit_rejected", f"Edit not approved: {campaign.title}", reason=reason
    )


# Updates to signers are held the same way: not shown, not mailed, until approved.


def updates_waiting() -> list[CampaignUpdate]:
    """Return the held updates, oldest first, with their campaigns."""
    return list(
        db.session.scalars(
            select(CampaignUpdate)
            .where(CampaignUpdate.held_at.is_not(None))
            .options(selectinload(CampaignUpdate.campaign))
            .order_by(CampaignUpdate.held_at, CampaignUpdate.id)
        )
    )


def reject_update(item: CampaignUpdate, reason: str) -> None:
    """Drop a held update (nobody saw it) and tell the organizers why."""
    campaign = item.campaign
    subject = item.subject
    db.session.delete(item)
    db.session.flush()
    services.mail_organizers(
        campaign,
        "campaign_update_rejected",
        f"Update not approved: {subject}",
        update_subject=subject,
        reason=reason,
    )
