"""Read-side queries for public campaign pages."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import NamedTuple

from flask import abort, current_app
from flask_babel import gettext as _
from sqlalchemy import Row, bindparam, desc, exists, func, select
from sqlalchemy.orm import defer, joinedload, selectinload

from petition import takedown
from petition.caching import MAX_COPIES, keep_bounded
from petition.campaigns.answers import answers_for
from petition.campaigns.chart import PageChart, page_chart
from petition.clock import monotonic, now
from petition.extensions import db
from petition.models import (
    PUBLIC_STATUSES,
    Campaign,
    CampaignRevision,
    CampaignStatus,
    CampaignUpdate,
    Pledge,
    Signature,
    TargetAnswer,
)
from petition.pledges.public import PUBLIC_PLEDGE
from petition.signing.services import CampaignToSign

ACTIVITY_WINDOW = timedelta(hours=24)


_BY_SLUG = select(Campaign).where(Campaign.slug == bindparam("slug"))


def get_public_campaign_or_404(slug: str) -> Campaign:
    """Return a campaign the public may see; drafts and unknown slugs are 404."""
    campaign = db.session.scalar(_BY_SLUG, {"slug": slug})
    if campaign is not None and campaign.status == CampaignStatus.TAKEN_DOWN:
        takedown.gone(campaign)
    if campaign is None or campaign.status not in PUBLIC_STATUSES:
        abort(404)
    return campaign


_campaigns = Campaign.__table__
# Table columns, not the mapped attributes: a Core statement skips the ORM's
# execution path, which cost as much as loading the whole entity.
_TO_SIGN = select(
    _campaigns.c.id,
    _campaigns.c.slug,
    _campaigns.c.status,
    _campaigns.c.closes_at,
    _campaigns.c.zip_required,
).where(_campaigns.c.slug == bindparam("slug"), _campaigns.c.status.in_(PUBLIC_STATUSES))


_KEPT_TO_SIGN = "petition.campaigns_to_sign"


@dataclass(frozen=True)
class _Kept:
    campaign: CampaignToSign
    expires: float


def campaign_to_sign_or_404(slug: str) -> CampaignToSign:
    """``get_public_campaign_or_404`` for signing: the same answers, without the entity.

    Each process keeps what it read for ``PETITION_PAGE_CACHE_SECONDS``, as it
    keeps the page the form is on: under a surge the sign POST then reads
    nothing before it writes. Nothing acts on a kept copy alone: ``sign``
    checks in its own transaction that the campaign still takes signatures.
    """
    seconds = current_app.config["PETITION_PAGE_CACHE_SECONDS"]
    kept: dict[str, _Kept] = current_app.extensions.setdefault(_KEPT_TO_SIGN, {})
    found = kept.get(slug)
    if found is not None and found.expires > monotonic():
        return found.campaign
    row = db.session.execute(_TO_SIGN, {"slug": slug}).first()
    if row is None:
        get_public_campaign_or_404(slug)  # the 404, or the take-down notice
        raise AssertionError(f"campaign {slug} is public, yet was not read")  # pragma: no cover
    campaign = CampaignToSign(*row)
    if seconds:
        keep_bounded(kept, slug, _Kept(campaign, monotonic() + seconds), MAX_COPIES)
    return campaign


# The campaign page is the most viewed page of a viral demand: its statements
# are built once, and each request only binds the values.
_CAMPAIGN_PAGE = (
    select(
        Campaign,
        select(Pledge.slug)
        .where(Pledge.campaign_id == Campaign.id, Pledge.owns_campaign.is_(True))
        .limit(1)
        .scalar_subquery(),
        exists().where(CampaignUpdate.campaign_id == Campaign.id, CampaignUpdate.held_at.is_(None)),
        exists().where(Pledge.campaign_id == Campaign.id, Pledge.owns_campaign.is_(False)),
        exists().where(TargetAnswer.campaign_id == Campaign.id, TargetAnswer.held_at.is_(None)),
        # Confirmed signatures an abuse rule holds out of the count
        # (petition.signing.rules): the page says how many, nothing is hidden.
        select(func.count())
        .where(
            Signature.campaign_id == Campaign.id,
            Signature.held_by.is_not(None),
            Signature.confirmed_at.is_not(None),
            Signature.withdrawn_at.is_(None),
        )
        .scalar_subquery(),
    )
    # The page shows the sanitized HTML; the Markdown sources stay in the database.
    .options(
        joinedload(Campaign.targets),
        defer(Campaign.demand),
        defer(Campaign.victory_story),
        defer(Campaign.delivery_note),
    )
    .where(Campaign.slug == bindparam("slug"), Campaign.status.in_(PUBLIC_STATUSES))
)
_PUBLIC_SIGNERS = (
    # Only what the page shows: the email address is never even read.
    select(Signature.name, Signature.zip_code, Signature.comment)
    .where(
        Signature.campaign_id == bindparam("campaign_id"),
        Signature.confirmed_at.is_not(None),
        Signature.withdrawn_at.is_(None),
        Signature.show_publicly.is_(True),
        Signature.held_by.is_(None),  # nothing held for review is shown
    )
    .order_by(Signature.confirmed_at.desc(), Signature.id.desc())
    .limit(bindparam("limit"))
)
# The pledges whose supporters are this demand's signers: the page links to them.
_BACKED_PLEDGES = (
    select(Pledge.slug, Pledge.title, Pledge.office, Pledge.jurisdiction, Pledge.election_date)
    .join(Campaign, Campaign.id == Pledge.campaign_id)
    .where(
        Pledge.campaign_id == bindparam("campaign_id"),
        Pledge.owns_campaign.is_(False),
        PUBLIC_PLEDGE,
    )
    .order_by(Pledge.election_date, Pledge.id)
)
_UPDATES = (
    select(CampaignUpdate)
    .where(
        CampaignUpdate.campaign_id == bindparam("campaign_id"),
        # Held for review under moderation: not public yet.
        CampaignUpdate.held_at.is_(None),
    )
    .order_by(CampaignUpdate.created_at.desc(), CampaignUpdate.id.desc())
)


class PublicSigner(NamedTuple):
    """A confirmed signer who chose to be shown, as the public page shows them."""

    name: str
    zip_code: str | None
    comment: str | None

    @property
    def public_name(self) -> str:
        """First name and last initial: "Maria S."."""
        parts = self.name.split()
        if not parts:
            return _("Anonymous")
        if len(parts) == 1:
            return parts[0]
        return f"{parts[0]} {parts[-1][0]}."

    @property
    def zip_area(self) -> str | None:
        """The first three ZIP digits, which name a region rather than a street."""
        return f"{self.zip_code[:3]}xx" if self.zip_code else None


@dataclass
class CampaignPage:
    """Everything the public campaign page shows."""

    campaign: Campaign
    # Set when the campaign is a pledge's signing machinery: its page is the pledge's.
    pledge_slug: str | None
    signers: list[PublicSigner]
    updates: list[CampaignUpdate]
    pledges: list[Row] = field(default_factory=list)
    # How the target answered, oldest first (petition.campaigns.answers).
    answers: list[TargetAnswer] = field(default_factory=list)
    # Confirmed signatures held for review by an abuse rule, not in the count.
    held: int = 0
    # Signatures over time, from the hourly buckets; None until someone has signed.
    history: PageChart | None = None


def campaign_page(slug: str) -> CampaignPage:
    """Read a public campaign's page: two statements, and one each for updates, pledges, answers.

    Once someone has signed, one more reads its history, at most every few
    seconds per process (``chart.page_chart``).
    """
    row = db.session.execute(_CAMPAIGN_PAGE, {"slug": slug}).unique().first()
    if row is None:
        takedown.abort_if_taken_down(slug)
        abort(404)
    campaign, pledge_slug, has_updates, backs_pledges, has_answers, held = row
    if pledge_slug is not None:
        return CampaignPage(campaign, pledge_slug, [], [], held=held)
    return CampaignPage(
        campaign,
        None,
        recent_public_signers(campaign),
        campaign_updates(campaign) if has_updates else [],
        backed_pledges(campaign) if backs_pledges else [],
        answers_for(campaign.id) if has_answers else [],
        held,
        page_chart(campaign) if campaign.signature_count > 0 else None,
    )


def backed_pledges(campaign: Campaign) -> list[Row]:
    """Return the pledges that count this demand's signers as their supporters."""
    return list(db.session.execute(_BACKED_PLEDGES, {"campaign_id": campaign.id}))


