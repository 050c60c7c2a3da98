"""/api/v1/reports/: the report figures for newsroom keys, thin over the catalogue.

One endpoint per report, generated from `catalogue.REPORTS`, so each is
documented in the OpenAPI schema with its own columns. Read keys see figures
over published claims only (live, and the published half of a snapshot).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import MethodNotAllowed, NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from factcheck.api.schema import error_responses
from newsrooms.permissions import ApiAccess, api_key, sees_unpublished

from . import exports
from .catalogue import DATE, DATETIME, FLOAT, INT, NUM, REPORTS, Report
from .forms import ReportFilterForm
from .models import ReportSnapshot

FILTER_PARAMETERS = [
    OpenApiParameter("date_from", OpenApiTypes.DATE,
                     description="Claims created on or after this day (UTC); for verdicts per "
                                 "week and throughput, verdicts given on or after it."),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="… on or before this day."),
    OpenApiParameter("tag", OpenApiTypes.STR, description="Claims with this tag."),
    OpenApiParameter("language", OpenApiTypes.STR,
                     description="BCP-47 language; `ko` also matches `ko-KR`."),
    OpenApiParameter("source", {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
                     description="Claims attributed to this source id, in any role."),
    OpenApiParameter("snapshot", {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
                     description="Read a weekly snapshot (see /api/v1/reports/snapshots/) "
                                 "instead of live figures; not combinable with filters."),
]
# 404: a snapshot id that is not there.
ERRORS = error_responses(400, 401, 403, 404, 429)

_JSON_TYPES = {
    INT: {"type": "integer"}, FLOAT: {"type": "number"}, NUM: {"type": "number"},
    DATE: {"type": "string", "format": "date"}, DATETIME: {"type": "string",
                                                           "format": "date-time"},
}
_CONTEXT = {
    "generated_at": {"type": "string", "format": "date-time",
                     "description": "When the figures were computed (a snapshot's: when it "
                                    "was taken)."},
    "filters": {"type": "object", "additionalProperties": True},
    "snapshot": {"type": "object", "nullable": True,
                 "properties": {"id": {"type": "integer"},
                                "week": {"type": "string", "format": "date"}}},
}


def row_schema(report: Report) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            key: {**_JSON_TYPES.get(kind, {"type": "string"}), "nullable": kind != "string",
                  "description": heading}
            for key, heading, kind in report.columns
        },
    }


def report_schema(report: Report) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["report", "generated_at", "filters", "rows", "summary"],
        "properties": {
            "report": {"type": "string", "enum": [report.slug]},
            "title": {"type": "string"},
            **_CONTEXT,
            "rows": {"type": "array", "items": row_schema(report)},
            "summary": {"type": "object", "additionalProperties": True,
                        "description": "Totals the rows do not show (e.g. the whole count "
                                       "when the rows are the first N)."},
            "note": {"type": "string"},
        },
    }


def _filters(request: Request) -> ReportFilterForm:
    # Each filter takes one value; given twice, which one counts would be a guess.
    repeated = {name: ["Give this filter once."] for name in ReportFilterForm.base_fields
                if len(request.query_params.getlist(name)) > 1}
    if repeated:
        raise ValidationError(repeated)
    form = ReportFilterForm(request.query_params)
    if not form.is_valid() and [e.code for e in form.errors.as_data().get("snapshot", [])] == [
            "invalid_choice"]:
        # Valid input about something that is not there: no such snapshot.
        raise NotFound("No snapshot with this id (see /api/v1/reports/snapshots/).")
    if not form.is_valid():
        raise ValidationError({field: [e["message"] for e in errors]
                               for field, errors in form.errors.get_json_data().items()})
    return form


class ReadOnlyAccess(ApiAccess):
    """Any key or staff session may read; a write here is a 405, whoever asks."""

    def has_permission(self, request: Request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return super().has_permission(request, view)
        if api_key(request) is None and not request.user.is_authenticated:
            return False
        raise MethodNotAllowed(request.method)


class ReportView(APIView):
    """GET one report; `_view_for` makes one subclass per report."""

    permission_classes = [ReadOnlyAccess]
    report: Report

    def figures(self, request: Request) -> Response:
        built = _filters(request).figures(published_only=not sees_unpublished(request),
                                          only=[self.report.slug])
        return Response(exports.single(built, self.report.slug))


def _view_for(report: Report) -> type[ReportView]:
    # A function of its own per report: the schema decorator marks the function.
    @extend_schema(
        operation_id=f"reports_{report.slug.replace('-', '_')}", summary=report.title,
        description=report.description + " Read keys count published claims only.",
        tags=["reports"], parameters=FILTER_PARAMETERS,
        responses={200: OpenApiResponse(report_schema(report)), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        return self.figures(request)

    return type(f"{report.slug.title().replace('-', '')}ReportView", (ReportView,),
                {"report": report, "__doc__": report.description, "get": get})


REPORT_VIEWS = {slug: _view_for(report) for slug, report in REPORTS.items()}


class ReportIndexView(APIView):
    """What reports there are, with their columns."""

    permission_classes = [ReadOnlyAccess]

    @extend_schema(
        operation_id="reports_index", summary="The reports there are", tags=["reports"],
        responses={200: {"type": "object", "properties": {"reports": {"type": "array", "items": {
            "type": "object", "properties": {
                "report": {"type": "string"}, "title": {"type": "string"},
                "description": {"type": "string"}, "url": {"type": "string", "format": "uri"},
                "columns": {"type": "array", "items": {"type": "object", "properties": {
                    "key": {"type": "string"}, "heading": {"type": "string"},
                    "type": {"type": "string"}}}},
            }}}}}, **error_responses(401, 403, 429)},
    )
    def get(self, request: Request) -> Response:
        return Response({"reports": [
            {"report": r.slug, "title": r.title, "description": r.description,
             "url": request.build_absolute_uri(f"{r.slug}/"),
             "columns": [{"key": k, "heading": h, "type": t} for k, h, t in r.columns]}
            for r in REPORTS.values()
        ]})


class SnapshotOut(serializers.ModelSerializer):
    class Meta:
        model = ReportSnapshot
        fields = ["id", "week", "taken_at"]


class SnapshotListView(APIView):
    """The weekly snapshots, newest first; pass one's id as `snapshot` to a report."""

    permission_classes = [ReadOnlyAccess]

    @extend_schema(operation_id="reports_snapshots", summary="Weekly report snapshots",
                   tags=["reports"],
                   responses={200: SnapshotOut(many=True), **error_responses(401, 403, 429)})
    def get(self, request: Request) -> Response:
        rows = ReportSnapshot.objects.order_by("-week").only("id", "week", "taken_at")
        return Response(SnapshotOut(rows, many=True).data)
