"""The keyed organizer API under /api/v1/: a campaign's signatures, read and recorded.

Every view takes its campaign from ``campaign_for_key_or_404``: a key reaches
the campaigns its organizer owns or co-organizes, and nothing else exists
for it. The OpenAPI description is in petition/osdi/openapi_paths.py.
"""

from flask import jsonify, request, url_for

from petition.apikeys.auth import api_error, campaign_for_key_or_404, key_holder, key_required
from petition.errors import problem_response
from petition.osdi import bp, services
from petition.signing.services import CampaignNotOpen
from petition.transactions import abandon


def page_arguments() -> tuple[int, int]:
    """Read ``after`` and ``limit`` from the query string; a bad value is a JSON 400."""
    try:
        after = int(request.args.get("after", 0))
        limit = int(request.args.get("limit", services.DEFAULT_PAGE))
    except ValueError:
        api_error(400, "'after' and 'limit' are whole numbers.")
    if not 0 <= after <= services.MAX_ID or not 1 <= limit <= services.MAX_PAGE:
        api_error(400, f"'after' is 0 or more; 'limit' is from 1 to {services.MAX_PAGE}.")
    return after, limit


def signature_json(row) -> dict:
    return {
        "id": row.id,
        "name": row.name,
        "zip_code": row.zip_code,
        "comment": row.comment,
        "source": row.source,
        "confirmed_at": row.confirmed_at.isoformat(),
        "email": row.email,
    }


@bp.get("/api/v1/campaigns/<slug:slug>/signatures")
@key_required
def signatures(slug: str):
    campaign = campaign_for_key_or_404(slug)
    after, limit = page_arguments()
    rows = services.confirmed_signatures(campaign, after, limit)
    following = None
    if len(rows) == limit:
        following = url_for(".signatures", slug=slug, after=rows[-1].id, limit=limit)
    return jsonify(
        campaign=campaign.slug,
        signature_count=campaign.signature_count,
        paper_signature_count=campaign.paper_signature_count,
        signatures=[signature_json(row) for row in rows],
        next=following,
    )


def paper_json(paper) -> dict:
    return {
        "id": paper.id,
        "name": paper.name,
        "zip_code": paper.zip_code,
        "comment": paper.comment,
        "reference": paper.reference,
        "recorded_at": paper.created_at.isoformat(),
    }


@bp.get("/api/v1/campaigns/<slug:slug>/paper-signatures")
@key_required
def paper_signatures(slug: str):
    """The entries behind the paper tally: signatures without email, vouched for by organizers."""
    campaign = campaign_for_key_or_404(slug)
    after, limit = page_arguments()
    papers = services.paper_signatures(campaign, after, limit)
    following = None
    if len(papers) == limit:
        following = url_for(".paper_signatures", slug=slug, after=papers[-1].id, limit=limit)
    return jsonify(
        campaign=campaign.slug,
        paper_signature_count=campaign.paper_signature_count,
        paper_signatures=[paper_json(paper) for paper in papers],
        next=following,
    )


@bp.post("/api/v1/campaigns/<slug:slug>/signatures")
@key_required
def record_signature(slug: str):
    campaign = campaign_for_key_or_404(slug)
    payload = request.get_json(silent=True)
    try:
        details = services.signature_details(payload, campaign, email_required=False)
        reference = services.paper_reference(payload)
        result = services.record_paper_signature(
            campaign, details, key_holder(), reference=reference
        )
    except services.InvalidSignature as exc:
        abandon()
        return problem_response(422, "The signature has errors.", fields=exc.errors)
    except CampaignNotOpen:
        abandon()
        return problem_response(409, "This campaign does not take signatures now.")
    body = {"status": result.outcome.value, "source": "paper"}
    if result.paper_signature is not None:
        body["paper_signature"] = paper_json(result.paper_signature)
        body["paper_signature_count"] = campaign.paper_signature_count
        status = 200 if result.outcome is services.PaperOutcome.ALREADY_RECORDED else 201
        return jsonify(body), status
    # The same answer whether or not the address had signed before: the
    # person's own inbox, not the key holder, learns which it was.
    return jsonify(body), 202
