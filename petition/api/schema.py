"""Helpers that write the OpenAPI document's JSON Schemas briefly."""

from typing import Any

JSON = dict[str, Any]


def ref(name: str) -> JSON:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: JSON) -> JSON:
    return {"oneOf": [schema, {"type": "null"}]}


def obj(properties: JSON, required: list[str] | None = None) -> JSON:
    """A closed object: every property listed, all required unless said otherwise."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
    }


STRING = {"type": "string"}
URL = {"type": "string", "format": "uri"}
MOMENT = {"type": "string", "format": "date-time"}
COUNT = {"type": "integer", "minimum": 0}
DATE = {"type": "string", "format": "date"}
