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
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from .factories import UserFactory

FUZZ_EXAMPLES_PER_OPERATION = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))
# Fixed unless SCHEMATHESIS_EXPLORE is set: the same run with or without CI set.
FIXED_EXAMPLES = not os.environ.get("SCHEMATHESIS_EXPLORE")
STATEFUL_SCENARIOS = int(os.environ.get("SCHEMATHESIS_SCENARIOS", "20"))
# Rules OpenAPI 3.0 cannot state, as the 400 the server answers names them: (field,
# words of the message). A schema-valid request refused for one of these, and only
# these, is not a disagreement; any other 400 to schema-valid input fails the run.
INEXPRESSIBLE = [
    # A BCP-47 tag's language subtag must be in the IANA registry (a pattern can
    # give the shape, not the registry).
    ("language", "is not a valid BCP-47 language code"),
    # The importer reads az, ru, ko, en and uk in any spelling its normaliser takes
    # ("EN", "ko-KR"), and detects the language when none is given: text in another
    # language ("fr", given or detected) is refused for what it is, not for its shape.
    ("language", "is not supported; use one of"),
    # A URL's host must be a real host name or address (Django's URLValidator).
    ("url", "Enter a valid URL"),
    ("url", "Only http and https URLs"),
    ("url", "Refused: Only http and https URLs"),
    ("link", "Only http and https URLs"),
    # An update's body `version` must agree with its If-Match header (body and header).
    ("version", "Differs from the If-Match header"),
    # A range's end may not come before its start (a rule across two parameters).
    ("date_to", "before its start"),
    # Extraction needs `text`, `url` or both (needs anyOf over required members).
    ("text", "Send `text`, `url`, or both"),
    # An attribution names its source one way: an id or an alias (exactly one of two).
    ("source", "Give exactly one of"),
    # An attribution names a source on file or proposes one (one of two members).
    ("source", "Give a source on file"),
    # A snapshot holds the unfiltered figures: not combinable with filters.
    ("snapshot", "drop the filters to read it"),
    # A cursor is an opaque token the server made; a made-up one is refused.
    ("cursor", "Invalid cursor"),
    # Text must hold letters of some script (the embedding model reads words).
    ("text", "has no letters in any script"),
    # Ids in a body must name rows that exist (valid input about nothing).
    ("source", "No source with id"),
    ("source", "object does not exist"),
    ("outlet", "No source with id"),
    ("source_alias", "No source is known as"),
    ("link", "object does not exist"),
    # Accepted proposals need a claimant among their attributions (OpenAPI 3.0 has
    # no `contains`).
    ("attributions", "No claimant"),
]


def _refused_for_an_inexpressible_rule(response) -> bool:
    if response.status_code not in (400, 422):
        return False
    try:
        body = json.loads(response.content)
    except ValueError:
        return False
    if response.status_code == 422 and body.get("code") == "fetch_failed":
        return True  # valid input; the page at the address could not be fetched (no DNS here)
    if body.get("code") == "parse_error" and "contains a NUL character" in body.get("detail", ""):
        # NUL anywhere in a body, extra properties' names included: the schema can say it
        # of the strings it describes (it does), not of names it leaves open.
        return True
    fields = body.get("fields") or {}
    return bool(fields) and all(
        any(name.endswith(field) and any(words in message for message in messages)
            for field, words in INEXPRESSIBLE)
        for name, messages in fields.items())


def positive_data_accepted(ctx, response, case):
    """positive_data_acceptance, less the rules listed in INEXPRESSIBLE."""
    if _refused_for_an_inexpressible_rule(response):
        return None
    return positive_data_acceptance(ctx, response, case)


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance,
          negative_data_rejection, positive_data_accepted]


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
# Refusals of invalid input: a 4xx that says why, including a body or address over
# the server's size limits (413, 414) and a media type it does not read (415).
schema.config.checks.negative_data_rejection.expected_statuses = [
    "400", "401", "403", "404", "405", "406", "409", "412", "413", "414", "415", "422",
    "428", "429"]


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
# The examples are fixed, so a red run is the code's fault and reproduces;
# SCHEMATHESIS_EXPLORE=1 explores new inputs on each run.
@settings(max_examples=FUZZ_EXAMPLES_PER_OPERATION, deadline=None,
          derandomize=FIXED_EXAMPLES, suppress_health_check=list(HealthCheck))
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
        derandomize=FIXED_EXAMPLES, suppress_health_check=list(HealthCheck)))


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