def recent_public_signers(campaign: Campaign, limit: int = 10) -> list[PublicSigner]:
    """Return the latest confirmed signers who chose to be shown."""
    params = {"campaign_id": campaign.id, "limit": limit}
    return [PublicSigner(*row) for row in db.session.execute(_PUBLIC_SIGNERS, params)]


def live_campaigns_by_activity(limit: int = 50) -> list[Row[tuple[Campaign, int]]]:
    """Return live campaigns with their confirmations in the last day, busiest first."""
    recent = (
        select(Signature.campaign_id, func.count().label("recent"))
        .where(
            Signature.confirmed_at >= now() - ACTIVITY_WINDOW,
            Signature.withdrawn_at.is_(None),
        )
        .group_by(Signature.campaign_id)
        .subquery()
    )
    recent_count = func.coalesce(recent.c.recent, 0)
    return list(
        db.session.execute(
            select(Campaign, recent_count)
            .options(selectinload(Campaign.targets))
            .outerjoin(recent, recent.c.campaign_id == Campaign.id)
            .where(Campaign.status == CampaignStatus.LIVE, ~_backs_a_pledge())
            .order_by(desc(recent_count), Campaign.signature_count.desc(), Campaign.id)
            .limit(limit)
        ).all()
    )


def campaign_updates(campaign: Campaign) -> list[CampaignUpdate]:
    """Return the organizers' updates, newest first."""
    return list(db.session.scalars(_UPDATES, {"campaign_id": campaign.id}))


def campaign_revisions(campaign: Campaign) -> list[CampaignRevision]:
    """Return the earlier versions of the demand, newest first."""
    return list(
        db.session.scalars(
            select(CampaignRevision)
            .where(CampaignRevision.campaign_id == campaign.id)
            .order_by(CampaignRevision.created_at.desc(), CampaignRevision.id.desc())
        )
    )


def _backs_a_pledge():
    return exists().where(Pledge.campaign_id == Campaign.id, Pledge.owns_campaign.is_(True))


def backing_pledge(campaign: Campaign) -> Pledge | None:
    """Return the pledge this campaign was created to collect supporters for, if any.

    Such a campaign is the pledge's signing machinery, not a demand of its
    own: its public face is the pledge page.
    """
    return db.session.scalar(
        select(Pledge).where(Pledge.campaign_id == campaign.id, Pledge.owns_campaign.is_(True))
    )
