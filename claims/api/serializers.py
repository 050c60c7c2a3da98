"""Claim input (explicit writable fields) and output (declared for the schema).

Writable fields are named one by one: status, reviewer, version history and
timestamps cannot be set through them. Status moves only through the status
action and claims.workflow.change_status.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.models import (
    Credibility,
    EvidenceRelation,
    Qualifier,
    RelationKind,
    Role,
    Stance,
    Status,
)
from factcheck.api.fields import StrictCharField
from sources.links import normalize_url
from sources.models import LinkHealth, Reliability, Source, SourceKind
from sources.registry import resolve

MAX_INT = 2**31 - 1
MAX_ITEMS = 100


def _url(value: str) -> str:
    try:
        return normalize_url(value)
    except DjangoValidationError as exc:
        raise serializers.ValidationError(exc.messages) from None


# --- input ------------------------------------------------------------------

class QuantityInput(serializers.Serializer):
    value = serializers.DecimalField(max_digits=24, decimal_places=4, required=False,
                                     allow_null=True)
    lower = serializers.DecimalField(max_digits=24, decimal_places=4, required=False,
                                     allow_null=True)
    upper = serializers.DecimalField(max_digits=24, decimal_places=4, required=False,
                                     allow_null=True)
    qualifier = serializers.ChoiceField(Qualifier.choices, default=Qualifier.EXACT)
    unit = StrictCharField(max_length=64, required=False, allow_blank=True)
    counted = StrictCharField(max_length=200)
    as_said = StrictCharField(max_length=200, required=False, allow_blank=True)


class AttributionInput(serializers.Serializer):
    source = serializers.PrimaryKeyRelatedField(
        queryset=Source.objects.all(), required=False,
        help_text="The source's id. Give this or `source_alias`.",
    )
    source_alias = StrictCharField(
        max_length=200, required=False,
        help_text="Any known name of the source, case- and accent-insensitive.",
    )
    role = serializers.ChoiceField(Role.choices)
    phrase = StrictCharField(max_length=300, required=False, allow_blank=True)
    quote = StrictCharField(max_length=20000, required=False, allow_blank=True)
    stance = serializers.ChoiceField(Stance.choices, default=Stance.ASSERTS)
    stated_on = serializers.DateField(required=False, allow_null=True)
    link = StrictCharField(max_length=2048, required=False, allow_null=True,
                                 help_text="URL where the attribution appeared.")
    credibility = serializers.ChoiceField(Credibility.choices,
                                          default=Credibility.CANNOT_BE_JUDGED)

    def validate_link(self, value):
        return _url(value) if value else None

    def validate(self, data):
        alias = data.pop("source_alias", None)
        if ("source" in data) == (alias is not None):
            raise serializers.ValidationError(
                {"source": ["Give exactly one of `source` (id) and `source_alias`."]})
        if alias is not None:
            source = resolve(alias)
            if source is None:
                raise serializers.ValidationError(
                    {"source_alias": [f"No source is known as “{alias}”."]})
            data["source"] = source
        return data


class EvidenceInput(serializers.Serializer):
    url = StrictCharField(max_length=2048)
    relation = serializers.ChoiceField(EvidenceRelation.choices)
    note = StrictCharField(max_length=5000, required=False, allow_blank=True)

    def validate_url(self, value):
        return _url(value)


class ClaimInput(serializers.Serializer):
    text = StrictCharField(max_length=20000)
    language = StrictCharField(max_length=35, help_text="BCP-47: az, ru, ko, en, az-Latn.")
    summary_en = StrictCharField(max_length=5000, required=False, allow_blank=True)
    tags = serializers.ListField(
        child=serializers.SlugField(max_length=64, allow_unicode=True), required=False,
        max_length=MAX_ITEMS,
    )
    made_on = serializers.DateField(required=False, allow_null=True)
    about_start = serializers.DateField(required=False, allow_null=True)
    about_end = serializers.DateField(required=False, allow_null=True)
    verdict_rationale = StrictCharField(max_length=20000, required=False,
                                              allow_blank=True)
    published = serializers.BooleanField(required=False)
    quantity = QuantityInput(required=False, allow_null=True)
    attributions = AttributionInput(many=True, required=False, max_length=MAX_ITEMS)
    evidence = EvidenceInput(many=True, required=False, max_length=MAX_ITEMS)
    version = serializers.IntegerField(
        min_value=1, max_value=MAX_INT, required=False, write_only=True,
        help_text="On PUT/PATCH: the version you edited (or send If-Match). Stale: 412.",
    )

    def domain_arguments(self) -> tuple[dict, int | None]:
        """validated_data in the keyword shape of create_claim / update_claim."""
        data = dict(self.validated_data)
        version = data.pop("version", None)
        if "evidence" in data:
            data["evidence"] = [
                {"link": e["url"], "relation": e["relation"], "note": e.get("note", "")}
                for e in data["evidence"]
            ]
        if "quantity" in data and data["quantity"] is not None:
            data["quantity"] = dict(data["quantity"])
        if "attributions" in data:
            data["attributions"] = [dict(a) for a in data["attributions"]]
        return data, version


class StatusInput(serializers.Serializer):
    to = serializers.ChoiceField(Status.choices, help_text="The status to move to.")
    note = StrictCharField(max_length=5000, required=False, allow_blank=True)
    rationale = StrictCharField(
        max_length=20000, required=False, allow_null=True,
        help_text="With a verdict: why. Replaces the verdict rationale.",
    )


# --- output: declared for the OpenAPI schema; claims/api/representation.py builds it ---

class LinkBrief(serializers.Serializer):
    id = serializers.IntegerField()
    url = StrictCharField()
    health = serializers.ChoiceField(LinkHealth.choices)
    last_checked_at = serializers.DateTimeField(allow_null=True)
    archive_url = StrictCharField()


class SourceBrief(serializers.Serializer):
    id = serializers.IntegerField()
    name = StrictCharField()
    kind = serializers.ChoiceField(SourceKind.choices)
    country = StrictCharField(help_text="ISO 3166-1 alpha-2, or empty.")
    reliability = serializers.ChoiceField(Reliability.choices)


class QuantityOut(serializers.Serializer):
    value = serializers.DecimalField(max_digits=24, decimal_places=4, allow_null=True)
    lower = serializers.DecimalField(max_digits=24, decimal_places=4, allow_null=True)
    upper = serializers.DecimalField(max_digits=24, decimal_places=4, allow_null=True)
    qualifier = serializers.ChoiceField(Qualifier.choices)
    unit = StrictCharField()
    counted = StrictCharField()
    as_said = StrictCharField()
    in_words = StrictCharField(help_text="E.g. “~600 soldiers killed”.")


class AttributionOut(serializers.Serializer):
    id = serializers.IntegerField()
    source = SourceBrief()
    role = serializers.ChoiceField(Role.choices)
    phrase = StrictCharField()
    quote = StrictCharField()
    stance = serializers.ChoiceField(Stance.choices)
    stated_on = serializers.DateField(allow_null=True)
    link = LinkBrief(allow_null=True)
    credibility = serializers.ChoiceField(Credibility.choices)


class EvidenceOut(serializers.Serializer):
    id = serializers.IntegerField()
    link = LinkBrief()
    relation = serializers.ChoiceField(EvidenceRelation.choices)
    note = StrictCharField()


class RelatedOut(serializers.Serializer):
    claim = serializers.IntegerField()
    kind = serializers.ChoiceField(RelationKind.choices)
    direction = serializers.ChoiceField([("out", "out"), ("in", "in")])


class HistoryOut(serializers.Serializer):
    from_status = serializers.ChoiceField(Status.choices)
    to_status = serializers.ChoiceField(Status.choices)
    at = serializers.DateTimeField()
    actor = StrictCharField(allow_null=True)
    note = StrictCharField()


@extend_schema_field({"type": "string", "enum": sorted(Status.values), "nullable": True})
class VerdictField(serializers.CharField):
    pass


class ClaimOut(serializers.Serializer):
    id = serializers.IntegerField()
    text = StrictCharField()
    language = StrictCharField()
    summary_en = StrictCharField()
    tags = serializers.ListField(child=StrictCharField())
    made_on = serializers.DateField(allow_null=True)
    about_start = serializers.DateField(allow_null=True)
    about_end = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(Status.choices)
    verdict = VerdictField(allow_null=True, help_text="The status when it is a verdict.")
    verdict_rationale = StrictCharField()
    reviewed_at = serializers.DateTimeField(allow_null=True)
    published = serializers.BooleanField()
    quantity = QuantityOut(allow_null=True)
    attributions = AttributionOut(many=True)
    evidence = EvidenceOut(many=True)
    related = RelatedOut(many=True)
    version = serializers.IntegerField(help_text="Send it back (If-Match) when you update.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()



class ClaimDetailOut(ClaimOut):
    history = HistoryOut(many=True, help_text="Status changes, oldest first (read-only).")


@extend_schema_field({"oneOf": [{"type": "boolean", "enum": [True]},
                                {"type": "string", "enum": ["unpublished", "retracted"]}]})
class DeletedField(serializers.Field):
    pass


class TombstoneOut(serializers.Serializer):
    """In an `updated_since` feed: this claim left the feed; remove your copy."""

    id = serializers.IntegerField()
    deleted = DeletedField(help_text="true: deleted; \"unpublished\": taken down; "
                                     "\"retracted\": taken back by the desk.")
    at = serializers.DateTimeField()
