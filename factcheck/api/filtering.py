import re
from datetime import UTC

from django_filters import fields as filter_fields
from django_filters import rest_framework as filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter


class FilterBackend(DjangoFilterBackend):
    """django-filter, skipped when the request names none of the view's filters.

    Building a FilterSet's form costs a few milliseconds per request whether
    or not a filter is given; the plain first page, the most common request,
    pays nothing for filters it does not use.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        if not request.query_params.keys() & filterset_class.base_filters.keys():
            return queryset
        return super().filter_queryset(request, queryset, view)


class StrictOrderingFilter(OrderingFilter):
    """`ordering` with an unknown field is a 400 naming the choices, not ignored."""

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw:
            valid = {name for name, _ in self.get_valid_fields(queryset, view,
                                                               {"request": request})}
            unknown = [term for term in (t.strip() for t in raw.split(","))
                       if term.removeprefix("-") not in valid]
            if unknown:
                choices = ", ".join(sorted(valid)) or "none here"
                raise ValidationError({self.ordering_param: [
                    f"Unknown ordering {', '.join(map(repr, unknown))}; one of: {choices} "
                    "(prefix - for descending)."]})
        return super().get_ordering(request, queryset, view)

    def get_schema_operation_parameters(self, view):
        """The schema names the fields the server takes, as a pattern: one or more,
        comma-separated, each optionally prefixed with - (empty: the default order)."""
        parameters = super().get_schema_operation_parameters(view)
        fields = getattr(view, "ordering_fields", None)
        if isinstance(fields, (list, tuple)):
            name = "(?:" + "|".join(re.escape(f) for f in sorted(fields)) + ")"
            term = rf"\s*-?{name}\s*"
            for parameter in parameters:
                # No fields to order by (an action's own list): only the default order.
                parameter["schema"]["pattern"] = (rf"^(?:{term}(?:,{term})*)?$" if fields
                                                  else "^$")
        return parameters


class UtcDateTimeField(filter_fields.IsoDateTimeField):
    def to_python(self, value):
        value = super().to_python(value)
        # ISO 8601 allows offsets PostgreSQL refuses (beyond ±15:59, e.g. -17:32):
        # the same instant in UTC is the one every database takes.
        return value.astimezone(UTC) if value is not None and value.tzinfo else value


class UtcDateTimeFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 date-time filter that queries with the instant in UTC."""

    field_class = UtcDateTimeField
