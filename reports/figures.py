"""Every figure the reports show, computed in SQL.

Each public function takes a `ReportFilter` and returns plain JSON-ready data
(ints, floats, strings, ISO dates): the page, the CSV/JSON downloads, the API
and the stored snapshots all serve the same dicts, so a snapshot is simply
what these functions returned on the day it was taken.

No function loops over claims in Python: counting, grouping, percentiles and
"all evidence broken" are SQL (GROUP BY, COUNT … FILTER, percentile_cont,
EXISTS). Python only formats the few aggregated rows that come back and fills
empty weeks on a time axis.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Lower, NullIf, RowNumber, Substr, TruncWeek
from django.utils import timezone

from claims.models import (
    VERDICTS,
    Attribution,
    Claim,
    Evidence,
    Quantity,
    Role,
    Status,
    StatusChange,
)
from sources.models import Link, LinkHealth, Reliability, SourceKind

VERDICT_ORDER = [Status.SUPPORTED, Status.DISPUTED, Status.FALSE, Status.MISLEADING,
                 Status.UNVERIFIABLE]
VERDICT_VALUES = [s.value for s in VERDICT_ORDER]
OPEN_STATUSES = [Status.UNVERIFIED.value, Status.IN_REVIEW.value]
assert set(VERDICT_VALUES) == {s.value for s in VERDICTS}


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


# --- SQL helpers ------------------------------------------------------------

def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


class PercentileCont(Aggregate):
    """PostgreSQL's continuous percentile, e.g. the median at 0.5."""

    function = "percentile_cont"
    name = "PercentileCont"
    output_field = FloatField()
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        # float() keeps the literal spliced into the SQL a number, whatever was passed.
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


class EpochSeconds(Func):
    """Seconds in an interval (PostgreSQL)."""

    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


