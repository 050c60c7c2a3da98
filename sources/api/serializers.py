from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from factcheck.api.fields import StrictCharField
from sources.links import normalize_url
from sources.models import Link, LinkCheck, Source


@extend_schema_field({
    "type": "array", "description": "The redirects the last check followed, in order.",
    "items": {"type": "object", "required": ["url", "status", "location"], "properties": {
        "url": {"type": "string"}, "status": {"type": "integer"},
        "location": {"type": "string"}}},
})
class RedirectChainField(serializers.JSONField):
    pass


class LinkOut(serializers.ModelSerializer):
    redirect_chain = RedirectChainField(read_only=True)

    class Meta:
        model = Link
        fields = ["id", "url", "host", "health", "http_status", "final_url", "title",
                  "archive_url", "blocked_reason", "last_checked_at", "next_check_at",
                  "created_at", "updated_at",
                  # What the link workers read (sources/checking.py).
                  "last_outcome", "redirect_chain", "canonical_url", "site_name",
                  "published_on", "page_language", "content_changed_at", "archived_at"]
        read_only_fields = fields


class LinkCheckOut(serializers.ModelSerializer):
    """One check of a link: when, what it found, how long it took."""

    class Meta:
        model = LinkCheck
        fields = ["checked_at", "outcome", "http_status", "latency_ms", "method", "final_url",
                  "redirect_count", "changed", "error"]
        read_only_fields = fields


class LinkInput(serializers.Serializer):
    url = StrictCharField(max_length=4096, help_text="Any form; it is normalised.")

    def validate_url(self, value: str) -> str:
        try:
            return normalize_url(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None


class ParentBrief(serializers.Serializer):
    id = serializers.IntegerField()
    name = StrictCharField()


class ClaimCounts(serializers.Serializer):
    by_role = serializers.DictField(child=serializers.IntegerField(),
                                    help_text="claimant / conduit / outlet → claims.")
    by_status = serializers.DictField(child=serializers.IntegerField(),
                                      help_text="Claim status → claims.")


class SourceOut(serializers.ModelSerializer):
    country = StrictCharField(help_text="ISO 3166-1 alpha-2, or empty.")
    homepage = StrictCharField(help_text="A URL, or empty.")
    reliability_label = StrictCharField(source="get_reliability_display")
    parent = serializers.SerializerMethodField()
    aliases = serializers.SerializerMethodField()
    claim_counts = serializers.SerializerMethodField(
        help_text="Claims the caller may see, by this source's role in them and by status.")

    class Meta:
        model = Source
        fields = ["id", "name", "kind", "country", "reliability", "reliability_label",
                  "reliability_rationale", "parent", "aliases", "homepage", "claim_counts",
                  "created_at", "updated_at"]
        read_only_fields = fields

    def get_parent(self, source) -> ParentBrief(allow_null=True):  # type: ignore[valid-type]
        if source.parent_id is None:
            return None
        return {"id": source.parent_id, "name": source.parent.name}

    def get_aliases(self, source) -> list[str]:
        return [a.alias for a in source.aliases.all()]

    def get_claim_counts(self, source) -> ClaimCounts:  # type: ignore[valid-type]
        counts = self.context.get("claim_counts", {})
        return counts.get(source.pk, {"by_role": {}, "by_status": {}})
