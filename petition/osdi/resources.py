"""OSDI 1.x resources as HAL+JSON, shaped like Action Network's v2 API.

Petitions are the key holder's campaigns, addressed by slug. A person is
one confirmed signature: signatures are not linked across demands, so the
same signer of two demands is two people here (and nobody can learn from
the API that two signatures share an address).
"""

from typing import Any

from petition.models import Campaign
from petition.urls import absolute_url

SYSTEM = "petition"
OSDI_VERSION = "1.1.1"
MAX_PAGE_SIZE = 25
MEDIA_TYPE = "application/hal+json"


def link(endpoint: str, **values: Any) -> dict[str, str]:
    return {"href": absolute_url(endpoint, **values)}


def curies() -> list[dict[str, Any]]:
    return [
        {
            "name": "osdi",
            "href": "https://opensupporter.github.io/osdi-docs/{rel}",
            "templated": True,
        }
    ]


def _split_name(name: str) -> tuple[str, str]:
    given, _, family = name.strip().rpartition(" ")
    return (given, family) if given else (family, "")


def petition(campaign: Campaign) -> dict[str, Any]:
    slug = campaign.slug
    return {
        "identifiers": [f"{SYSTEM}:{slug}"],
        "origin_system": SYSTEM,
        "created_date": campaign.created_at.isoformat(),
        "modified_date": campaign.updated_at.isoformat(),
        "title": campaign.title,
        "description": str(campaign.demand_html),
        "petition_text": campaign.demand,
        "browser_url": absolute_url("campaigns.show", slug=slug),
        "total_signatures": campaign.signature_count,
        "petition:paper_signatures": campaign.paper_signature_count,
        "petition:status": str(campaign.status),
        "target": [{"name": target.name, "title": target.office} for target in campaign.targets],
        "_links": {
            "self": link("organizer_api.osdi_petition", slug=slug),
            "osdi:signatures": link("organizer_api.osdi_signatures", slug=slug),
            "osdi:record_signature_helper": link("organizer_api.osdi_record_signature", slug=slug),
        },
    }


def signature(row: Any, slug: str) -> dict[str, Any]:
    """``row`` carries id, comment, confirmed_at and created_at (services.confirmed_signatures)."""
    return {
        "identifiers": [f"{SYSTEM}:{row.id}"],
        "created_date": row.confirmed_at.isoformat(),
        "modified_date": row.confirmed_at.isoformat(),
        "comments": row.comment,
        "petition:source": row.source,
        "_links": {
            "self": link("organizer_api.osdi_signature", slug=slug, signature_id=row.id),
            "osdi:petition": link("organizer_api.osdi_petition", slug=slug),
            "osdi:person": link("organizer_api.osdi_person", person_id=row.id),
        },
    }


def person(row: Any) -> dict[str, Any]:
    """``row`` carries id, name, zip_code, confirmed_at and email (None unless opted in)."""
    given, family = _split_name(row.name)
    body: dict[str, Any] = {
        "identifiers": [f"{SYSTEM}:{row.id}"],
        "created_date": row.confirmed_at.isoformat(),
        "modified_date": row.confirmed_at.isoformat(),
        "given_name": given,
        "family_name": family,
        # Only signers who asked for updates gave the organizers their address.
        "email_addresses": (
            [{"primary": True, "address": row.email, "status": "subscribed"}] if row.email else []
        ),
        "postal_addresses": (
            [{"primary": True, "postal_code": row.zip_code, "country": "US"}]
            if row.zip_code
            else []
        ),
        "_links": {"self": link("organizer_api.osdi_person", person_id=row.id)},
    }
    return body


def collection(
    name: str,
    items: list[dict[str, Any]],
    *,
    page: int,
    per_page: int,
    total: int,
    endpoint: str,
    **values: Any,
) -> dict[str, Any]:
    """Wrap ``items`` as an OSDI collection page: counts, ``_links`` and ``_embedded``."""
    pages = max(1, -(-total // per_page))
    links: dict[str, Any] = {
        "self": link(endpoint, page=page, per_page=per_page, **values),
        name: [item["_links"]["self"] for item in items],
        "curies": curies(),
    }
    if page < pages:
        links["next"] = link(endpoint, page=page + 1, per_page=per_page, **values)
    if page > 1:
        links["previous"] = link(endpoint, page=page - 1, per_page=per_page, **values)
    return {
        "total_pages": pages,
        "per_page": per_page,
        "page": page,
        "total_records": total,
        "_links": links,
        "_embedded": {name: items},
    }
