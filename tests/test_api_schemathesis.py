"""Property-based tests over the live OpenAPI schema: schema and server agree.

Schemathesis generates requests from the document /api/schema/ serves and sends
them as a write key, in every phase it has:

- examples: the schema's own examples;
- coverage: every boundary the schema states, each side of it (lengths, bounds,
  enums, required fields and headers, NUL, empty values, wrong types, other methods);
- fuzzing: random valid and invalid inputs;
- stateful: sequences that follow the schema's OpenAPI links (create a claim, then
  read, edit with its version, move its status, ask for its ClaimReview...).

Every response must be a non-5xx the schema describes (status code, content type,
headers, body), input the schema calls invalid must be refused with a 4xx
(`negative_data_rejection`), and input it calls valid must not be a 400/422
(`positive_data_acceptance`; 404/409/412 remain: an id that does not exist or a
move the workflow forbids is valid input about the wrong thing).

The requests go to the WSGI application in-process, inside a transaction rolled
back after each operation: the whole run, a few thousand requests, stays within
a couple of minutes on a busy machine; tests/test_api_blackbox.py drives a real
server over HTTP.
"""

import json
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
from schemathesis.specs.openapi.checks import negative_data_rejection

from .factories import UserFactory

FUZZ_EXAMPLES_PER_OPERATION = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))
STATEFUL_SCENARIOS = int(os.environ.get("SCHEMATHESIS_SCENARIOS", "20"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance,
          negative_data_rejection]


def _schema() -> dict:
    """The document /api/schema/ serves, generated the same way, at collection time."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document, renderer_context={}))


schema = schemathesis.openapi.from_dict(_schema())
schema.config.phases.update(phases=os.environ.get(
    "SCHEMATHESIS_PHASES", "examples,coverage,fuzzing,stateful").split(","))
# Valid input about the wrong thing: no such id, a workflow move not allowed, a stale
# version. Input errors (400, 422) are not in this list.
schema.config.checks.positive_data_acceptance.expected_statuses = [
    "2xx", "404", "409", "412", "429"]


@pytest.fixture
def editor_key(db):
    from newsrooms.keys import issue_key

    user = UserFactory(username="schemathesis", is_staff=True, is_superuser=True)
    return issue_key("Schemathesis", scope="write", user=user, rate_per_minute=1_000_000)[1]


@pytest.fixture
def seeded(editor_key):
    """A few real rows, so some generated ids and aliases hit something."""
    from .api_data import kcna, reviewed_claim
    from .factories import ClaimFactory

    source = kcna()
    for _ in range(3):
        ClaimFactory(published=True)
    reviewed_claim(UserFactory(username="reviewer", is_superuser=True), source=source)


@pytest.fixture
def app(db, seeded):
    """The WSGI application, answering inside this test's transaction.

    Django closes the database connection at the end of each request; here that
    would end the test's transaction, so (as django.test.Client does) not here.
    """
    from django.core.signals import request_finished, request_started
    from django.db import DatabaseError, close_old_connections, transaction

    from factcheck.wsgi import application

    def one_request_one_savepoint(environ, start_response):
        # A server commits or rolls back each request on its own; here a request
        # whose statement failed (and was answered with a 4xx) must not leave the
        # shared transaction aborted for the next one.
        point = transaction.savepoint()
        try:
            return list(application(environ, start_response))
        finally:
            try:
                transaction.savepoint_commit(point)
            except DatabaseError:
                transaction.savepoint_rollback(point)
                transaction.set_rollback(False)

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield one_request_one_savepoint
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
# On CI the examples are fixed, so a red run is the code's fault and reproduces;
# locally each run explores new inputs.
@settings(max_examples=FUZZ_EXAMPLES_PER_OPERATION, deadline=None,
          derandomize=bool(os.environ.get("CI")), suppress_health_check=list(HealthCheck))
def test_every_operation_answers_within_its_schema_and_never_with_a_5xx(
        case, app, editor_key):
    case.call_and_validate(app=app, checks=CHECKS,
                           headers={"Authorization": f"Bearer {editor_key}"})


def test_sequences_along_the_schema_links_stay_within_the_schema(app, editor_key):
    machine = schema.as_state_machine()
    headers = {"Authorization": f"Bearer {editor_key}"}

    class Newsroom(machine):
        def get_call_kwargs(self, case):
            return {"app": app, "headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)

    Newsroom.run(settings=settings(
        max_examples=STATEFUL_SCENARIOS, stateful_step_count=6, deadline=None,
        derandomize=bool(os.environ.get("CI")), suppress_health_check=list(HealthCheck)))


def test_the_schema_links_what_a_client_does_next():
    """Stateful testing needs links: a created claim leads to its edits, status, review."""
    links = _schema()["paths"]["/api/v1/claims/"]["post"]["responses"]["201"]["links"]
    targets = {link["operationId"] for link in links.values()}
    assert {"v1_claims_retrieve", "v1_claims_partial_update", "v1_claims_update",
            "v1_claims_status_create", "v1_claims_claimreview_retrieve"} <= targets


@pytest.mark.django_db
def test_the_schema_under_test_is_the_one_served(api_client):
    served = api_client().get("/api/schema/?format=json").json()
    assert served == _schema()
