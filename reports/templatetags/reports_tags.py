from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from claims.models import Qualifier, Status
from reports.catalogue import DATE, DATETIME, FLOAT, INT, NUM

register = template.Library()

_STATUS_LABELS = dict(Status.choices)
_QUALIFIER_LABELS = dict(Qualifier.choices)


def _claim_link(pk: int) -> str:
    try:
        return format_html('<a href="{}">#{}</a>', reverse("admin:claims_claim_change",
                                                            args=[pk]), pk)
    except NoReverseMatch:
        return f"#{pk}"


@register.simple_tag
def cell(row: dict[str, Any], key: str, kind: str, link_sources: bool = True) -> str:
    """A table cell's text: numbers grouped, shares as percentages, statuses as badges."""
    value = row.get(key)
    if value is None or value == "":
        return "—"
    if key == "status":
        return format_html('<span class="badge badge-{}">{}</span>', value,
                           _STATUS_LABELS.get(value, value))
    if key == "claim_id":
        return _claim_link(value)
    if key == "qualifier":
        return _QUALIFIER_LABELS.get(value, value)
    if key == "source" and link_sources and row.get("source_id"):
        return format_html('<a href="?source={}" title="Show only this source">{}</a>',
                           row["source_id"], value)
    if kind == FLOAT and key.endswith("share"):
        return f"{value * 100:.1f} %"
    if kind in (INT, NUM, FLOAT):
        return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")
    if kind == DATETIME:
        return value[:16].replace("T", " ")
    if kind == DATE:
        return value
    return value


@register.filter
def numeric(kind: str) -> bool:
    return kind in (INT, NUM, FLOAT)
