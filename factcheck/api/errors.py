"""One JSON shape for every API error.

    {"status": 400, "code": "invalid", "detail": "…",
     "fields": {"attributions[1].role": ["…"]}}

`fields` names each input at fault with the same paths the domain functions
use ("quantity.lower", "evidence[0].url"), so a client can point at them.
Some errors add members: `allowed` (409 workflow), `current_version` (412),
`retry_after` (429).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback


class ApiError(exceptions.APIException):
    """An error with members beyond the common ones (see the module docstring).

    Endpoint modules turn their domain's exceptions into these, so this
    plumbing knows no domain.
    """

    def __init__(self, status_code: int, code: str, detail: str, **extra: Any) -> None:
        self.status_code = status_code
        self.extra = extra
        super().__init__(detail, code)


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = (
        "Send the version you edited: an If-Match header (If-Match: \"3\") or a `version` field."
    )
    default_code = "version_required"


def flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure as {"a.b[0].c": ["message", ...]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            if isinstance(key, int):  # DRF keys a list's item errors by index
                name = f"{prefix}[{key}]"
            else:
                name = str(key) if not prefix else f"{prefix}.{key}"
            out.update(flatten(value, name))
    elif isinstance(detail, list) and any(isinstance(v, dict | list) for v in detail):
        for i, value in enumerate(detail):
            if value:
                out.update(flatten(value, f"{prefix}[{i}]"))
    elif isinstance(detail, list):
        out[prefix or "non_field_errors"] = [str(v) for v in detail]
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


def _codes(detail: Any) -> set[str]:
    if isinstance(detail, dict):
        return set().union(*(_codes(v) for v in detail.values())) if detail else set()
    if isinstance(detail, list):
        return set().union(*(_codes(v) for v in detail)) if detail else set()
    return {getattr(detail, "code", "invalid")}


def body(status_code: int, code: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {"status": status_code, "code": code, "detail": detail, **extra}


def _django_validation(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(
            {k: [str(m) for m in v.messages] if hasattr(v, "messages") else
             [m for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        )
    return exceptions.ValidationError({"non_field_errors": exc.messages})


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, ApiError):
        set_rollback()
        return Response(body(exc.status_code, exc.detail.code, str(exc.detail), **exc.extra),
                        status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = _django_validation(exc)
    elif isinstance(exc, DataError):
        # A value the serializers let through but the column cannot hold: the
        # client's fault, not a server error.
        exc = exceptions.ValidationError({"non_field_errors": [
            "A value is out of range for the database (too large, or an invalid character)."
        ]})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
    code = next(iter(_codes(detail)), "error") if isinstance(detail, dict | list) else \
        getattr(detail, "code", "error")
    if isinstance(exc, exceptions.ValidationError):
        fields = flatten(detail)
        extra = {"fields": fields}
        message = "Check the fields named in `fields`." if fields else "Invalid input."
        code = "invalid"
    else:
        extra = {}
        message = str(detail)
    if isinstance(exc, exceptions.Throttled):
        extra["retry_after"] = int(exc.wait or 1)
    response.data = body(response.status_code, code, message, **extra)
    return response


def json_error(status_code: int, code: str, detail: str, **extra: Any) -> JsonResponse:
    return JsonResponse(body(status_code, code, detail, **extra), status=status_code)
