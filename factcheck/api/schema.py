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