class GroupConcat(Aggregate):
    """Names joined with "; ": string_agg on PostgreSQL, group_concat on SQLite."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, '; ')"
    allow_distinct = True

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, function="STRING_AGG",
            template="%(function)s(%(distinct)s%(expressions)s, '; ' ORDER BY %(expressions)s)",
            **extra_context,
        )


def _start_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def _date_bounds(f: ReportFilter, field_name: str) -> Q:
    q = Q()
    if f.date_from:
        q &= Q(**{f"{field_name}__gte": _start_of_day(f.date_from)})
    if f.date_to:
        q &= Q(**{f"{field_name}__lt": _start_of_day(f.date_to + dt.timedelta(days=1))})
    return q


def claims_in_scope(f: ReportFilter) -> QuerySet[Claim]:
    """The claims a report counts. EXISTS, not joins, so no claim is counted twice."""
    qs = Claim.objects.order_by()
    if f.published_only:
        qs = qs.filter(published=True)
    qs = qs.filter(_date_bounds(f, "created_at"))
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


def _scoped(qs: QuerySet, f: ReportFilter, claim_field: str = "claim_id") -> QuerySet:
    """Rows of another table that belong to claims in scope (no subquery when unfiltered)."""
    if not f.narrows_claims:
        return qs
    return qs.filter(**{f"{claim_field}__in": claims_in_scope(f).values("pk")})


def _num(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def _week(value: dt.datetime | dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _days(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 86400, 2)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def stale_after_days() -> int:
    return int(getattr(settings, "REPORTS_STALE_AFTER_DAYS", 14))


# --- Claims by status now ---------------------------------------------------

def status_counts(f: ReportFilter) -> Figure:
    """How many claims are in each status now: one scan, one COUNT … FILTER per status."""
    totals = claims_in_scope(f).aggregate(
        total=Count("pk"),
        **{s.value: Count("pk", filter=Q(status=s.value)) for s in Status},
    )
    rows = [
        {"status": s.value, "label": s.label, "claims": totals[s.value],
         "share": _share(totals[s.value], totals["total"])}
        for s in Status
    ]
    reviewed = sum(totals[v] for v in VERDICT_VALUES)
    return Figure(rows, summary={"total": totals["total"], "with_verdict": reviewed,
                                 "open": totals["unverified"] + totals["in_review"]})


# --- Over time --------------------------------------------------------------

def _verdict_events(f: ReportFilter) -> QuerySet[StatusChange]:
    events = StatusChange.objects.order_by().filter(to_status__in=VERDICT_VALUES)
    events = events.filter(_date_bounds(f, "at"))
    return _scoped(events, f.without_dates())


def _fill_weeks(by_week: dict[dt.date, dict[str, Any]], empty: dict[str, Any]) -> list[dict]:
    """Every week between the first and the last, so gaps read as zero, not as nothing."""
    if not by_week:
        return []
    week, last = min(by_week), max(by_week)
    rows = []
    while week <= last:
        rows.append({"week": week.isoformat(), **(by_week.get(week) or dict(empty))})
        week += dt.timedelta(days=7)
    return rows


def weekly_activity(f: ReportFilter) -> Figure:
    """Per week (Monday, UTC): claims opened, and verdicts given, by verdict.

    A claim reopened and judged again counts in each week it was judged: these
    are verdicts given, read from the status history, not claims' current state.
    """
    opened = (
        claims_in_scope(f).annotate(week=TruncWeek("created_at"))
        .values("week").annotate(n=Count("pk")).values_list("week", "n")
    )
    judged = (
        _verdict_events(f).annotate(week=TruncWeek("at"))
        .values("week")
        .annotate(**{v: Count("pk", filter=Q(to_status=v)) for v in VERDICT_VALUES})
        .values_list("week", *VERDICT_VALUES)
    )
    empty = {"opened": 0, "reviewed": 0, **dict.fromkeys(VERDICT_VALUES, 0)}
    by_week: dict[dt.date, dict[str, Any]] = {}
    for week, n in opened:
        by_week.setdefault(_week(week), dict(empty))["opened"] = n
    for week, *counts in judged:
        row = by_week.setdefault(_week(week), dict(empty))
        row.update(zip(VERDICT_VALUES, counts, strict=True))
        row["reviewed"] = sum(counts)
    rows = _fill_weeks(by_week, empty)
    return Figure(rows, summary={
        "weeks": len(rows),
        "opened": sum(r["opened"] for r in rows),
        "reviewed": sum(r["reviewed"] for r in rows),
    })


def review_throughput(f: ReportFilter) -> Figure:
    """Per week of verdict: days from a claim's creation to that verdict, median and p90."""
    events = _verdict_events(f).annotate(week=TruncWeek("at")).values("week")
    if not _is_postgres():
        rows = [{"week": _week(w).isoformat(), "reviewed": n, "median_days": None,
                 "p90_days": None}
                for w, n in events.annotate(n=Count("pk")).values_list("week", "n")]
        return Figure(_fill_weeks({dt.date.fromisoformat(r["week"]): r for r in rows},
                                  {"reviewed": 0, "median_days": None, "p90_days": None}),
                      note="Median and 90th percentile are computed on PostgreSQL only.")
    waited = EpochSeconds(F("at") - F("claim__created_at"))
    weekly = events.annotate(
        n=Count("pk"), median=PercentileCont(waited, 0.5), p90=PercentileCont(waited, 0.9),
    ).values_list("week", "n", "median", "p90")
    by_week = {
        _week(week): {"reviewed": n, "median_days": _days(median), "p90_days": _days(p90)}
        for week, n, median, p90 in weekly
    }
    overall = _verdict_events(f).aggregate(
        n=Count("pk"), median=PercentileCont(waited, 0.5), p90=PercentileCont(waited, 0.9))
    return Figure(
        _fill_weeks(by_week, {"reviewed": 0, "median_days": None, "p90_days": None}),
        summary={"reviewed": overall["n"], "median_days": _days(overall["median"]),
                 "p90_days": _days(overall["p90"])},
    )


def _claim_label() -> Coalesce:
    return Coalesce(NullIf("summary_en", Value("")), Substr("text", 1, 140),
                    output_field=TextField())


def stale_claims(f: ReportFilter, *, now: dt.datetime | None = None, limit: int = 50) -> Figure:
    """The oldest claims still without a verdict, past the stale threshold (setting)."""
    now = now or timezone.now()
    days = stale_after_days()
    stale = claims_in_scope(f).filter(status__in=OPEN_STATUSES,
                                      created_at__lt=now - dt.timedelta(days=days))
    rows = [
        {"claim_id": pk, "claim": label, "status": status, "language": language,
         "created_at": _iso(created), "age_days": (now - created).days}
        for pk, label, status, language, created in
        stale.order_by("created_at", "pk")
        .annotate(label=_claim_label())
        .values_list("pk", "label", "status", "language", "created_at")[:limit]
    ]
    return Figure(rows, summary={"stale": stale.count(), "stale_after_days": days})


