"""The OpenAPI 3.1 document of the API, written by hand and kept true by the tests.

Every response the tests receive is validated against it (tests/api_contract.py),
and schemathesis explores it against the app. Another part of the API adds
its own operations by merging them in ``document()``, as the keyed organizer
endpoints (petition/osdi/openapi_paths.py) are.
"""

from flask import current_app

from petition.api.http import CURSOR_PATTERN, MAX_LIMIT, TEXT_MAX_LENGTH, TEXT_PATTERN
from petition.api.schema import COUNT, JSON, MOMENT, STRING, URL, nullable, obj, ref
from petition.api.schema_records import record_schemas
from petition.osdi import openapi_paths as keyed
from petition.slugs import MAX_LENGTH, PATTERN

SCHEMAS: JSON = {
    "Problem": obj(
        {
            "type": STRING,
            "title": STRING,
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": STRING,
        }
    ),
    "Text": obj(
        {
            "html": {**STRING, "description": "Sanitized HTML, safe to insert in a page."},
            "text": {**STRING, "description": "The same as plain text."},
        }
    ),
    "Target": obj({"name": STRING, "office": STRING, "jurisdiction": STRING}),
    "Outcome": obj(
        {
            "won": {"type": "boolean"},
            "won_at": nullable(MOMENT),
            "victory_story": nullable(ref("Text")),
            "delivered_at": nullable(MOMENT),
            "delivered_to": nullable(STRING),
            "delivery_note": nullable(ref("Text")),
        }
    ),
    "Revision": obj(
        {
            "replaced_at": MOMENT,
            "demand": ref("Text"),
            "targets": {"type": "array", "items": ref("Target")},
        }
    ),
    "Campaign": obj(
        {
            "slug": STRING,
            "title": STRING,
            "status": {"enum": ["live", "closed", "won"]},
            "demand": ref("Text"),
            "targets": {"type": "array", "items": ref("Target")},
            "counts": obj({"signatures": COUNT}),
            "goal": {"type": "integer", "minimum": 1},
            "dates": obj(
                {
                    "published_at": nullable(MOMENT),
                    "closes_at": nullable(MOMENT),
                    "closed_at": nullable(MOMENT),
                    "edited_at": nullable(MOMENT),
                }
            ),
            "outcome": nullable(ref("Outcome")),
            "revisions": {
                "type": "array",
                "items": ref("Revision"),
                "description": "Earlier wordings of the demand, newest first.",
            },
            "pledge": {
                **nullable(STRING),
                "description": "The pledge whose supporters this campaign collects, if any.",
            },
            "links": obj({"page": URL, "self": URL, "history": URL}),
        }
    ),
    "CampaignPage": obj(
        {
            "data": {"type": "array", "items": ref("Campaign")},
            "next_cursor": nullable(STRING),
            "links": obj({"self": URL, "next": nullable(URL)}),
        }
    ),
    "HistoryPoint": obj(
        {
            "start": {**MOMENT, "description": "Start of the UTC hour (or day)."},
            "confirmed": {**COUNT, "description": "Signatures confirmed in the period."},
            "withdrawn": {**COUNT, "description": "Counted signatures withdrawn in it."},
            "total": {**COUNT, "description": "The count at the end of the period."},
        }
    ),
    "History": obj(
        {
            "campaign": STRING,
            "granularity": {"enum": ["hour", "day"]},
            "count": COUNT,
            "points": {
                "type": "array",
                "items": ref("HistoryPoint"),
                "description": "Only periods in which the count changed, oldest first.",
            },
            "links": obj({"self": URL, "next": nullable(URL), "campaign": URL}),
        }
    ),
    "Race": obj({"office": STRING, "jurisdiction": STRING, "election_date": {"format": "date"}}),
    "AnswerRecord": obj(
        {
            "answer": {"enum": ["pledged", "declined"]},
            "change": {**STRING, "description": "What this answer changed, in words."},
            "answered_at": MOMENT,
            "recorded": obj(
                {
                    "by": {
                        "enum": ["candidate", "organizer"],
                        "description": "candidate: through their private response link; "
                        "organizer: recorded by the organizers from a public source.",
                    },
                    "source_description": nullable(STRING),
                    "source_url": nullable(STRING),
                    "recorded_at": MOMENT,
                }
            ),
            "statement": nullable(STRING),
            "hidden": nullable(obj({"at": MOMENT, "reason": nullable(STRING)})),
        }
    ),
    "Candidate": obj(
        {
            "id": {"type": "integer"},
            "name": STRING,
            "party": STRING,
            "website": nullable(STRING),
            "answer": {"enum": ["pledged", "declined", None]},
            "first_asked_at": nullable(MOMENT),
            "times_contacted": COUNT,
            "answers": {
                "type": "array",
                "items": ref("AnswerRecord"),
                "description": "Every answer, oldest first; the last one stands.",
            },
        }
    ),
}

