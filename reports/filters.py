"""What a report is asked for and what it gives back: the filter, the claims it
selects, and the Figure every report function returns."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from claims.models import Attribution, Claim


@dataclass(frozen=True)
class ReportFilter:
    """What every report can be narrowed to.

    The date range selects claims by when they entered the tracker; the
    event-based figures (verdicts per week, review throughput) apply it to the
    date of the verdict instead. `published_only` is forced on for API read keys.
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    tag: str = ""
    language: str = ""
    source: int | None = None
    published_only: bool = False

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("date_from", "date_to"):
            if data[key] is not None:
                data[key] = data[key].isoformat()
        return data

    @property
    def narrows_claims(self) -> bool:
        """True when some claims are left out (so joins need the claim subquery)."""
        return any((self.date_from, self.date_to, self.tag, self.language, self.source,
                    self.published_only))

    def without_dates(self) -> ReportFilter:
        return ReportFilter(tag=self.tag, language=self.language, source=self.source,
                            published_only=self.published_only)


NO_FILTER = ReportFilter()


@dataclass
class Figure:
    """One report's data: its rows, and anything the reader needs to read them."""

    rows: list[dict[str, Any]]
    summary: dict[str, Any] = field(default_factory=dict)
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "summary": self.summary, "note": self.note}

def start_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def date_bounds(f: ReportFilter, field_name: str) -> Q:
    q = Q()
    if f.date_from:
        q &= Q(**{f"{field_name}__gte": start_of_day(f.date_from)})
    if f.date_to:
        q &= Q(**{f"{field_name}__lt": start_of_day(f.date_to + dt.timedelta(days=1))})
    return q


def claims_in_scope(f: ReportFilter) -> QuerySet[Claim]:
    """The claims a report counts. EXISTS, not joins, so no claim is counted twice."""
    qs = Claim.objects.order_by()
    if f.published_only:
        qs = qs.filter(published=True)
    qs = qs.filter(date_bounds(f, "created_at"))
    if f.tag:
        qs = qs.filter(Exists(Claim.tags.through.objects.filter(
            claim_id=OuterRef("pk"), tag__name=f.tag.strip().lower())))
    if f.language:
        lang = f.language.strip()
        qs = qs.filter(Q(language__iexact=lang) | Q(language__istartswith=f"{lang}-"))
    if f.source is not None:
        qs = qs.filter(Exists(Attribution.objects.filter(claim_id=OuterRef("pk"),
                                                          source_id=f.source)))
    return qs


def rows_in_scope(qs: QuerySet, f: ReportFilter, claim_field: str = "claim_id") -> QuerySet:
    """Rows of another table that belong to claims in scope (no subquery when unfiltered)."""
    if not f.narrows_claims:
        return qs
    return qs.filter(**{f"{claim_field}__in": claims_in_scope(f).values("pk")})