# --- By source, kind and grade ---------------------------------------------

def _role_and_verdict_counts() -> dict[str, Count]:
    """Attribution counts by role, and the verdicts of the claims a source made."""
    counts: dict[str, Count] = {
        f"as_{role.value}": Count("pk", filter=Q(role=role.value)) for role in Role
    }
    made = Q(role=Role.CLAIMANT)
    counts.update({v: Count("pk", filter=made & Q(claim__status=v)) for v in VERDICT_VALUES})
    counts["open"] = Count("pk", filter=made & Q(claim__status__in=OPEN_STATUSES))
    return counts


def _with_shares(row: dict[str, Any]) -> dict[str, Any]:
    reviewed = sum(row[v] for v in VERDICT_VALUES)
    row["reviewed"] = reviewed
    row["false_or_disputed_share"] = _share(row["false"] + row["disputed"], reviewed)
    return row


def _attributions(f: ReportFilter) -> QuerySet[Attribution]:
    return _scoped(Attribution.objects.order_by(), f)


def by_source(f: ReportFilter, *, limit: int = 50) -> Figure:
    """Per source: claims made (claimant), relayed (conduit), published (outlet),
    and how the verdicts on the claims it made fell."""
    rows = (
        _attributions(f)
        .values("source_id")
        .annotate(name=F("source__name"), kind=F("source__kind"),
                  grade=F("source__reliability"), **_role_and_verdict_counts())
        .order_by("-as_claimant", "-as_conduit", "-as_outlet", "name", "source_id")
        .values("source_id", "name", "kind", "grade", *_FIGURE_KEYS)[:limit]
    )
    return Figure(
        [_with_shares({"source_id": r.pop("source_id"), "source": r.pop("name"), **r})
         for r in rows],
        summary={"sources": _attributions(f).values("source_id").distinct().count()},
    )


_FIGURE_KEYS = [f"as_{r.value}" for r in Role] + VERDICT_VALUES + ["open"]


def _by_source_attribute(f: ReportFilter, attribute: str, choices: Any) -> list[dict]:
    counted = {
        r[attribute]: r for r in
        _attributions(f).values(**{attribute: F(f"source__{_SOURCE_FIELD[attribute]}")})
        .annotate(sources=Count("source_id", distinct=True), **_role_and_verdict_counts())
        .order_by()
    }
    rows = []
    for choice in choices:
        row = counted.get(choice.value)
        if row:
            rows.append(_with_shares({**row, attribute: choice.value, "label": choice.label}))
    return rows


_SOURCE_FIELD = {"kind": "kind", "grade": "reliability"}


def by_source_kind(f: ReportFilter) -> Figure:
    return Figure(_by_source_attribute(f, "kind", SourceKind))


def by_grade(f: ReportFilter) -> Figure:
    return Figure(_by_source_attribute(f, "grade", Reliability))


# --- Link health ------------------------------------------------------------

def _links(f: ReportFilter) -> QuerySet[Link]:
    """Links cited (as evidence or where an attribution appeared) by claims in scope."""
    links = Link.objects.order_by()
    if not f.narrows_claims:
        return links
    scope = claims_in_scope(f).values("pk")
    return links.filter(
        Exists(Evidence.objects.filter(link_id=OuterRef("pk"), claim_id__in=scope))
        | Exists(Attribution.objects.filter(link_id=OuterRef("pk"), claim_id__in=scope))
    )


def link_health(f: ReportFilter) -> Figure:
    """Links by health, plus how many have an archived copy (to point readers at)."""
    totals = _links(f).aggregate(
        total=Count("pk"),
        archived=Count("pk", filter=~Q(archive_url="")),
        broken_with_archive=Count("pk", filter=Q(health=LinkHealth.BROKEN) & ~Q(archive_url="")),
        **{h.value: Count("pk", filter=Q(health=h.value)) for h in LinkHealth},
    )
    rows = [{"health": h.value, "label": h.label, "links": totals[h.value],
             "share": _share(totals[h.value], totals["total"])} for h in LinkHealth]
    return Figure(rows, summary={"total": totals["total"], "archived": totals["archived"],
                                 "broken_with_archive": totals["broken_with_archive"]})


