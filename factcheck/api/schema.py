"""OpenAPI pieces shared by every endpoint: the error shape and its responses."""

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer(
    "Error",
    fields={
        "status": serializers.IntegerField(),
        "code": serializers.CharField(help_text="Machine-readable, e.g. invalid, not_found, "
                                                "throttled, transition_not_allowed."),
        "detail": serializers.CharField(),
        "fields": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()), required=False,
            help_text='Inputs at fault by path, e.g. "attributions[1].role".',
        ),
        "allowed": serializers.ListField(child=serializers.CharField(), required=False,
                                         help_text="409: the statuses the claim may move to."),
        "current_status": serializers.CharField(required=False),
        "current_version": serializers.IntegerField(required=False,
                                                    help_text="412: the claim's version now."),
        "retry_after": serializers.IntegerField(required=False,
                                                help_text="429: seconds to wait."),
    },
)

_DESCRIPTIONS = {
    400: "Invalid input; `fields` names each input at fault.",
    401: "No key or session, or an unknown or revoked key.",
    403: "The key's scope or the account's permissions do not allow this.",
    404: "No such object among those the caller may see.",
    409: "The workflow forbids this status change; `allowed` lists what it allows.",
    412: "Stale version: the claim changed since the version you sent.",
    413: "The body is over the size limit.",
    415: "Only application/json bodies are accepted.",
    428: "An update must say which version it edits (If-Match or `version`).",
    429: "Over the key's rate; retry after the Retry-After header's seconds.",
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(ErrorSerializer, description=_DESCRIPTIONS[code])
            for code in codes}


# --- postprocessing hooks: what the generated document must say besides the fields ---
#
# Each states in the schema a rule the server keeps for every endpoint, so that
# clients and tests/test_api_schemathesis.py read the same contract.

_NO_NUL = "^[^\\u0000]*$"
# A required text is trimmed before it is checked (DRF's CharField): spaces alone
# are blank, so the schema asks for one character that is neither NUL nor space.
_NO_NUL_NOT_BLANK = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
_DATE_FORMATS = {"date", "date-time"}


def _query_parameters(result: dict):
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    yield parameter


def _plain_strings(node, seen_refs: set[str], components: dict):
    """Every string schema below `node` with no pattern, enum or format of its own."""
    if isinstance(node, list):
        for item in node:
            yield from _plain_strings(item, seen_refs, components)
        return
    if not isinstance(node, dict):
        return
    ref = node.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        if name not in seen_refs and name in components:
            seen_refs.add(name)
            yield from _plain_strings(components[name], seen_refs, components)
        return
    if node.get("type") == "string" and not {"pattern", "enum", "format"} & node.keys():
        yield node
    for key, value in node.items():
        if key in ("properties", "items", "allOf", "anyOf", "oneOf", "additionalProperties"):
            yield from _plain_strings(
                list(value.values()) if key == "properties" else value, seen_refs, components)


def refuse_nul(result: dict, generator, request, public) -> dict:
    """NUL (U+0000) cannot be stored as text: the JSON parser and the query middleware
    refuse it with a 400 (factcheck/api/parsers.py, middleware.py). Say so in every
    free-text input: request bodies and query parameters."""
    components = result.get("components", {}).get("schemas", {})
    seen: set[str] = set()
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            for media in operation.get("requestBody", {}).get("content", {}).values():
                for string in _plain_strings(media.get("schema", {}), seen, components):
                    string["pattern"] = (_NO_NUL_NOT_BLANK if string.get("minLength", 0) >= 1
                                         else _NO_NUL)
    for parameter in _query_parameters(result):
        schema = parameter.get("schema", {})
        for string in _plain_strings(schema, set(), {}):
            string["pattern"] = _NO_NUL
    return result


# Sent empty, these are refused (400), not ignored: factcheck/api/pagination.py,
# similarity/api/views.py.
_EMPTY_REFUSED = {"page_size", "limit"}


def empty_filters_mean_no_bound(result: dict, generator, request, public) -> dict:
    """A filter sent empty (`?date_from=`, `?source=`: an HTML form's empty field) is
    no filter, as django-filter and the reports' form take it, not a 400: the schema
    allows the empty value next to the date, number or boolean."""
    for parameter in _query_parameters(result):
        schema = parameter.get("schema", {})
        typed = schema.get("type") in ("integer", "number", "boolean") or (
            schema.get("type") == "string" and schema.get("format") in _DATE_FORMATS)
        if typed and parameter.get("name") not in _EMPTY_REFUSED:
            parameter["schema"] = {"anyOf": [schema, {"type": "string", "enum": [""]}]}
    return result


def link_created_and_listed_rows(result: dict, generator, request, public) -> dict:
    """OpenAPI links: what a client does next with a row it created or listed.

    A 200/201 answer to POST `/x/` that carries an `id` leads to every operation
    under `/x/{id}/` with that id; a list page leads there with its first row's.
    Stateful testing (schemathesis) follows them; so can a client generator.
    """
    paths = result.get("paths", {})
    for path, path_item in paths.items():
        below = [(p, method, op) for p, item in paths.items()
                 if p.startswith(f"{path}{{id}}/") for method, op in item.items()]
        if not below:
            continue
        for method, operation in path_item.items():
            if method == "post":
                codes, pointer = ("201", "200"), "$response.body#/id"
            elif method == "get":
                codes, pointer = ("200",), "$response.body#/results/0/id"
            else:
                continue
            for code in codes:
                response = operation.get("responses", {}).get(code)
                if response is None or "content" not in response:
                    continue
                response["links"] = {
                    f"{target['operationId']}": {
                        "operationId": target["operationId"],
                        "parameters": {"path.id": pointer},
                    }
                    for _, _, target in below if "operationId" in target
                }
    return result
