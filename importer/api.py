"""POST /api/v1/extract/: an article's attributed claims, proposed; nothing is written."""

from __future__ import annotations

from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from factcheck.api.errors import ApiError
from factcheck.api.fields import StrictCharField
from factcheck.api.schema import ErrorSerializer, error_responses
from newsrooms.permissions import AnyKeyOrStaff, may_write
from sources.models import Source

from . import MAX_CHARS, SUPPORTED, BadText, TextTooLong, UnsupportedLanguage, extract
from .duplicates import on_file
from .fetch import FetchError, NoMainText, UnsafeURL, fetch_article
from .outlets import proposed_outlet
from .types import Extraction


class ExtractInput(serializers.Serializer):
    text = StrictCharField(required=False, allow_blank=True, trim_whitespace=False,
                           help_text=f"The article, up to {MAX_CHARS:,} characters.")
    url = serializers.URLField(required=False, max_length=2048,
                               help_text="Or the article's address; its main text is read.")
    language = StrictCharField(required=False, allow_blank=True, allow_null=True,
                               help_text=f"One of {', '.join(SUPPORTED)}; detected "
                                         "when absent.")

    def validate(self, data):
        if "text" not in data and "url" not in data:
            raise serializers.ValidationError(
                {"text": ["Send `text`, `url`, or both (the text is read, the address "
                          "gives the date and the outlet)."]})
        return data


_SOURCE = inline_serializer("ExtractSource", allow_null=True, fields={
    "id": serializers.IntegerField(), "name": serializers.CharField()},
    help_text="The tracker's source the name resolved to; null when unknown.")
_PROPOSED = inline_serializer("ExtractProposedSource", allow_null=True, fields={
    "name": serializers.CharField(), "kind": serializers.CharField(),
    "aliases": serializers.ListField(
        child=serializers.CharField(),
        help_text="Other names to register with it: the acronym in brackets after the "
                  "name (“Ukraine's military intelligence (HUR)”).")},
    help_text="For an unknown name: the new source to create, with a guessed kind.")
ExtractOutput = inline_serializer("Extraction", fields={
    "language": serializers.CharField(),
    "detected": serializers.BooleanField(help_text="Whether the language was detected."),
    "text": serializers.CharField(required=False,
                                  help_text="For `url` input: the main text offsets refer to."),
    "published": serializers.DateField(
        required=False, allow_null=True,
        help_text="For `url` input (write keys): the article's date from its page."),
    "outlet": inline_serializer("ExtractOutlet", allow_null=True, fields={
        "id": serializers.IntegerField(), "name": serializers.CharField()},
        help_text="The article's outlet on file: from its dateline, else its site."),
    "claims": inline_serializer("ExtractClaim", many=True, fields={
        "text": serializers.CharField(), "start": serializers.IntegerField(),
        "end": serializers.IntegerField(),
        "on_file": inline_serializer("ExtractOnFile", many=True, fields={
            "id": serializers.IntegerField(),
            "reason": serializers.ChoiceField(["same_text", "same_figure"])},
            help_text="Claims already on file this one repeats: accepting it would file "
                      "it twice."),
        "quantity": inline_serializer("ExtractQuantity", allow_null=True, fields={
            "qualifier": serializers.ChoiceField(
                ["exact", "approximately", "at_least", "at_most", "range"]),
            "value": serializers.DecimalField(24, 4, allow_null=True),
            "lower": serializers.DecimalField(24, 4, allow_null=True),
            "upper": serializers.DecimalField(24, 4, allow_null=True),
            "unit": serializers.CharField(), "counted": serializers.CharField(),
            "counted_kind": serializers.CharField(
                help_text="killed, wounded, casualties, deployed, captured, missing, "
                          "displaced, detained, weapons, money, percent, people or other."),
            "as_said": serializers.CharField(),
        }),
        "attributions": inline_serializer("ExtractAttribution", many=True, fields={
            "surface": serializers.CharField(), "start": serializers.IntegerField(),
            "end": serializers.IntegerField(),
            "role": serializers.ChoiceField(["claimant", "conduit", "outlet"]),
            "phrase": serializers.CharField(),
            "stance": serializers.ChoiceField(["asserts", "denies", "disputes"]),
            "inferred": serializers.BooleanField(
                help_text="Carried from another sentence (a pronoun, “the letter”)."),
            "source": _SOURCE,
            "proposed_source": _PROPOSED,
        }),
    }),
})

EXAMPLE_OUT = {
    "language": "az", "detected": False,
    "claims": [{
        "text": "Rəsmi Seulun məlumatına görə, Rusiya üçün vuruşan təxminən 600 Şimali Koreya "
                "əsgəri həlak olub",
        "start": 0, "end": 91,
        "quantity": {"qualifier": "approximately", "value": "600", "lower": None,
                     "upper": None, "unit": "", "counted": "Şimali Koreya əsgəri",
                     "as_said": "təxminən 600"},
        "attributions": [{"surface": "Rəsmi Seulun", "start": 0, "end": 12,
                          "role": "claimant", "phrase": "məlumatına görə", "stance": "asserts",
                          "inferred": False,
                          "source": {"id": 5, "name": "Government of South Korea"},
                          "proposed_source": None}],
    }],
}


def _decimal(value):
    if value is None:
        return None
    normal = value.normalize()
    return f"{normal:f}"


