"""/api/v1/claims/ and /api/v1/claimreviews/: thin over claims.authoring and claims.workflow."""


from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from claims import authoring, workflow
from claims.claimreview import claimreview, is_reviewable, public_root, review_url
from claims.freshness import refresh_claim_links
from claims.models import (
    VERDICTS,
    Attribution,
    Claim,
    Evidence,
    Status,
)
from claims.tombstones import Feed, Gone, Tombstone
from factcheck.api import sync
from factcheck.api.errors import ApiError
from factcheck.api.schema import error_responses
from factcheck.api.viewsets import VisibleRowsViewSet, expected_version
from newsrooms.permissions import sees_unpublished

from . import representation
from .filters import ClaimFilter, ClaimReviewFilter
from .openapi import CLAIMREVIEW, CLAIMREVIEW_FEED_ENTRY
from .serializers import ClaimDetailOut, ClaimInput, ClaimOut, StatusInput, TombstoneOut

# A list entry is a claim or, in an `updated_since` feed, a tombstone (docs/api.md).
CLAIM_FEED_ENTRIES = PolymorphicProxySerializer(
    component_name="ClaimFeedEntry", serializers=[ClaimOut, TombstoneOut],
    resource_type_field_name=None, many=True,
)

IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER,
    description='The version you edited, e.g. "3" (or send `version` in the body).',
)


def claimreview_queryset() -> QuerySet:
    """Published claims with a verdict and what ClaimReview names: claimants, appearances."""
    return Claim.objects.filter(
        published=True, status__in=[s.value for s in VERDICTS], reviewed_at__isnull=False,
    ).prefetch_related(
        Prefetch("attributions", queryset=Attribution.objects.select_related("source", "link")
                 .order_by("role", "id")),
        Prefetch("evidence", queryset=Evidence.objects.select_related("link").order_by("id")),
    )


class ClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleRowsViewSet):
    """Claims with their attributions, figure, evidence, relations and history.

    Read keys see published claims only; write keys and staff see drafts too.
    """

    filterset_class = ClaimFilter
    ordering_fields = ["updated_at", "created_at", "id"]
    ordering = ["-updated_at", "-id"]

    def visible_queryset(self) -> QuerySet:
        claims = Claim.objects.defer("search_document")
        if self.action == "claimreview":
            claims = claimreview_queryset()
        if sees_unpublished(self.request):
            return claims
        # A retracted claim is taken back: read keys lose it as if unpublished, and
        # the claims feed carries its tombstone (claims/workflow.py).
        return claims.filter(published=True).exclude(status=Status.RETRACTED)

    def represent(self, pks: list[int], *, history: bool = False) -> list[dict]:
        page = representation.rows(Claim.objects.filter(pk__in=pks))
        return representation.claims(page, history=history,
                                     published_only=not sees_unpublished(self.request))

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ClaimDetailOut
        if self.action in ("create", "update", "partial_update"):
            return ClaimInput
        if self.action == "change_status":
            return StatusInput
        return ClaimOut

    def handle_exception(self, exc):
        if isinstance(exc, workflow.TransitionNotAllowed):
            exc = ApiError(409, "transition_not_allowed", exc.message_dict["status"][0],
                           fields={"to": exc.message_dict["status"]}, allowed=exc.allowed,
                           current_status=exc.from_status)
        elif isinstance(exc, authoring.StaleVersion):
            exc = ApiError(
                412, "version_conflict",
                f"The claim changed since version {exc.expected}; it is now at version "
                f"{exc.current}. Fetch it again and reapply your edit.",
                current_version=exc.current,
            )
        return super().handle_exception(exc)

    def _detail(self, claim: Claim, status_code: int = 200) -> Response:
        (data,) = self.represent([claim.pk], history=True)
        response = Response(data, status=status_code)
        response["Last-Modified"] = http_date(parse_datetime(data["updated_at"]).timestamp())
        return response

    def sync_tombstones(self) -> QuerySet:
        """What left the caller's view: read keys hear of claims they could have
        seen (unpublished or deleted after publication); write keys, who see
        drafts, of deletions only."""
        gone = Tombstone.objects.filter(feed=Feed.CLAIM)
        if sees_unpublished(self.request):
            return gone.filter(reason=Gone.DELETED)
        return gone.filter(was_published=True)

    @extend_schema(responses={200: CLAIM_FEED_ENTRIES, **error_responses(400, 401, 403, 429)})
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(representation.rows(self.filter_queryset(
            self.get_queryset())))
        published_only = not sees_unpublished(request)
        if sync.is_merged(page):
            data = sync.render(page, lambda rows: representation.claims(
                rows, published_only=published_only), Tombstone.as_entry)
            return self.get_paginated_response(data)
        response = self.get_paginated_response(representation.claims(
            page, published_only=published_only))
        if page:
            self.set_last_modified(response, max(row["updated_at"] for row in page))
        return response

    @extend_schema(responses={200: ClaimDetailOut, **error_responses(401, 403, 404, 429)})
    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    @extend_schema(request=ClaimInput,
                   responses={201: ClaimDetailOut, **error_responses(400, 401, 403, 413, 429)})
    def create(self, request, *args, **kwargs):
        serializer = ClaimInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data, _ = serializer.domain_arguments()
        claim = authoring.create_claim(actor=request.user, **data)
        return self._detail(claim, status.HTTP_201_CREATED)

    def _update(self, request, partial: bool) -> Response:
        claim = self.get_object()
        serializer = ClaimInput(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data, body_version = serializer.domain_arguments()
        version = expected_version(request, body_version)
        if not partial:
            # PUT replaces the whole claim: what is left out is emptied.
            data = {"summary_en": "", "made_on": None, "about_start": None, "about_end": None,
                    "verdict_rationale": "", "tags": [], "quantity": None,
                    "attributions": [], "evidence": [], **data}
        authoring.update_claim(claim, expected_version=version, actor=request.user, **data)
        return self._detail(claim)

    @extend_schema(request=ClaimInput, parameters=[IF_MATCH],
                   responses={200: ClaimDetailOut,
                              **error_responses(400, 401, 403, 404, 412, 413, 428, 429)})
    def update(self, request, *args, **kwargs):
        return self._update(request, partial=False)

    @extend_schema(request=ClaimInput, parameters=[IF_MATCH],
                   responses={200: ClaimDetailOut,
                              **error_responses(400, 401, 403, 404, 412, 413, 428, 429)})
    def partial_update(self, request, *args, **kwargs):
        return self._update(request, partial=True)

    @extend_schema(
        request=StatusInput,
        responses={200: ClaimDetailOut, **error_responses(400, 401, 403, 404, 409, 429)},
        description="Move the claim through the workflow; history records you and the note. "
                    "A move the workflow forbids gets 409 with the allowed targets.",
    )
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, pk=None):
        claim = self.get_object()
        serializer = StatusInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        workflow.change_status(claim, data["to"], actor=request.user,
                               note=data.get("note", ""), rationale=data.get("rationale"))
        return self._detail(claim)

    @extend_schema(
        responses={(200, "application/ld+json"): OpenApiResponse(
                       CLAIMREVIEW, description="schema.org ClaimReview."),
                   **error_responses(401, 403, 404, 429)},
        description="schema.org ClaimReview for a published claim with a verdict; 404 before "
                    "a verdict. Rating scale 1–5: False, Misleading, Unverifiable, Disputed, "
                    "Supported.",
    )
    @action(detail=True, methods=["get"], url_path="claimreview", filterset_class=None,
            pagination_class=None)
    def claimreview(self, request, pk=None):
        claim = self.get_object()
        if not is_reviewable(claim):
            raise Http404("This claim has no published verdict yet.")
        response = Response(claimreview(claim, public_root(request)),
                            content_type="application/ld+json")
        self.set_last_modified(response, claim.updated_at)
        return response

    @extend_schema(
        request=None,
        responses={202: OpenApiResponse(OpenApiTypes.OBJECT, description='{"links": n}: how '
                                        "many links will be checked."),
                   **error_responses(401, 403, 404, 429)},
        description="Check this claim's links now (evidence and attributions); a worker "
                    "does it after the response. Write keys and editors only.",
    )
    @action(detail=True, methods=["post"], url_path="refresh-links", filterset_class=None)
    def refresh_links(self, request, pk=None):
        claim = self.get_object()
        return Response({"links": refresh_claim_links([claim.pk])},
                        status=status.HTTP_202_ACCEPTED)


class ClaimReviewFeedViewSet(mixins.ListModelMixin, VisibleRowsViewSet):
    """Every published review as ClaimReview JSON-LD, newest change first; `updated_since` syncs."""

    filterset_class = ClaimReviewFilter
    ordering_fields = ["updated_at", "id"]

    def visible_queryset(self) -> QuerySet:
        return claimreview_queryset()

    def sync_tombstones(self) -> QuerySet:
        # Every caller sees the same (published) reviews, so the same tombstones.
        return Tombstone.objects.filter(feed=Feed.CLAIMREVIEW, was_published=True)

    @extend_schema(
        responses={200: OpenApiResponse(CLAIMREVIEW_FEED_ENTRY),
                   **error_responses(400, 401, 403, 429)},
    )
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        root = public_root(request)
        if sync.is_merged(page):
            return self.get_paginated_response(sync.render(
                page, lambda claims: [claimreview(c, root) for c in claims],
                lambda t: {**t.as_entry(), "url": review_url(Claim(pk=t.claim_id), root)}))
        response = self.get_paginated_response([claimreview(c, root) for c in page])
        if page:
            self.set_last_modified(response, max(c.updated_at for c in page))
        return response
