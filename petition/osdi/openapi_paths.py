"""OpenAPI 3.1 ``paths`` for the keyed organizer endpoints, to merge into /api/v1/openapi.json.

The public document adds them with ``document["paths"].update(PATHS)`` and
``document["components"]["securitySchemes"].update(SECURITY_SCHEMES)``.
tests/test_osdi_openapi.py checks every keyed route of the app is described here.
"""

from typing import Any

SECURITY_SCHEMES: dict[str, Any] = {
    "organizerKey": {
        "type": "http",
        "scheme": "bearer",
        "description": "An organizer API key (ptn_...), made on the account page.",
    },
}
_KEYED = [{"organizerKey": []}]
_SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
# RFC 9457 problem details, as every error under /api/ (petition.errors.problem_response).
_ERROR = {
    "description": "An error",
    "content": {
        "application/problem+json": {
            "schema": {
                "type": "object",
                "required": ["title", "status", "detail"],
                "properties": {
                    "type": {"type": "string"},
                    "title": {"type": "string"},
                    "status": {"type": "integer"},
                    "detail": {"type": "string"},
                    "fields": {"type": "object"},
                },
            }
        }
    },
}
_REFUSALS = {
    "401": {**_ERROR, "description": "No key, or a malformed, unknown or revoked one"},
    "404": {**_ERROR, "description": "No such campaign among the key holder's own"},
    "429": {**_ERROR, "description": "Too many failed key attempts from this address"},
}
_NULLABLE_TEXT = {"type": ["string", "null"]}
_SIGNATURE = {
    "type": "object",
    "required": ["id", "name", "zip_code", "comment", "source", "confirmed_at", "email"],
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "zip_code": _NULLABLE_TEXT,
        "comment": _NULLABLE_TEXT,
        "source": {"type": "string", "enum": ["online", "paper", "osdi"]},
        "confirmed_at": {"type": "string", "format": "date-time"},
        "email": {
            **_NULLABLE_TEXT,
            "description": "Only for signers who opted in to updates and have not unsubscribed",
        },
    },
}
_PAPER = {
    "type": "object",
    "required": ["id", "name", "zip_code", "comment", "reference", "recorded_at"],
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "zip_code": _NULLABLE_TEXT,
        "comment": _NULLABLE_TEXT,
        "reference": _NULLABLE_TEXT,
        "recorded_at": {"type": "string", "format": "date-time"},
    },
}
_NEW_SIGNATURE = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "maxLength": 100},
        "email": {
            "type": "string",
            "description": "With it, the person confirms by email; without it, the signature "
            "counts in the separate paper tally",
        },
        "zip_code": {"type": "string", "pattern": "^[0-9]{5}$"},
        "comment": {"type": "string", "maxLength": 500},
        "wants_updates": {"type": "boolean"},
        "show_publicly": {"type": "boolean"},
        "reference": {
            "type": "string",
            "maxLength": 100,
            "description": "Your reference for a paper entry without email (sheet and line): "
            "sent again, it is not counted again",
        },
    },
}
_HAL = {"application/hal+json": {"schema": {"type": "object"}}}

