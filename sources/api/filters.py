from django import forms
from django.db.models import Exists, OuterRef
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from factcheck.api.sync import SyncFilterMixin
from sources.models import Link, LinkHealth, Reliability, Source, SourceAlias, SourceKind
from sources.text import fold


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 2**63 - 1})
class IdFilter(filters.NumberFilter):
    """A row id: a whole number from 1 (the schema says so; 0 or 1.5 are a 400)."""

    field_class = forms.IntegerField


class SourceFilter(SyncFilterMixin):
    kind = filters.MultipleChoiceFilter(choices=SourceKind.choices)
    reliability = filters.MultipleChoiceFilter(choices=Reliability.choices)
    country = filters.CharFilter(method="filter_country", max_length=2,
                                 help_text="ISO 3166-1 alpha-2, e.g. KR.")
    name = filters.CharFilter(method="filter_name", max_length=200,
                              help_text="Any name or alias, case- and accent-insensitive; "
                                        "word starts match.")
    parent = IdFilter(field_name="parent_id", min_value=1, max_value=2**63 - 1)

    class Meta:
        model = Source
        fields: list[str] = []

    @extend_schema_field({"type": "string", "maxLength": 2})
    def filter_country(self, queryset, name, value):
        return queryset.filter(country=value.upper())

    def filter_name(self, queryset, name, value):
        folded = fold(value)
        return queryset.filter(Exists(SourceAlias.objects.filter(
            source=OuterRef("pk"), folded__startswith=folded)))


class LinkFilter(SyncFilterMixin):
    health = filters.MultipleChoiceFilter(choices=LinkHealth.choices)
    host = filters.CharFilter(max_length=255)

    class Meta:
        model = Link
        fields: list[str] = []
