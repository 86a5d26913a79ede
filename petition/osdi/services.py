"""What a key holder can read and record. They add and flush; callers commit."""

import enum
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Row, Select, select, update
from werkzeug.datastructures import MultiDict

from petition.clock import now
from petition.database import insert, per_dialect
from petition.emails import normalize_email
from petition.extensions import db
from petition.i18n import DEFAULT_LANGUAGE
from petition.models import Campaign, PaperSignature, Signature, User
from petition.organizers.exports import shared_email
from petition.signing.forms import SignForm
from petition.signing.services import SignatureDetails, SignOutcome, ensure_open, sign

MAX_PAGE = 200
DEFAULT_PAGE = 50

_TEXT_FIELDS = ("name", "email", "zip_code", "comment")
_FLAGS = ("wants_updates", "show_publicly")


class PaperOutcome(enum.Enum):
    # With an email: a confirmation mail went out; the signature counts once confirmed.
    CONFIRMATION_PENDING = "confirmation_pending"
    # Without one: counted in the campaign's separate paper tally.
    PAPER_VERIFIED = "paper_verified_by_organizer"
    # Without one, and with a reference already recorded: nothing counted again.
    ALREADY_RECORDED = "already_recorded"


@dataclass
class PaperResult:
    outcome: PaperOutcome
    paper_signature: PaperSignature | None = None


class InvalidSignature(ValueError):
    """The submitted signature has errors: ``errors`` maps each field to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("invalid signature")
        self.errors = errors


# Ids are 32-bit integers: a larger "after" would make PostgreSQL refuse the query.
MAX_ID = 2**31 - 1


def confirmed_query(*conditions: Any) -> Select:
    """Confirmed, not withdrawn signatures meeting ``conditions``, by id, as plain rows.

    Emails only as the CSV export gives them: for signers who opted in.
    """
    return (
        select(
            Signature.id,
            Signature.name,
            Signature.zip_code,
            Signature.comment,
            Signature.source,
            Signature.confirmed_at,
            shared_email().label("email"),
        )
        .where(Signature.confirmed_at.is_not(None), Signature.withdrawn_at.is_(None), *conditions)
        .order_by(Signature.id)
    )


def confirmed_signatures(campaign: Campaign, after: int, limit: int) -> list[Row]:
    """Return up to ``limit`` confirmed signatures with an id above ``after``, oldest id first."""
    query = confirmed_query(Signature.campaign_id == campaign.id, Signature.id > after)
    return list(db.session.execute(query.limit(limit)))


def paper_signatures(campaign: Campaign, after: int, limit: int) -> list[PaperSignature]:
    """Return up to ``limit`` of the campaign's paper entries with an id above ``after``."""
    return list(
        db.session.scalars(
            select(PaperSignature)
            .where(PaperSignature.campaign_id == campaign.id, PaperSignature.id > after)
            .order_by(PaperSignature.id)
            .limit(limit)
        )
    )


def signature_details(payload: Any, campaign: Campaign, email_required: bool) -> SignatureDetails:
    """Check a JSON signature the way the sign form checks a person's; raise InvalidSignature."""
    if not isinstance(payload, dict):
        raise InvalidSignature({"body": "Send a JSON object."})
    errors: dict[str, str] = {}
    data = MultiDict()
    for name in _TEXT_FIELDS:
        value = payload.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            errors[name] = "Send text."
        elif value:
            data[name] = value
    for name in _FLAGS:
        value = payload.get(name, False)
        if not isinstance(value, bool):
            errors[name] = "Send true or false."
        elif value:
            data[name] = "y"
    form = SignForm(formdata=data, zip_required=campaign.zip_required)
    if not email_required and "email" not in data:
        del form.email
    if not form.validate():
        errors.update({name: messages[0] for name, messages in form.errors.items()})
    if errors:
        raise InvalidSignature(errors)
    if "email" not in data:
        return SignatureDetails(
            name=form.name.data,
            email="",
            zip_code=form.zip_code.data or None,
            comment=form.comment.data or None,
            wants_updates=False,
            show_publicly=False,
        )
    # The API client's Accept-Language is its tool's, not the signer's: their
    # confirmation and updates are in English unless they sign on the site.
    return replace(form.details(), language=DEFAULT_LANGUAGE)


def paper_reference(payload: Any) -> str | None:
    """Return the optional ``reference`` of a paper entry; raise InvalidSignature if it is bad."""
    value = payload.get("reference") if isinstance(payload, dict) else None
    if value is None:
        return None
    if not isinstance(value, str) or not 0 < len(value.strip()) <= 100:
        raise InvalidSignature({"reference": "Send the reference as text of 1 to 100 characters."})
    if not value.isprintable():
        raise InvalidSignature({"reference": "Send the reference as plain text."})
    return value.strip()


_papers = PaperSignature.__table__


@per_dialect
def _insert_paper():
    return (
        insert(_papers)
        .on_conflict_do_nothing(index_elements=["campaign_id", "reference"])
        .returning(_papers.c.id)
    )


def record_paper_signature(
    campaign: Campaign,
    details: SignatureDetails,
    organizer: User,
    source: str = "paper",
    reference: str | None = None,
) -> PaperResult:
    """Record a signature a key holder sends: collected on paper, or from an OSDI tool.

    With an email it goes through the normal signing flow (the person gets
    the confirmation mail, and it counts only once confirmed), marked with
    ``source`` ("paper", or "osdi"). Without one, the organizer vouches for
    it: it goes to the campaign's separate paper tally and never into the
    online count; a ``reference`` already recorded for the campaign is not
    counted again.
    """
    ensure_open(campaign)
    if details.email:
        # No client address: the organizer's is not the signer's.
        if sign(campaign, details, ip_hash=None) is SignOutcome.NEW:
            db.session.execute(
                update(Signature)
                .where(
                    Signature.campaign_id == campaign.id,
                    Signature.email_normalized == normalize_email(details.email),
                    Signature.confirmed_at.is_(None),
                )
                .values(source=source)
                .execution_options(synchronize_session=False)
            )
        return PaperResult(PaperOutcome.CONFIRMATION_PENDING)
    paper_id = db.session.scalar(
        _insert_paper(),
        {
            "campaign_id": campaign.id,
            "name": details.name,
            "zip_code": details.zip_code,
            "comment": details.comment,
            "reference": reference,
            "recorded_by_id": organizer.id,
            "created_at": now(),
        },
    )
    if paper_id is None:  # this reference was recorded before
        existing = db.session.scalar(
            select(PaperSignature).where(
                PaperSignature.campaign_id == campaign.id, PaperSignature.reference == reference
            )
        )
        return PaperResult(PaperOutcome.ALREADY_RECORDED, existing)
    db.session.execute(
        update(Campaign)
        .where(Campaign.id == campaign.id)
        .values(paper_signature_count=Campaign.paper_signature_count + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(campaign, ["paper_signature_count"])
    return PaperResult(PaperOutcome.PAPER_VERIFIED, db.session.get(PaperSignature, paper_id))