PATHS: dict[str, Any] = {
    "/api/v1/campaigns/{slug}/signatures": {
        "get": {
            "summary": "A campaign's confirmed signatures, oldest first (organizer key)",
            "security": _KEYED,
            "parameters": [
                _SLUG,
                {"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                {
                    "name": "limit",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 200},
                },
            ],
            "responses": {
                "200": {
                    "description": "One page; follow 'next' for the following one",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": [
                                    "campaign",
                                    "signature_count",
                                    "paper_signature_count",
                                    "signatures",
                                    "next",
                                ],
                                "properties": {
                                    "campaign": {"type": "string"},
                                    "signature_count": {"type": "integer"},
                                    "paper_signature_count": {"type": "integer"},
                                    "signatures": {"type": "array", "items": _SIGNATURE},
                                    "next": _NULLABLE_TEXT,
                                },
                            }
                        }
                    },
                },
                "400": {**_ERROR, "description": "A bad 'after' or 'limit'"},
                **_REFUSALS,
            },
        },
        "post": {
            "summary": "Record a signature collected on paper (organizer key)",
            "security": _KEYED,
            "parameters": [_SLUG],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _NEW_SIGNATURE}},
            },
            "responses": {
                "200": {"description": "This reference was recorded before: not counted again"},
                "201": {"description": "Counted in the paper tally (no email given)"},
                "202": {"description": "A confirmation email went out (email given)"},
                "409": {**_ERROR, "description": "The campaign takes no signatures now"},
                "422": {**_ERROR, "description": "The signature has errors, named in 'fields'"},
                **_REFUSALS,
            },
        },
    },
    "/api/v1/campaigns/{slug}/paper-signatures": {
        "get": {
            "summary": "The entries behind a campaign's paper tally, oldest first (organizer key)",
            "security": _KEYED,
            "parameters": [
                _SLUG,
                {"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                {
                    "name": "limit",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 200},
                },
            ],
            "responses": {
                "200": {
                    "description": "One page; follow 'next' for the following one",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": [
                                    "campaign",
                                    "paper_signature_count",
                                    "paper_signatures",
                                    "next",
                                ],
                                "properties": {
                                    "campaign": {"type": "string"},
                                    "paper_signature_count": {"type": "integer"},
                                    "paper_signatures": {"type": "array", "items": _PAPER},
                                    "next": _NULLABLE_TEXT,
                                },
                            }
                        }
                    },
                },
                "400": {**_ERROR, "description": "A bad 'after' or 'limit'"},
                **_REFUSALS,
            },
        },
    },
    "/api/osdi/v1/": {
        "get": {
            "summary": "OSDI entry point (HAL+JSON)",
            "security": _KEYED,
            "responses": {"200": {"description": "Links", "content": _HAL}, **_REFUSALS},
        }
    },
    "/api/osdi/v1/petitions": {
        "get": {
            "summary": "OSDI: the key holder's campaigns as petitions",
            "security": _KEYED,
            "responses": {"200": {"description": "A page", "content": _HAL}, **_REFUSALS},
        }
    },
    "/api/osdi/v1/petitions/{slug}": {
        "get": {
            "summary": "OSDI: one petition",
            "security": _KEYED,
            "parameters": [_SLUG],
            "responses": {"200": {"description": "The petition", "content": _HAL}, **_REFUSALS},
        }
    },
    "/api/osdi/v1/petitions/{slug}/signatures": {
        "get": {
            "summary": "OSDI: a petition's confirmed signatures",
            "security": _KEYED,
            "parameters": [_SLUG],
            "responses": {"200": {"description": "A page", "content": _HAL}, **_REFUSALS},
        }
    },
    "/api/osdi/v1/petitions/{slug}/signatures/{signature_id}": {
        "get": {
            "summary": "OSDI: one signature",
            "security": _KEYED,
            "parameters": [
                _SLUG,
                {
                    "name": "signature_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer"},
                },
            ],
            "responses": {"200": {"description": "The signature", "content": _HAL}, **_REFUSALS},
        }
    },
    "/api/osdi/v1/petitions/{slug}/signatures/record_signature_helper": {
        "post": {
            "summary": "OSDI record signature helper: signs through email confirmation",
            "security": _KEYED,
            "parameters": [_SLUG],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {}}}},
            "responses": {
                "202": {"description": "A confirmation email went out", "content": _HAL},
                "409": {**_ERROR, "description": "The petition takes no signatures now"},
                "422": {**_ERROR, "description": "The person has errors, named in 'fields'"},
                **_REFUSALS,
            },
        }
    },
    "/api/osdi/v1/people": {
        "get": {
            "summary": "OSDI: people who signed the key holder's campaigns (one per signature)",
            "security": _KEYED,
            "responses": {"200": {"description": "A page", "content": _HAL}, **_REFUSALS},
        }
    },
    "/api/osdi/v1/people/{person_id}": {
        "get": {
            "summary": "OSDI: one person",
            "security": _KEYED,
            "parameters": [
                {"name": "person_id", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
            "responses": {"200": {"description": "The person", "content": _HAL}, **_REFUSALS},
        }
    },
}