_PLEDGE_SUMMARY = {
    "slug": STRING,
    "title": STRING,
    "text": ref("Text"),
    "race": ref("Race"),
    "status": {"enum": ["live", "closed", "won"]},
    "counts": obj({"supporters": COUNT, "pledged": COUNT, "declined": COUNT, "no_response": COUNT}),
    "links": obj({"page": URL, "self": URL, "campaign": URL}),
}
SCHEMAS["PledgeSummary"] = obj(_PLEDGE_SUMMARY)
SCHEMAS["Pledge"] = obj(
    {
        **_PLEDGE_SUMMARY,
        "candidates": {"type": "array", "items": ref("Candidate")},
        "election": {
            **nullable(ref("ElectionResult")),
            "description": "Who won the race, once the organizers recorded it.",
        },
    }
)
SCHEMAS["PledgePage"] = obj(
    {
        "data": {"type": "array", "items": ref("PledgeSummary")},
        "next_cursor": nullable(STRING),
        "links": obj({"self": URL, "next": nullable(URL)}),
    }
)
SCHEMAS.update(record_schemas(SCHEMAS["Campaign"]))


def problem(description: str) -> JSON:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": ref("Problem")}},
    }


def ok(schema_name: str, description: str) -> JSON:
    return {
        "description": description,
        "headers": {"ETag": {"schema": STRING}, "Cache-Control": {"schema": STRING}},
        "content": {"application/json": {"schema": ref(schema_name)}},
    }


NOT_MODIFIED = {"description": "Unchanged since the ETag given in If-None-Match."}
BAD_REQUEST = problem("A query argument is malformed; detail says which and why.")
NOT_FOUND = problem("No public campaign or pledge has this slug.")

SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": f"^{PATTERN}$", "maxLength": MAX_LENGTH},
}
TEXT = {"type": "string", "pattern": TEXT_PATTERN, "maxLength": TEXT_MAX_LENGTH}
LIMIT = {
    "name": "limit",
    "in": "query",
    "description": "Items per page.",
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 20},
}
CURSOR = {
    "name": "cursor",
    "in": "query",
    "description": "Opaque: next_cursor from the previous page.",
    "schema": {"type": "string", "pattern": CURSOR_PATTERN},
}


def get(operation_id: str, summary: str, parameters: list, responses: JSON) -> JSON:
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "parameters": parameters,
            "responses": {"304": NOT_MODIFIED, **responses},
        }
    }


PATHS: JSON = {
    "/api/v1/campaigns": get(
        "listCampaigns",
        "Public campaigns, newest first, a page at a time.",
        [
            LIMIT,
            CURSOR,
            {
                "name": "status",
                "in": "query",
                "schema": {"type": "string", "enum": ["live", "closed", "won"]},
            },
            {
                "name": "jurisdiction",
                "in": "query",
                "description": "A target's jurisdiction, exactly (any case).",
                "schema": TEXT,
            },
        ],
        {"200": ok("CampaignPage", "A page of campaigns."), "400": BAD_REQUEST},
    ),
    "/api/v1/campaigns/{slug}": get(
        "getCampaign",
        "One public campaign.",
        [SLUG],
        {
            "200": ok(
                "CampaignDetail",
                "The campaign, with the target's answers and promise records.",
            ),
            "404": NOT_FOUND,
        },
    ),
    "/api/v1/campaigns/{slug}/history": get(
        "getCampaignHistory",
        "A campaign's count, hour by hour (UTC, 1,000 hours a page) or day by day.",
        [
            SLUG,
            {
                "name": "granularity",
                "in": "query",
                "schema": {"type": "string", "enum": ["hour", "day"], "default": "hour"},
            },
            {
                "name": "since",
                "in": "query",
                "description": "Start at the hour (or day) of this moment (RFC 3339).",
                "schema": {"type": "string", "format": "date-time"},
            },
        ],
        {"200": ok("History", "Hours in which the count changed."), "400": BAD_REQUEST}
        | {"404": NOT_FOUND},
    ),
    "/api/v1/pledges": get(
        "listPledges",
        "Public pledges, newest first, a page at a time.",
        [
            LIMIT,
            CURSOR,
            {
                "name": "jurisdiction",
                "in": "query",
                "description": "The race's jurisdiction, exactly (any case).",
                "schema": TEXT,
            },
        ],
        {"200": ok("PledgePage", "A page of pledges."), "400": BAD_REQUEST},
    ),
    "/api/v1/pledges/{slug}": get(
        "getPledge",
        "One public pledge: the race, its candidates and every answer they gave, "
        "and after the election the winner and their promise record.",
        [SLUG],
        {"200": ok("Pledge", "The pledge."), "404": NOT_FOUND},
    ),
}
PATHS["/api/v1/openapi.json"] = get(
    "getOpenAPI",
    "This document.",
    [],
    {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}}},
)


def document() -> JSON:
    """Return the OpenAPI document, its server being this site's public address."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "petition public API",
            "version": "1.0.0",
            "description": "What the public pages show, as JSON: campaigns (demands), their "
            "count history, pledges and candidates' answers. No supporter's personal data. "
            "GET only; any origin may read it. Operations marked with the organizerKey "
            "security scheme are an organizer's own: their campaigns' signatures and paper "
            "signatures, with an API key sent as Authorization: Bearer.",
        },
        "servers": [{"url": current_app.config["PETITION_BASE_URL"]}],
        "paths": {**PATHS, **keyed.PATHS},
        "components": {"schemas": SCHEMAS, "securitySchemes": keyed.SECURITY_SCHEMES},
    }
