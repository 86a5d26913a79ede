"""The keyed endpoints' OpenAPI paths: every route described, every answer conforming."""

import re

import jsonschema
import pytest

from petition.osdi.openapi_paths import PATHS

from .fixtures_api import bearer


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z_]+:)?([a-z_]+)>", r"{\1}", rule)


def test_every_keyed_route_and_method_is_described(app):
    in_app = {
        (_openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("organizer_api.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    described = {(path, method) for path, item in PATHS.items() for method in item}
    assert in_app == described


def _schema(path: str, method: str, status: int) -> dict:
    content = PATHS[path][method]["responses"][str(status)]["content"]
    return next(iter(content.values()))["schema"]


@pytest.fixture
def keyed(app, make_user, make_owned_campaign, make_api_key, add_signature):
    owner = make_user()
    campaign = make_owned_campaign(owner)
    add_signature(campaign, name="Opted In", wants_updates=True, comment="Yes")
    add_signature(campaign, name="Private Person", zip_code=None)
    return campaign, bearer(make_api_key(owner)), app.test_client()


def test_the_signature_list_conforms_to_its_schema(keyed):
    campaign, headers, script = keyed
    path = "/api/v1/campaigns/{slug}/signatures"

    response = script.get(f"/api/v1/campaigns/{campaign.slug}/signatures?limit=1", headers=headers)

    jsonschema.validate(response.json, _schema(path, "get", 200))


@pytest.mark.parametrize(
    ("request_path", "status"),
    [
        ("/api/v1/campaigns/{slug}/signatures?limit=0", 400),
        ("/api/v1/campaigns/nobody-runs-this/signatures", 404),
    ],
)
def test_errors_conform_to_their_schema(keyed, request_path, status):
    campaign, headers, script = keyed
    response = script.get(request_path.format(slug=campaign.slug), headers=headers)
    assert response.status_code == status
    jsonschema.validate(
        response.json, _schema("/api/v1/campaigns/{slug}/signatures", "get", status)
    )


def test_paper_entries_conform_to_their_schema(keyed):
    campaign, headers, script = keyed
    script.post(
        f"/api/v1/campaigns/{campaign.slug}/signatures",
        json={"name": "Paper Person", "zip_code": "70112"},
        headers=headers,
    )

    response = script.get(f"/api/v1/campaigns/{campaign.slug}/paper-signatures", headers=headers)

    assert len(response.json["paper_signatures"]) == 1
    jsonschema.validate(
        response.json, _schema("/api/v1/campaigns/{slug}/paper-signatures", "get", 200)
    )
