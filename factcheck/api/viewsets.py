"""The base every /api/v1/ viewset builds on."""

import re

from django.db.models import QuerySet
from django.utils.http import http_date
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from .errors import PreconditionRequired

_ETAG_VERSION = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')


class VisibleRowsViewSet(viewsets.GenericViewSet):
    """A viewset whose every queryset, lists included, is cut to what the caller may see.

    Subclasses implement `visible_queryset()`; `get_queryset()` is final here so
    no action can reach rows the caller may not see by forgetting a filter.
    """

    def visible_queryset(self) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        return self.visible_queryset()

    def set_last_modified(self, response, when) -> None:
        if when is not None:
            response["Last-Modified"] = http_date(when.timestamp())


def expected_version(request: Request, body_version: int | None) -> int:
    """The version a writer edited: If-Match ("3", W/"3" or 3) or the `version` field.

    If both are sent they must agree. Neither: 428, because an update that
    does not say what it changed cannot be checked for lost updates.
    """
    header = request.headers.get("If-Match")
    from_header = None
    if header is not None:
        match = _ETAG_VERSION.match(header)
        if not match:
            raise ValidationError({"If-Match": ['Send the claim version, e.g. If-Match: "3".']})
        from_header = int(match.group(1))
    if from_header is not None and body_version is not None and from_header != body_version:
        raise ValidationError({"version": ["Differs from the If-Match header."]})
    version = from_header if from_header is not None else body_version
    if version is None:
        raise PreconditionRequired()
    return version
