"""Claim list filters. Each relation filter is an EXISTS, so no filter
multiplies rows and none needs DISTINCT."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from claims.models import (
    Attribution,
    Claim,
    ClaimRelation,
    Evidence,
    RelationKind,
    Role,
    Status,
)
from claims.search import search
from factcheck.api.filtering import UtcDateTimeFilter
from factcheck.api.sync import SyncFilterMixin
from newsrooms.permissions import sees_unpublished
from sources.models import LinkHealth, SourceAlias, SourceKind
from sources.text import fold


def source_ids_for(value: str) -> list[int]:
    """`source=12` or `source=KCNA`: an id, else any alias of a source."""
    # isascii: "²" and "①" are digits to str.isdigit() but not to int().
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return [int(value)]
    return list(SourceAlias.objects.filter(folded=fold(value)).values_list("source_id",
                                                                          flat=True))


@extend_schema_field({"type": "boolean"})  # sent as true or false, as OpenAPI says
class StrictBooleanFilter(filters.ChoiceFilter):
    """true or false; anything else is a 400 rather than silently no filter."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        super().__init__(*args, **kwargs)


class ClaimFilter(SyncFilterMixin):
    q = filters.CharFilter(
        method="filter_q", max_length=200,
        help_text="Words in the claim, its summary, quotes, or its sources' names and aliases. "
                  "Any script; case- and accent-insensitive; word starts match.",
    )
    status = filters.MultipleChoiceFilter(choices=Status.choices,
                                          help_text="Repeat for several.")
    source = filters.CharFilter(method="filter_none", max_length=200,
                                help_text="A source id, or any name or alias of it.")
    source_kind = filters.MultipleChoiceFilter(choices=SourceKind.choices, method="filter_none")
    role = filters.ChoiceFilter(
        choices=Role.choices, method="filter_none",
        help_text="With `source`/`source_kind`: in that role. Alone: has an attribution "
                  "in that role.",
    )
    language = filters.CharFilter(method="filter_language", max_length=35,
                                  help_text="BCP-47; `az` also matches `az-Latn`.")
    tag = filters.CharFilter(method="filter_tag", max_length=64)
    made_after = filters.DateFilter(field_name="made_on", lookup_expr="gte")
    made_before = filters.DateFilter(field_name="made_on", lookup_expr="lte")
    about_after = filters.DateFilter(method="filter_about_after",
                                     help_text="The period it is about ends on or after.")
    about_before = filters.DateFilter(method="filter_about_before",
                                      help_text="The period it is about starts on or before.")
    updated_after = UtcDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    updated_before = UtcDateTimeFilter(field_name="updated_at", lookup_expr="lt")
    has_conflicts = StrictBooleanFilter(method="filter_has_conflicts")
    link_health = filters.MultipleChoiceFilter(
        choices=LinkHealth.choices, method="filter_link_health",
        help_text="Has evidence or an attribution whose link is in one of these states.",
    )
    published = StrictBooleanFilter(method="filter_published")

    class Meta:
        model = Claim
        fields: list[str] = []

    def filter_none(self, queryset, name, value):
        return queryset  # applied together in filter_queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        source, kinds, role = data.get("source"), data.get("source_kind"), data.get("role")
        if source or kinds or role:
            cond = Q(claim=OuterRef("pk"))
            if source:
                cond &= Q(source_id__in=source_ids_for(source))
            if kinds:
                cond &= Q(source__kind__in=kinds)
            if role:
                cond &= Q(role=role)
            queryset = queryset.filter(Exists(Attribution.objects.filter(cond)))
        return queryset

    def filter_q(self, queryset, name, value):
        return search(queryset, value)

    def filter_language(self, queryset, name, value):
        return queryset.filter(Q(language__iexact=value) | Q(language__istartswith=f"{value}-"))

    def filter_tag(self, queryset, name, value):
        return queryset.filter(tags__name=value.strip().lower())

    def filter_about_after(self, queryset, name, value):
        return queryset.filter(Q(about_end__gte=value) | Q(about_end__isnull=True,
                                                           about_start__gte=value))

    def filter_about_before(self, queryset, name, value):
        return queryset.filter(Q(about_start__lte=value) | Q(about_start__isnull=True,
                                                             about_end__lte=value))

    def filter_published(self, queryset, name, value):
        return queryset.filter(published=value == "true")

    def filter_has_conflicts(self, queryset, name, value):
        value = value == "true"
        conflicts = ClaimRelation.objects.filter(
            Q(from_claim=OuterRef("pk")) | Q(to_claim=OuterRef("pk")),
            kind=RelationKind.CONFLICTS_WITH,
        )
        if not sees_unpublished(self.request):
            # A conflict with a draft must not tell a read key the draft exists.
            conflicts = conflicts.filter(from_claim__published=True, to_claim__published=True)
        return queryset.filter(Exists(conflicts) if value else ~Exists(conflicts))

    def filter_link_health(self, queryset, name, value):
        return queryset.filter(
            Exists(Evidence.objects.filter(claim=OuterRef("pk"), link__health__in=value))
            | Exists(Attribution.objects.filter(claim=OuterRef("pk"), link__health__in=value))
        )


class ClaimReviewFilter(SyncFilterMixin):
    class Meta:
        model = Claim
        fields: list[str] = []