def worst_domains(f: ReportFilter, *, limit: int = 20) -> Figure:
    """Hosts with the most broken or blocked links (changed ones counted alongside)."""
    bad = Q(health__in=[LinkHealth.BROKEN, LinkHealth.BLOCKED])
    rows = (
        _links(f).values("host")
        .annotate(links=Count("pk"),
                  broken=Count("pk", filter=Q(health=LinkHealth.BROKEN)),
                  blocked=Count("pk", filter=Q(health=LinkHealth.BLOCKED)),
                  changed=Count("pk", filter=Q(health=LinkHealth.CHANGED)),
                  bad=Count("pk", filter=bad))
        .filter(bad__gt=0)
        .order_by("-bad", "-links", "host")
        .values("host", "links", "broken", "blocked", "changed", "bad")[:limit]
    )
    return Figure([
        {**{k: v for k, v in r.items() if k != "bad"}, "bad_share": _share(r["bad"], r["links"])}
        for r in rows
    ])


def claims_with_all_evidence_broken(f: ReportFilter, *, limit: int = 50) -> Figure:
    """Claims that cite evidence, none of which still resolves.

    Starts from the (few) broken links and excludes any claim with one working
    piece of evidence, so the work is proportional to the broken links.
    """
    broken = Evidence.objects.filter(claim_id=OuterRef("pk"), link__health=LinkHealth.BROKEN)
    working = Evidence.objects.filter(claim_id=OuterRef("pk")).exclude(
        link__health=LinkHealth.BROKEN)
    dead = claims_in_scope(f).filter(Exists(broken)).exclude(Exists(working))
    evidence_count = Subquery(
        Evidence.objects.filter(claim_id=OuterRef("pk")).order_by()
        .values("claim_id").annotate(n=Count("pk")).values("n"),
        output_field=IntegerField(),
    )
    rows = [
        {"claim_id": pk, "claim": label, "status": status, "evidence_links": n,
         "created_at": _iso(created)}
        for pk, label, status, created, n in
        dead.order_by("-created_at", "-pk")
        .annotate(label=_claim_label(), n=evidence_count)
        .values_list("pk", "label", "status", "created_at", "n")[:limit]
    ]
    return Figure(rows, summary={"claims": dead.count()})


# --- Conflicting figures ----------------------------------------------------

def conflicting_figures(f: ReportFilter, *, groups: int = 20, per_group: int = 10) -> Figure:
    """Claims about the same counted thing (same words, same unit) whose figures differ,
    side by side: who claims it, the qualifier, the bounds, the date."""
    point = Coalesce("value", "lower", "upper")
    quantities = _scoped(Quantity.objects.order_by(), f).annotate(thing=Lower("counted"))
    top = (
        quantities.values("thing", "unit")
        .annotate(claims=Count("pk"), low=Min(point), high=Max(point),
                  qualifiers=Count("qualifier", distinct=True))
        .filter(claims__gte=2)
        .filter(Q(high__gt=F("low")) | Q(qualifiers__gt=1))
        .order_by("-claims", "thing", "unit")
        .values_list("thing", "unit", "claims")[:groups]
    )
    top = list(top)
    if not top:
        return Figure([], summary={"groups": 0})
    in_top = Q()
    for thing, unit, _ in top:
        in_top |= Q(thing=thing, unit=unit)
    claimants = (
        Attribution.objects.filter(claim_id=OuterRef("claim_id"), role=Role.CLAIMANT)
        .order_by().values("claim_id").annotate(names=GroupConcat("source__name"))
        .values("names")
    )
    group = {"partition_by": [F("thing"), F("unit")]}
    rows = (
        quantities.filter(in_top)
        .annotate(
            size=Window(Count("pk"), **group),
            rank=Window(RowNumber(), **group,
                        order_by=[F("claim__made_on").desc(nulls_last=True),
                                  F("claim_id").desc()]),
            claimants=Subquery(claimants),
        )
        .filter(rank__lte=per_group)
        .order_by("-size", "thing", "unit", "rank")
        .values_list("counted", "unit", "size", "claim_id", "claimants", "qualifier", "value",
                     "lower", "upper", "as_said", "claim__made_on", "claim__status")
    )
    out = [
        {"counted": counted, "unit": unit, "claims_in_group": size, "claim_id": claim_id,
         "claimants": names or "", "qualifier": qualifier, "value": _num(value),
         "lower": _num(lower), "upper": _num(upper), "as_said": as_said,
         "made_on": _iso(made_on), "status": status}
        for counted, unit, size, claim_id, names, qualifier, value, lower, upper, as_said,
        made_on, status in rows
    ]
    return Figure(out, summary={"groups": len(top)})
