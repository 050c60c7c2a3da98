"""Property-based tests over the live OpenAPI schema.

Schemathesis generates requests from /api/schema/ (valid and invalid ones) and
sends them to a live server as a write key. Every response must be a non-5xx
that the schema describes: status code, content type, headers and body.
Examples per operation are bounded so the whole run stays within a few minutes.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .factories import UserFactory

EXAMPLES_PER_OPERATION = 30
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]


@pytest.fixture
def seeded(live_server, editor_key):
    """A few real rows, so some generated ids and aliases hit something."""
    from .api_data import kcna, reviewed_claim
    from .factories import ClaimFactory

    source = kcna()
    for _ in range(3):
        ClaimFactory(published=True)
    reviewed_claim(UserFactory(username="reviewer", is_superuser=True), source=source)


@pytest.fixture
def editor_key(db):
    from newsrooms.keys import issue_key

    # A superuser, not the editors group: this test's database is flushed, not
    # rolled back, and the group rows from the data migration may be gone.
    user = UserFactory(username="schemathesis", is_staff=True, is_superuser=True)
    return issue_key("Schemathesis", scope="write", user=user, rate_per_minute=100_000)[1]


def _schema() -> dict:
    """The document /api/schema/ serves, generated the same way, at collection time."""
    import json

    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document, renderer_context={}))


schema = schemathesis.openapi.from_dict(_schema())
# Valid and invalid inputs, from the explicit examples and random generation; the
# exhaustive boundary-value ("coverage") phase alone takes minutes per list
# endpoint with a dozen filters, so tests/test_api_errors.py covers those cases.
schema.config.phases.update(phases=["examples", "fuzzing"])


@schema.parametrize()
# On CI the examples are fixed, so a red run is the code's fault and reproduces;
# locally each run explores new inputs.
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None,
          derandomize=bool(os.environ.get("CI")),
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_within_its_schema_and_never_with_a_5xx(
        case, live_server, editor_key, seeded):
    case.call_and_validate(base_url=live_server.url, checks=CHECKS,
                           headers={"Authorization": f"Bearer {editor_key}"})


@pytest.mark.django_db
def test_the_schema_under_test_is_the_one_served(api_client):
    served = api_client().get("/api/schema/?format=json").json()
    assert served == _schema()
