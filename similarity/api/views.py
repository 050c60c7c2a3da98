"""/api/v1/claims/{id}/similar/ and /api/v1/claims/similar/: thin over similarity.finder.

Read keys see published claims only, both the claim asked about (a draft is
404, as everywhere in the API) and the results. The model being unavailable is
a 503 with the reason; nothing else in the API depends on it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.languages import validate_language
from claims.models import Claim
from factcheck.api.errors import ApiError
from factcheck.api.fields import StrictCharField
from factcheck.api.schema import ErrorSerializer, error_responses
from newsrooms.permissions import AnyKeyOrStaff, sees_unpublished

from .. import embedding, finder

DEFAULT_LIMIT = 10


class SimilarRelation(models.TextChoices):
    SAME_AS = "same_as", "Same as"
    CONFLICTS_WITH = "conflicts_with", "Conflicts with"
    SUGGESTED = "suggested", "Suggested"


class Assessment(models.TextChoices):
    LIKELY_SAME = "likely_same", "Likely the same claim"
    RELATED = "related", "Related"
    CONFLICTING = "conflicting", "Conflicting"


_UNAVAILABLE = OpenApiResponse(
    ErrorSerializer, description="The similar-claims model is unavailable; `detail` says why. "
                                 "The rest of the API is unaffected.")

SimilarOut = inline_serializer("SimilarClaims", fields={
    "results": inline_serializer("SimilarClaim", many=True, fields={
        "id": serializers.IntegerField(help_text="The similar claim's id."),
        "score": serializers.FloatField(help_text="Hybrid score, higher is closer; "
                                                  "the ranking order."),
        "relation": serializers.ChoiceField(
            SimilarRelation.choices,
            help_text="An editor's link (same_as, conflicts_with) or a suggestion."),
        "assessment": serializers.ChoiceField(
            Assessment.choices,
            help_text="What the facts say: the same claim, a related one (another "
                      "claimant, event or period) or a conflicting one (another figure, "
                      "a denial)."),
        "embedding_score": serializers.FloatField(help_text="Cosine of the embeddings alone."),
        "agreements": serializers.ListField(child=serializers.CharField()),
        "differences": serializers.ListField(child=serializers.CharField()),
        "language": serializers.CharField(),
        "text": serializers.CharField(),
        "summary_en": serializers.CharField(),
        "url": serializers.CharField(help_text="The claim in this API."),
    }),
})


LIMIT_SCHEMA = {"type": "integer", "minimum": 1, "maximum": finder.MAX_LIMIT}


def _limit(request: Request) -> int:
    raw = request.query_params.get("limit", str(DEFAULT_LIMIT))
    if not raw.isdigit() or not 1 <= int(raw) <= finder.MAX_LIMIT:
        raise ApiError(400, "invalid", "Check the fields named in `fields`.",
                       fields={"limit": [f"A whole number from 1 to {finder.MAX_LIMIT}."]})
    return int(raw)


def _results(request: Request, matches: list[finder.Match]) -> Response:
    # The texts come with the matches (read once, for the ranking).
    return Response({"results": [
        {"id": m.claim_id, "score": m.score, "relation": m.relation,
         "assessment": m.assessment, "embedding_score": m.cosine,
         "agreements": m.agreements, "differences": m.differences,
         "language": m.language, "text": m.text, "summary_en": m.summary_en,
         "url": request.build_absolute_uri(f"/api/v1/claims/{m.claim_id}/")}
        for m in matches
    ]})


def _unavailable(exc: embedding.ModelUnavailable) -> ApiError:
    return ApiError(503, "similarity_unavailable", str(exc))


class SimilarToClaimView(APIView):
    @extend_schema(
        operation_id="claims_similar_list",
        parameters=[OpenApiParameter("limit", LIMIT_SCHEMA, description=(
            f"How many, 1–{finder.MAX_LIMIT} (default {DEFAULT_LIMIT})."))],
        responses={200: SimilarOut, **error_responses(400, 401, 403, 404, 429),
                   503: _UNAVAILABLE},
        description="Claims on file like this one, in any language, best first. Claims an "
                    "editor linked (same_as, conflicts_with) come first; pairs an editor "
                    "marked not related never appear. Read keys see published claims only.",
        tags=["claims"],
    )
    def get(self, request: Request, pk: int) -> Response:
        limit = _limit(request)
        published_only = not sees_unpublished(request)
        claims = Claim.objects.filter(published=True) if published_only else Claim.objects
        claim = get_object_or_404(claims, pk=pk)
        try:
            matches = finder.similar_to_claim(claim, limit, published_only=published_only)
        except embedding.ModelUnavailable as exc:
            raise _unavailable(exc) from None
        return _results(request, matches)


class TextInput(serializers.Serializer):
    # Something to read: the schema says it (pattern), so no blank text is "valid".
    text = StrictCharField(trim_whitespace=False, error_messages={"blank": "The text is empty."},
                           validators=[RegexValidator(
                               r"^[^\x00]*\S[^\x00]*$", message="The text is empty.")],
                           help_text=f"The claim, up to {embedding.MAX_CHARS} characters.")
    language = StrictCharField(required=False, allow_blank=True, max_length=35,
                               help_text="BCP-47 code, e.g. az, ru, ko, en.")

    def validate_language(self, value: str) -> str:
        if value:
            try:
                validate_language(value)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.messages) from None
        return value


class SimilarToTextView(APIView):
    permission_classes = [AnyKeyOrStaff]

    @extend_schema(
        operation_id="claims_similar_text",
        request=TextInput,
        parameters=[OpenApiParameter("limit", LIMIT_SCHEMA, description=(
            f"How many, 1–{finder.MAX_LIMIT} (default {DEFAULT_LIMIT})."))],
        responses={200: SimilarOut, **error_responses(400, 401, 403, 413, 429),
                   503: _UNAVAILABLE},
        description="Claims on file like a claim not yet stored (a CMS checks before it "
                    "files). Nothing is written. Any key may ask; read keys see published "
                    "claims only.",
        tags=["claims"],
    )
    def post(self, request: Request) -> Response:
        limit = _limit(request)
        data = TextInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            text = embedding.check_text(data.validated_data["text"])
            matches = finder.similar_to_text(
                text, data.validated_data.get("language", ""), limit,
                published_only=not sees_unpublished(request))
        except embedding.UnreadableText as exc:
            raise ApiError(400, "invalid", "Check the fields named in `fields`.",
                           fields={"text": [str(exc)]}) from None
        except embedding.ModelUnavailable as exc:
            raise _unavailable(exc) from None
        return _results(request, matches)
