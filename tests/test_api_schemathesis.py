"""schemathesis explores the public API from its OpenAPI document, in-process (no network).

On SQLite and PostgreSQL, over demo-like data: no request gets a 5xx, and
every response conforms to the document (status, media type, body, headers).
Bounded: a few dozen examples per operation, well under a minute.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import negative_data_rejection

from .api_world import World, build_world

# pytest 9 and schemathesis' own pytest integration (from_fixture) disagree
# about node ids, so each operation's strategy is driven with Hypothesis here.
EXAMPLES_PER_OPERATION = 50


@pytest.fixture
def world(app, make_campaign, add_signature, make_pledge, make_user) -> World:
    return build_world(app, make_campaign, add_signature, make_pledge, make_user)


def test_the_api_never_fails_and_always_matches_its_document(app, world):
    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    known = ["end-cash-bail", "free-the-testville-two", "audit-elsewhere", "draft-demand"]
    known += [world.pledge_slug, world.hidden_pledge_slug]

    @loaded.hook
    def flatmap_path_parameters(context, path_parameters):
        # Half the time a slug that exists (public or not): random ones are all 404s.
        if not path_parameters or "slug" not in path_parameters:
            return st.just(path_parameters)
        return st.one_of(
            st.just(path_parameters),
            st.sampled_from(known).map(lambda slug: {**path_parameters, "slug": slug}),
        )

    operations = [result.ok() for result in loaded.get_all_operations()]
    assert {operation.path for operation in operations} >= {
        "/api/v1/campaigns",
        "/api/v1/campaigns/{slug}",
        "/api/v1/campaigns/{slug}/history",
        "/api/v1/pledges",
        "/api/v1/pledges/{slug}",
    }
    for operation in operations:
        strategy = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @given(case=strategy)
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def explore(case):
            # The API ignores query parameters it does not know, as web APIs do, and the
            # hook above swaps in real slugs: "invalid data accepted" would flag both. Bad
            # values of the parameters it knows are 400s, specified in test_api.py.
            case.call_and_validate(excluded_checks=[negative_data_rejection])

        explore()
