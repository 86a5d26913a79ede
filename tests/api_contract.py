"""Check API responses against the OpenAPI document the app serves.

OpenAPI 3.1 schemas are JSON Schema 2020-12, so jsonschema validates them as
they are; ``$ref``s into ``#/components`` resolve within the document.
"""

import re

from flask import Flask
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate as validate_openapi
from werkzeug.test import TestResponse

from petition.api import openapi


def document(app: Flask) -> dict:
    with app.test_request_context():
        return openapi.document()


def operation_for(doc: dict, path: str, method: str = "get") -> dict:
    """Return the documented operation whose path template matches ``path``."""
    for template, item in doc["paths"].items():
        pattern = re.sub(r"\{[^/]+\}", "[^/]+", template)
        if re.fullmatch(pattern, path):
            assert method in item, f"{method.upper()} {template} is not documented"
            return item[method]
    raise AssertionError(f"{path} is not documented")


def check(doc: dict, path: str, response: TestResponse, method: str = "get") -> None:
    """Fail unless the response's status, media type and body are what the document says."""
    responses = operation_for(doc, path.split("?")[0], method)["responses"]
    status = str(response.status_code)
    assert status in responses, f"{path} answered {status}, which is not documented"
    content = responses[status].get("content")
    if not content:
        assert not response.data, f"{path} {status} has a body the document does not describe"
        return
    assert response.mimetype in content, f"{path} {status} is {response.mimetype}"
    schema = content[response.mimetype].get("schema")
    if schema is None:
        return
    validator = Draft202012Validator(
        {**schema, "components": doc["components"]}, format_checker=FormatChecker()
    )
    errors = sorted(validator.iter_errors(response.get_json()), key=lambda e: list(e.path))
    assert not errors, f"{path} {status}: " + "; ".join(
        f"{list(e.path)}: {e.message}" for e in errors[:5]
    )


def check_document(doc: dict) -> None:
    """Fail unless the document itself is valid OpenAPI 3.1."""
    validate_openapi(doc)
