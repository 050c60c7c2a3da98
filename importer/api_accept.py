"""POST /api/v1/extract/accept/: file the proposals an editor accepted, once.

The body is what POST /api/v1/extract/ answered, edited as the editor sees fit: the
language, the article's address, outlet and date, and the claims with their figures and
attributions (a source on file by id, or a `proposed_source` to create). Write keys
only. A claim without a claimant is refused with a 400 that names it, before anything is
written, as the admin's Import page does. A claim already on file (the same text, or the
same figure from the same claimant) is not filed again unless its `file_again` is true,
so sending the same article twice files its claims once. Everything else goes through
`importer.accept.file_once`: one transaction, a bounded number of queries.
"""

from __future__ import annotations

from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.models import Claim, Qualifier, Role, Stance
from factcheck.api.errors import ApiError
from factcheck.api.fields import StrictCharField
from factcheck.api.schema import error_responses
from newsrooms.permissions import ApiAccess
from sources.models import Source, SourceKind

from . import SUPPORTED
from .accept import AcceptedAttribution, AcceptedClaim, file_once

MAX_CLAIMS = 500  # the Import page's ceiling too (forms.ProposalFormSet)


@extend_schema_field({"oneOf": [
    {"type": "integer", "minimum": 1},
    {"type": "object", "properties": {"id": {"type": "integer", "minimum": 1}},
     "required": ["id"]},
]})
class SourceId(serializers.Field):
    """A source on file: its id, or the `{"id": …, "name": …}` object the extract
    endpoint answers with (so its proposals can be sent back as they came)."""

    default_error_messages = {"invalid": "A source id, or an object with its `id`."}

    def to_internal_value(self, data) -> int:
        if isinstance(data, dict):
            data = data.get("id")
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("invalid")
        try:
            value = int(data)
        except ValueError:
            self.fail("invalid")
        if value < 1:
            self.fail("invalid")
        return value

    def to_representation(self, value) -> int:
        return value


class ProposedSourceIn(serializers.Serializer):
    name = StrictCharField(max_length=200)
    kind = serializers.ChoiceField(SourceKind.choices, required=False,
                                   default=SourceKind.OTHER)
    aliases = serializers.ListField(child=StrictCharField(max_length=200),
                                    required=False, default=list, max_length=20)


class AttributionIn(serializers.Serializer):
    role = serializers.ChoiceField(Role.choices)
    source = SourceId(required=False, allow_null=True,
                      help_text="A source on file (its id), or null with `proposed_source`.")
    proposed_source = ProposedSourceIn(required=False, allow_null=True,
                                       help_text="A new source, created on accepting unless "
                                                 "one on file already holds the name.")
    phrase = StrictCharField(required=False, allow_blank=True, default="", max_length=300)
    stance = serializers.ChoiceField(Stance.choices, required=False, default=Stance.ASSERTS)

    def validate(self, data):
        if data.get("source") is None and not data.get("proposed_source"):
            raise serializers.ValidationError(
                {"source": ["Give a source on file (`source`) or a new one "
                            "(`proposed_source`)."]})
        return data


class QuantityIn(serializers.Serializer):
    qualifier = serializers.ChoiceField(Qualifier.choices)
    value = serializers.DecimalField(24, 4, required=False, allow_null=True, default=None)
    lower = serializers.DecimalField(24, 4, required=False, allow_null=True, default=None)
    upper = serializers.DecimalField(24, 4, required=False, allow_null=True, default=None)
    unit = StrictCharField(required=False, allow_blank=True, default="", max_length=64)
    counted = StrictCharField(required=False, allow_blank=True, default="", max_length=200)
    as_said = StrictCharField(required=False, allow_blank=True, default="", max_length=200)


class ClaimIn(serializers.Serializer):
    text = StrictCharField(max_length=10_000)
    summary_en = StrictCharField(required=False, allow_blank=True, default="",
                                 max_length=10_000)
    quantity = QuantityIn(required=False, allow_null=True, default=None)
    attributions = AttributionIn(many=True, max_length=20)
    file_again = serializers.BooleanField(
        required=False, default=False,
        help_text="File it even though a claim on file repeats it (see `on_file`).")


class AcceptInput(serializers.Serializer):
    language = serializers.ChoiceField(list(SUPPORTED))
    url = serializers.URLField(required=False, allow_blank=True, default="", max_length=2048,
                               help_text="The article's address: each claim's “reported "
                                         "in” evidence and the outlet's link.")
    outlet = SourceId(required=False, allow_null=True, default=None,
                      help_text="The article's outlet on file: on every claim as outlet.")
    made_on = serializers.DateField(required=False, allow_null=True, default=None)
    claims = ClaimIn(many=True, allow_empty=False, max_length=MAX_CLAIMS)


AcceptOutput = inline_serializer("AcceptedProposals", fields={
    "created": inline_serializer("AcceptedCreated", many=True, fields={
        "index": serializers.IntegerField(help_text="The claim's place in the request."),
        "id": serializers.IntegerField()}),
    "on_file": inline_serializer("AcceptedOnFile", many=True, fields={
        "index": serializers.IntegerField(),
        "claims": inline_serializer("AcceptedRepeats", many=True, fields={
            "id": serializers.IntegerField(),
            "reason": serializers.ChoiceField(["same_text", "same_figure"])})},
        help_text="Claims not filed because claims on file repeat them."),
})


