"""OSDI under /api/osdi/v1/: petitions, their signatures, people, and the record signature helper.

Every request needs an organizer key (``Authorization: Bearer`` or OSDI's
``OSDI-API-Token`` header) and sees only that organizer's campaigns.
"""

from flask import Response, json, request
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from petition.apikeys.auth import api_error, campaign_for_key_or_404, key_holder, key_required
from petition.errors import problem_response
from petition.extensions import db
from petition.models import Campaign, Signature
from petition.organizers.access import organized_by
from petition.osdi import bp, resources, services
from petition.signing.services import CampaignNotOpen
from petition.transactions import abandon

# Far past any real list, and small enough that the OFFSET stays a valid integer.
MAX_PAGE_NUMBER = 1_000_000


def hal(body: dict, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype=resources.MEDIA_TYPE)


def hal_error(status: int, message: str, **extra: object) -> Response:
    """Refuse as every error under /api/ does: RFC 9457 problem details."""
    return problem_response(status, message, **extra)


def paging() -> tuple[int, int]:
    """Read OSDI's ``page`` (from 1) and ``per_page``; a bad value is a JSON 400."""
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", resources.MAX_PAGE_SIZE))
    except ValueError:
        api_error(400, "'page' and 'per_page' are whole numbers.")
    if not 1 <= page <= MAX_PAGE_NUMBER or not 1 <= per_page <= resources.MAX_PAGE_SIZE:
        api_error(
            400,
            f"'page' is from 1 to {MAX_PAGE_NUMBER};"
            f" 'per_page' is from 1 to {resources.MAX_PAGE_SIZE}.",
        )
    return page, per_page


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def _mine():
    return select(Campaign.id).where(organized_by(key_holder().id))


@bp.get("/api/osdi/v1/")
@key_required
def osdi_entry_point():
    return hal(
        {
            "motd": "OSDI for petition: your demands, their signatures and signers.",
            "vendor_name": "petition",
            "product_name": "petition",
            "osdi_version": resources.OSDI_VERSION,
            "max_page_size": resources.MAX_PAGE_SIZE,
            "namespace": resources.SYSTEM,
            "_links": {
                "self": resources.link("organizer_api.osdi_entry_point"),
                "osdi:petitions": resources.link("organizer_api.osdi_petitions"),
                "osdi:people": resources.link("organizer_api.osdi_people"),
                "curies": resources.curies(),
            },
        }
    )


@bp.get("/api/osdi/v1/petitions")
@key_required
def osdi_petitions():
    page, per_page = paging()
    query = select(Campaign).where(Campaign.id.in_(_mine())).order_by(Campaign.id)
    total = _count(query)
    campaigns = db.session.scalars(
        query.options(selectinload(Campaign.targets)).offset((page - 1) * per_page).limit(per_page)
    )
    return hal(
        resources.collection(
            "osdi:petitions",
            [resources.petition(campaign) for campaign in campaigns],
            page=page,
            per_page=per_page,
            total=total,
            endpoint="organizer_api.osdi_petitions",
        )
    )


@bp.get("/api/osdi/v1/petitions/<slug:slug>")
@key_required
def osdi_petition(slug: str):
    return hal(resources.petition(campaign_for_key_or_404(slug)))


@bp.get("/api/osdi/v1/petitions/<slug:slug>/signatures")
@key_required
def osdi_signatures(slug: str):
    campaign = campaign_for_key_or_404(slug)
    query = services.confirmed_query(Signature.campaign_id == campaign.id)
    page, per_page = paging()
    total = _count(query)
    rows = db.session.execute(query.offset((page - 1) * per_page).limit(per_page)).all()
    return hal(
        resources.collection(
            "osdi:signatures",
            [resources.signature(row, slug) for row in rows],
            page=page,
            per_page=per_page,
            total=total,
            endpoint="organizer_api.osdi_signatures",
            slug=slug,
        )
    )


@bp.get("/api/osdi/v1/petitions/<slug:slug>/signatures/<id:signature_id>")
@key_required
def osdi_signature(slug: str, signature_id: int):
    campaign = campaign_for_key_or_404(slug)
    query = services.confirmed_query(
        Signature.campaign_id == campaign.id, Signature.id == signature_id
    )
    row = db.session.execute(query).first()
    if row is None:
        api_error(404, "No such signature.")
    return hal(resources.signature(row, slug))


@bp.get("/api/osdi/v1/people")
@key_required
def osdi_people():
    query = services.confirmed_query(Signature.campaign_id.in_(_mine()))
    page, per_page = paging()
    total = _count(query)
    rows = db.session.execute(query.offset((page - 1) * per_page).limit(per_page)).all()
    return hal(
        resources.collection(
            "osdi:people",
            [resources.person(row) for row in rows],
            page=page,
            per_page=per_page,
            total=total,
            endpoint="organizer_api.osdi_people",
        )
    )


@bp.get("/api/osdi/v1/people/<id:person_id>")
@key_required
def osdi_person(person_id: int):
    query = services.confirmed_query(Signature.campaign_id.in_(_mine()), Signature.id == person_id)
    row = db.session.execute(query).first()
    if row is None:
        api_error(404, "No such person.")
    return hal(resources.person(row))


@bp.post("/api/osdi/v1/petitions/<slug:slug>/signatures/record_signature_helper")
@key_required
def osdi_record_signature(slug: str):
    campaign = campaign_for_key_or_404(slug)
    payload = request.get_json(silent=True)
    try:
        details = services.signature_details(_from_osdi(payload), campaign, email_required=True)
        services.record_paper_signature(campaign, details, key_holder(), source="osdi")
    except services.InvalidSignature as exc:
        abandon()
        return hal_error(422, "The signature has errors.", fields=exc.errors)
    except CampaignNotOpen:
        abandon()
        return hal_error(409, "This petition does not take signatures now.")
    # Not the signature itself: it exists only once the person confirms by
    # email, and the same answer for a new and a known address keeps the
    # key holder from learning which addresses signed.
    return hal(
        {
            "petition:status": "confirmation_pending",
            "message": "We emailed the person a link; the signature counts once they confirm.",
            "_links": {"osdi:petition": resources.link("organizer_api.osdi_petition", slug=slug)},
        },
        202,
    )


def _from_osdi(payload: object) -> dict:
    """Turn an OSDI helper body (``person``, ``comments``) into the flat signature fields."""
    if not isinstance(payload, dict) or not isinstance(payload.get("person"), dict):
        raise services.InvalidSignature({"person": "Send a JSON object with a 'person'."})
    person = payload["person"]
    names = [person.get("given_name"), person.get("family_name")]
    emails = person.get("email_addresses") or [{}]
    postal = person.get("postal_addresses") or [{}]
    if not all(isinstance(name, str | None) for name in names):
        raise services.InvalidSignature({"name": "Send given_name and family_name as text."})
    if not (
        isinstance(emails, list)
        and isinstance(postal, list)
        and isinstance(emails[0], dict)
        and isinstance(postal[0], dict)
    ):
        raise services.InvalidSignature(
            {"person": "Send email_addresses and postal_addresses as lists of objects."}
        )
    return {
        "name": " ".join(name.strip() for name in names if name and name.strip()) or None,
        "email": emails[0].get("address"),
        "zip_code": postal[0].get("postal_code"),
        "comment": payload.get("comments"),
    }
