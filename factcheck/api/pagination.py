from base64 import b64decode
from urllib.parse import parse_qs

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from . import sync

MAX_PAGE_SIZE = 200


class Cursor(CursorPagination):
    """Opaque cursors: stable while rows are inserted, no COUNT(*), no deep OFFSET."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = ("-updated_at", "-id")

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 9 or int(raw) < 1:
            raise ValidationError(
                {"page_size": [f"A whole number from 1 to {self.max_page_size}."]}
            )
        # Over the maximum is clamped, as documented, rather than refused.
        return min(int(raw), self.max_page_size)

    def get_ordering(self, request, queryset, view):
        if getattr(request, "sync_until", None) is not None:
            # A sync feed runs oldest first: rows committed while a client pages
            # land after its cursor, never behind it.
            return ("updated_at", "id")
        return super().get_ordering(request, queryset, view)

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if not encoded:
            # No cursor, or an empty one (`cursor=`, as an empty filter is no filter).
            return None
        if encoded is not None:
            # DRF takes any base64 without a position ("AAAA") as the first page;
            # a cursor we did not make is the client's error, said as one.
            try:
                tokens = parse_qs(b64decode(encoded.encode("ascii"), validate=True)
                                  .decode("ascii"), keep_blank_values=True)
            except (ValueError, UnicodeError):
                tokens = {}
            if not tokens.keys() & {"o", "r", "p"}:
                raise ValidationError({"cursor": ["Invalid cursor."]})
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError({"cursor": ["Invalid cursor."]}) from None

    def paginate_queryset(self, queryset, request, view=None):
        tombstones = getattr(view, "sync_tombstones", None)
        if getattr(request, "sync_until", None) is not None and tombstones is not None:
            return self._paginate_with_tombstones(queryset, tombstones(), request)
        try:
            return super().paginate_queryset(queryset, request, view)
        except (DjangoValidationError, DataError, ValueError, TypeError, OverflowError):
            # A cursor is base64 the client can edit; a doctored position must
            # not reach the database as a 500.
            raise ValidationError({"cursor": ["Invalid cursor."]}) from None

    def _paginate_with_tombstones(self, queryset, tombstones, request) -> list:
        """The sync feed with tombstones merged in (factcheck/api/sync.py); entries are
        (LIVE, row) or (TOMB, tombstone) pairs, for the view to render."""
        self.request = request
        self.page_size = self.get_page_size(request)
        raw = request.query_params.get(self.cursor_query_param)
        position = sync.Position.decode(raw) if raw else None
        tombstones = tombstones.filter(at__gte=request.sync_since, at__lt=request.sync_until)
        page, following = sync.merged_page(
            queryset, tombstones, position, self.page_size,
            lambda row: (row["updated_at"], row["id"]) if isinstance(row, dict)
            else (row.updated_at, row.pk))
        self._sync_next = following
        return page

    def get_next_link(self):
        if not hasattr(self, "_sync_next"):
            return super().get_next_link()
        if self._sync_next is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param,
                                   self._sync_next.encode())

    def get_previous_link(self):
        # A sync feed is read forwards only.
        return None if hasattr(self, "_sync_next") else super().get_previous_link()

    def get_paginated_response(self, data) -> Response:
        until = getattr(self.request, "sync_until", None)
        return Response({
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "sync_until": until.isoformat() if until else None,
            "results": data,
        })

    def get_schema_operation_parameters(self, view) -> list[dict]:
        """page_size as the server takes it: 1 and up (above the maximum is clamped)."""
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": 999_999_999}
                parameter["description"] = (
                    f"Results per page, 1 and up; more than {self.max_page_size} gives "
                    f"{self.max_page_size}. Default {self.page_size}.")
        return parameters

    def get_paginated_response_schema(self, schema: dict) -> dict:
        out = super().get_paginated_response_schema(schema)
        out["properties"]["sync_until"] = {
            "type": "string", "format": "date-time", "nullable": True,
            "description": (
                "With `updated_since`: every change before this instant is in these pages. "
                "Use it as the next poll's `updated_since`."
            ),
        }
        out["required"] = ["results"]
        return out