def _no_claimant(claims: list[dict]) -> dict[str, list[str]]:
    fields = {}
    for i, c in enumerate(claims):
        if not any(a["role"] == Role.CLAIMANT for a in c["attributions"]):
            have = ", ".join(sorted({a["role"] for a in c["attributions"]}))
            fields[f"claims[{i}].attributions"] = [
                "No claimant: name who asserts this claim"
                + (f" (it has only: {have})" if have else "") + "."]
    return fields


def _sources(data: dict) -> dict[int, Source]:
    """Every source id the request names, in one query; unknown ids are a 400."""
    wanted = {a["source"] for c in data["claims"] for a in c["attributions"]
              if a.get("source") is not None}
    if data.get("outlet") is not None:
        wanted.add(data["outlet"])
    found = Source.objects.in_bulk(wanted)
    missing: dict[str, list[str]] = {}
    if data.get("outlet") is not None and data["outlet"] not in found:
        missing["outlet"] = [f"No source with id {data['outlet']}."]
    for i, c in enumerate(data["claims"]):
        for j, a in enumerate(c["attributions"]):
            if a.get("source") is not None and a["source"] not in found:
                missing[f"claims[{i}].attributions[{j}].source"] = [
                    f"No source with id {a['source']}."]
    if missing:
        raise serializers.ValidationError(missing)
    return found


def _accepted(c: dict, sources: dict[int, Source]) -> AcceptedClaim:
    attributions = []
    for a in c["attributions"]:
        new = a.get("proposed_source") or {}
        attributions.append(AcceptedAttribution(
            role=a["role"], source=sources.get(a["source"]) if a.get("source") else None,
            new_source_name=new.get("name", ""), new_source_kind=new.get("kind") or "other",
            new_source_aliases=new.get("aliases") or (), phrase=a["phrase"],
            stance=a["stance"]))
    q = c.get("quantity")
    quantity = None if not q else {**q, "counted": q.get("counted") or "unspecified"}
    return AcceptedClaim(text=c["text"], summary_en=c["summary_en"], quantity=quantity,
                         attributions=attributions)


class AcceptView(APIView):
    permission_classes = [ApiAccess]
    write_model = Claim  # a write key of an editor who may add claims

    @extend_schema(
        operation_id="accept_proposals",
        summary="File the proposals an editor accepted",
        description=(
            "Takes the claims POST /api/v1/extract/ proposed (edited as needed) and files "
            "them with their figures, attributions, new sources and the article's "
            "“reported in” evidence, all or nothing. Write keys only. A claim with no "
            "claimant is refused (400 `no_claimant`, naming it) before anything is "
            "written. A claim already on file — the same text, or the same figure from "
            "the same claimant — is left out and listed in `on_file` unless its "
            "`file_again` is true, so sending an article twice files its claims once."
        ),
        request=AcceptInput,
        responses={201: AcceptOutput, 200: AcceptOutput,
                   **error_responses(400, 401, 403, 413, 429)},
        examples=[OpenApiExample("Two proposals", request_only=True, value={
            "language": "en", "url": "https://news.example.org/2025/08/15/hur",
            "made_on": "2025-08-15",
            "claims": [{
                "text": "At least 1,200 North Korean soldiers have been wounded",
                "quantity": {"qualifier": "at_least", "lower": "1200",
                             "counted": "North Korean soldiers"},
                "attributions": [
                    {"role": "claimant", "source": None, "phrase": "said",
                     "proposed_source": {"name": "Ukraine's military intelligence",
                                         "kind": "intelligence", "aliases": ["HUR"]}},
                    {"role": "outlet", "source": 7}],
            }],
        })],
        tags=["extract"],
    )
    def post(self, request: Request) -> Response:
        data = AcceptInput(data=request.data)
        data.is_valid(raise_exception=True)
        body = data.validated_data
        missing = _no_claimant(body["claims"])
        if missing:
            raise ApiError(400, "no_claimant",
                           "Some claims have no claimant: nothing was filed.", fields=missing)
        sources = _sources(body)
        filed = file_once(
            [_accepted(c, sources) for c in body["claims"]],
            again=[c["file_again"] for c in body["claims"]],
            language=body["language"], article_url=body["url"] or "",
            outlet=sources.get(body["outlet"]) if body["outlet"] else None,
            made_on=body["made_on"], actor=request.user,
        )
        out = {
            "created": [{"index": i, "id": c.pk}
                        for i, c in zip(filed.created_indexes, filed.created, strict=True)],
            "on_file": [{"index": i, "claims": [{"id": d.claim_id, "reason": d.reason}
                                                for d in repeats]}
                        for i, repeats in filed.skipped],
        }
        return Response(out, status=status.HTTP_201_CREATED if filed.created
                        else status.HTTP_200_OK)


def accept_limits(result: dict, generator, request, public) -> dict:
    """The schema says what the serializer keeps: 1 to MAX_CLAIMS accepted claims
    (drf-spectacular does not carry a nested list's allow_empty / max_length)."""
    schemas = result.get("components", {}).get("schemas", {})
    for name in ("AcceptInputRequest",):
        prop = schemas.get(name, {}).get("properties", {}).get("claims")
        if prop is not None:
            prop.update(minItems=1, maxItems=MAX_CLAIMS)
    return result