def serialize(result: Extraction, on_file: list | None = None) -> dict:
    claims = []
    for i, c in enumerate(result.claims):
        q = c.quantity
        claims.append({
            "text": c.text, "start": c.start, "end": c.end,
            "on_file": [{"id": d.claim_id, "reason": d.reason}
                        for d in (on_file[i] if on_file else [])],
            "quantity": None if q is None else {
                "qualifier": q.qualifier, "value": _decimal(q.value),
                "lower": _decimal(q.lower), "upper": _decimal(q.upper), "unit": q.unit,
                "counted": q.counted, "counted_kind": q.counted_kind, "as_said": q.as_said,
            },
            "attributions": [{
                "surface": a.surface, "start": a.start, "end": a.end, "role": a.role,
                "phrase": a.phrase, "stance": a.stance, "inferred": a.inferred,
                "source": {"id": a.source.id, "name": a.source.name} if a.source.id else None,
                "proposed_source": None if a.source.id else {
                    "name": a.source.name, "kind": a.source.kind,
                    "aliases": list(a.source.aliases)},
            } for a in c.attributions],
        })
    return {"language": result.language, "detected": result.detected, "claims": claims}


class ExtractView(APIView):
    permission_classes = [AnyKeyOrStaff]

    @extend_schema(
        operation_id="extract_claims",
        summary="Propose an article's attributed claims",
        description=(
            "Reads an article (text or URL) in Azerbaijani, Russian, Korean or English and "
            "proposes its attributed claims: each claim's span, its sources with their role "
            "(claimant, conduit, outlet), the attributing phrase, the stance and the figure. "
            "Sources are resolved against the tracker's aliases; unknown ones come back as "
            "`proposed_source`. Writes nothing. Offsets are in Unicode code points."
        ),
        request=ExtractInput,
        responses={
            200: ExtractOutput, **error_responses(400, 401, 403, 413, 429),
            422: OpenApiResponse(ErrorSerializer, description=(
                "The URL was allowed but gave no article: `fetch_failed` or `no_main_text`.")),
        },
        examples=[
            OpenApiExample("Azerbaijani text", request_only=True, value={
                "text": "Rəsmi Seulun məlumatına görə, Rusiya üçün vuruşan təxminən 600 "
                        "Şimali Koreya əsgəri həlak olub.", "language": "az"}),
            OpenApiExample("An article by address", request_only=True,
                           value={"url": "https://news.example.org/2025/08/15/letter"}),
            OpenApiExample("Proposals", response_only=True, value=EXAMPLE_OUT),
        ],
        tags=["extract"],
    )
    def post(self, request: Request) -> Response:
        raw = request.data
        if isinstance(raw, dict) and isinstance(raw.get("text"), str) and \
                len(raw["text"]) > MAX_CHARS:
            raise ApiError(413, "too_large", f"`text` is over {MAX_CHARS:,} characters.")
        data = ExtractInput(data=raw)
        data.is_valid(raise_exception=True)
        text = data.validated_data.get("text")
        url = data.validated_data.get("url") or ""
        extra: dict = {"published": None}
        if text is None and not may_write(request):
            # Fetching a URL makes this server connect somewhere on the caller's
            # say-so: only editors may ask for that. Text alone stays open.
            raise ApiError(403, "permission_denied",
                           "Extraction by `url` needs a write key; send `text` instead.",
                           fields={"url": ["Needs a write key."]})
        if text is None:
            page = _fetch(url)
            text = extra["text"] = page.text
            extra["published"] = page.published
        elif url and may_write(request):
            # Text and address: the page only for its date; one that does not answer
            # costs the date, one the guard refuses is refused.
            extra["published"] = _metadata(url)
        try:
            result = extract(text, data.validated_data.get("language") or None, url=url)
        except TextTooLong as exc:
            raise ApiError(413, "too_large", str(exc)) from None
        except BadText as exc:
            code = "empty" if "empty" in str(exc) else "unreadable_text"
            raise ApiError(400, code, str(exc), fields={"text": [str(exc)]}) from None
        except UnsupportedLanguage as exc:
            raise ApiError(400, "unsupported_language", str(exc),
                           fields={"language": [str(exc)]}) from None
        outlet_id = proposed_outlet(result, url)
        extra["outlet"] = ({"id": outlet_id, "name": Source.objects.get(pk=outlet_id).name}
                           if outlet_id else None)
        return Response({**serialize(result, on_file(result.claims)), **extra})


def _metadata(url: str):
    try:
        return fetch_article(url).published
    except UnsafeURL as exc:
        raise ApiError(400, "url_refused", f"The address is refused: {exc.reason}.",
                       fields={"url": [exc.reason]}) from None
    except (FetchError, NoMainText):
        return None


def _fetch(url: str):
    try:
        return fetch_article(url)
    except UnsafeURL as exc:
        raise ApiError(400, "url_refused", f"The address is refused: {exc.reason}.",
                       fields={"url": [exc.reason]}) from None
    except FetchError as exc:
        raise ApiError(422, "fetch_failed", f"The page could not be fetched ({exc.kind}).",
                       fields={"url": [exc.message]}) from None
    except NoMainText as exc:
        raise ApiError(422, "no_main_text", str(exc), fields={"url": [str(exc)]}) from None
