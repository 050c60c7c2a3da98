"""/api/v1/sources/ and /api/v1/links/."""

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from factcheck.api.pagination import Cursor
from factcheck.api.schema import error_responses
from factcheck.api.viewsets import VisibleRowsViewSet
from newsrooms.permissions import sees_unpublished
from sources.links import get_or_create_link
from sources.models import Link, Source
from sources.tasks import request_check

from .filters import LinkFilter, SourceFilter
from .serializers import LinkCheckOut, LinkInput, LinkOut, SourceOut


def claim_counts(source_ids: list[int], published_only: bool) -> dict[int, dict]:
    """Claims per source by its role and by claim status: two grouped queries per page.

    Counted through the reverse relation (Source.attributions) by name, so the
    registry needs no import of the claims app.
    """
    rows = Source.objects.filter(pk__in=source_ids, attributions__isnull=False)
    if published_only:
        rows = rows.filter(attributions__claim__published=True)
    out: dict[int, dict] = defaultdict(lambda: {"by_role": {}, "by_status": {}})
    distinct_claims = Count("attributions__claim", distinct=True)
    for source_id, role, n in rows.values_list("pk", "attributions__role").annotate(
            n=distinct_claims).order_by():
        out[source_id]["by_role"][role] = n
    for source_id, claim_status, n in rows.values_list(
            "pk", "attributions__claim__status").annotate(n=distinct_claims).order_by():
        out[source_id]["by_status"][claim_status] = n
    return dict(out)


def published_citation() -> Q:
    """Links cited by a published claim, as evidence or as an attribution's link.

    The citing models are reached through Link's reverse relations by name,
    so sources needs no import of the claims app.
    """
    cited = Q()
    for name in ("evidence", "attributions"):
        model = Link._meta.get_field(name).related_model
        cited |= Exists(model.objects.filter(link=OuterRef("pk"), claim__published=True))
    return cited


class SourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleRowsViewSet):
    """The source registry: every source, with the counts of the claims the caller may see."""

    serializer_class = SourceOut
    filterset_class = SourceFilter
    ordering_fields = ["updated_at", "id"]

    def visible_queryset(self) -> QuerySet:
        # Sources are reference data, the same for every caller; the counts are
        # what differ, and claim_counts cuts them to the caller's claims.
        return Source.objects.select_related("parent").prefetch_related("aliases")

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "claim_counts": self._counts}

    _counts: dict = {}

    def _count(self, sources) -> None:
        self._counts = claim_counts([s.pk for s in sources], not sees_unpublished(self.request))

    @extend_schema(responses={200: SourceOut(many=True), **error_responses(400, 401, 403, 429)})
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self._count(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses={200: SourceOut, **error_responses(401, 403, 404, 429)})
    def retrieve(self, request, *args, **kwargs):
        source = self.get_object()
        self._count([source])
        return Response(self.get_serializer(source).data)


class CheckCursor(Cursor):
    ordering = ("-checked_at", "-id")


class LinkViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleRowsViewSet):
    """Web addresses cited by claims, one per normalised URL, with their health.

    POST {"url": ...} registers a link, or returns the existing one (200) when
    the normalised URL is already known.
    """

    serializer_class = LinkOut
    filterset_class = LinkFilter
    ordering_fields = ["updated_at", "id"]

    def visible_queryset(self) -> QuerySet:
        links = Link.objects.all()
        if sees_unpublished(self.request):
            return links
        # A link cited only by drafts is an investigation not yet out (its URL
        # and fetched title say what the desk is looking at): a read key sees
        # a link only through a published claim.
        return links.filter(published_citation())

    @extend_schema(responses={200: LinkOut(many=True), **error_responses(400, 401, 403, 429)})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: LinkOut, **error_responses(401, 403, 404, 429)})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(request=None, responses={202: LinkOut, **error_responses(401, 403, 404, 429)},
                   description="Check this link now; 202 while a worker does it.")
    @action(detail=True, methods=["post"], url_path="refresh", filterset_class=None)
    def refresh(self, request, pk=None):
        link = self.get_object()
        request_check([link.pk])
        link.refresh_from_db()
        return Response(LinkOut(link).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={200: LinkCheckOut(many=True),
                              **error_responses(400, 401, 403, 404, 429)},
                   description="The link's check history, newest first.")
    @action(detail=True, methods=["get"], url_path="checks", filterset_class=None,
            ordering_fields=[], pagination_class=CheckCursor)
    def checks(self, request, pk=None):
        link = self.get_object()
        page = self.paginate_queryset(link.checks.all())
        return self.get_paginated_response(LinkCheckOut(page, many=True).data)

    @extend_schema(request=LinkInput, responses={
        200: LinkOut, 201: LinkOut, **error_responses(400, 401, 403, 413, 429)})
    def create(self, request, *args, **kwargs):
        serializer = LinkInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        link, created = get_or_create_link(serializer.validated_data["url"])
        return Response(LinkOut(link).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
