"""Every figure the reports show, computed in SQL.

Each public function takes a `ReportFilter` and returns plain JSON-ready data
(ints, floats, strings, ISO dates): the page, the CSV/JSON downloads, the API
and the stored snapshots all serve the same dicts, so a snapshot is simply
what these functions returned on the day it was taken.

No function loops over claims in Python: counting, grouping, percentiles and
"all evidence broken" are SQL (GROUP BY, COUNT … FILTER, percentile_cont,
EXISTS). Python only formats the few aggregated rows that come back and fills
empty weeks on a time axis.

Two ways to each figure: the live queries over the claim tables (any filter, and
SQLite), and, on PostgreSQL for the unfiltered and published-only views, the
running counts kept by `reports.rollups` (end of this module). Tests hold the
two to the same figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
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
    OPEN_STATUSES as OPEN,
)
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

from .models import DeadEvidenceClaim

VERDICT_VALUES = [s.value for s in VERDICTS]
OPEN_STATUSES = [s.value for s in OPEN]


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


@contextmanager
def one_reading() -> Iterator[None]:
    """Every figure of a page from one snapshot of the data, with memory to sort in.

    On PostgreSQL: a read-only REPEATABLE READ transaction (unless the caller is
    already in one), so the figures add up with each other; and `work_mem` raised
    for it alone, so the percentile sorts stay in memory (REPORTS_WORK_MEM).
    """
    if not _is_postgres():
        yield
        return
    outermost = not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        if outermost:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT set_config('work_mem', %s, true)",
                       [getattr(settings, "REPORTS_WORK_MEM", "64MB")])
        yield


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


def _days(seconds: float | Decimal | None) -> float | None:
    return None if seconds is None else round(float(seconds) / 86400, 2)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def stale_after_days() -> int:
    return int(getattr(settings, "REPORTS_STALE_AFTER_DAYS", 14))


# --- Claims by status now ---------------------------------------------------

def status_counts(f: ReportFilter) -> Figure:
    """How many claims are in each status now: one COUNT … FILTER per status, one scan."""
    if _counted(f):
        counts = _status_counts_counted(f)
    else:
        counts = claims_in_scope(f).aggregate(
            **{s.value: Count("pk", filter=Q(status=s.value)) for s in Status})
    counts = {s.value: counts.get(s.value, 0) for s in Status}
    total = sum(counts.values())
    rows = [{"status": s.value, "label": s.label, "claims": counts[s.value],
             "share": _share(counts[s.value], total)} for s in Status]
    return Figure(rows, summary={"total": total,
                                 "with_verdict": sum(counts[v] for v in VERDICT_VALUES),
                                 "open": counts["unverified"] + counts["in_review"]})


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
    if _counted(f):
        opened, judged = _weekly_counted(f)
    else:
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
    if _counted(f):
        weekly = _throughput_counted(f, by_week=True)
        [(_, n, median, p90)] = _throughput_counted(f, by_week=False) or [(None, 0, None, None)]
        overall = {"n": n, "median": median, "p90": p90}
    else:
        waited = EpochSeconds(F("at") - F("claim__created_at"))
        weekly = events.annotate(
            n=Count("pk"), median=PercentileCont(waited, 0.5), p90=PercentileCont(waited, 0.9),
        ).values_list("week", "n", "median", "p90")
        overall = _verdict_events(f).aggregate(
            n=Count("pk"), median=PercentileCont(waited, 0.5), p90=PercentileCont(waited, 0.9))
    by_week = {
        _week(week): {"reviewed": int(n), "median_days": _days(median), "p90_days": _days(p90)}
        for week, n, median, p90 in weekly
    }
    return Figure(
        _fill_weeks(by_week, {"reviewed": 0, "median_days": None, "p90_days": None}),
        summary={"reviewed": int(overall["n"]), "median_days": _days(overall["median"]),
                 "p90_days": _days(overall["p90"])},
    )


def _claim_label() -> Coalesce:
    return Coalesce(NullIf("summary_en", Value("")), Substr("text", 1, 140),
                    output_field=TextField())


def stale_claims(f: ReportFilter, *, now: dt.datetime | None = None, limit: int = 50) -> Figure:
    """The oldest claims still without a verdict, past the stale threshold (setting)."""
    now = now or timezone.now()
    days = stale_after_days()
    cutoff = now - dt.timedelta(days=days)
    stale = claims_in_scope(f).filter(status__in=OPEN_STATUSES, created_at__lt=cutoff)
    rows = [
        {"claim_id": pk, "claim": label, "status": status, "language": language,
         "created_at": _iso(created), "age_days": (now - created).days}
        for pk, label, status, language, created in
        stale.order_by("created_at", "pk")
        .annotate(label=_claim_label())
        .values_list("pk", "label", "status", "language", "created_at")[:limit]
    ]
    count = _stale_count_counted(f, cutoff) if _counted(f) else stale.count()
    return Figure(rows, summary={"stale": count, "stale_after_days": days})


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
    if _counted(f):
        return _by_source_counted(f, limit)
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
    if _counted(f):
        return _by_source_attribute_counted(f, attribute, choices)
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
    if _counted(f) and not f.published_only:
        totals = _link_health_counted()
    else:
        totals = _links(f).aggregate(
            total=Count("pk"),
            archived=Count("pk", filter=~Q(archive_url="")),
            broken_with_archive=Count("pk", filter=Q(health=LinkHealth.BROKEN)
                                      & ~Q(archive_url="")),
            **{h.value: Count("pk", filter=Q(health=h.value)) for h in LinkHealth},
        )
    rows = [{"health": h.value, "label": h.label, "links": totals[h.value],
             "share": _share(totals[h.value], totals["total"])} for h in LinkHealth]
    return Figure(rows, summary={"total": totals["total"], "archived": totals["archived"],
                                 "broken_with_archive": totals["broken_with_archive"]})


def worst_domains(f: ReportFilter, *, limit: int = 20) -> Figure:
    """Hosts with the most broken or blocked links (changed ones counted alongside)."""
    if _counted(f) and not f.published_only:
        return Figure(_worst_domains_counted(limit))
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
    if _is_postgres():
        return _dead_evidence_pg(f, limit)
    return _dead_evidence_live(f, limit)


def _dead_evidence_live(f: ReportFilter, limit: int) -> Figure:
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


def _dead_evidence_pg(f: ReportFilter, limit: int) -> Figure:
    """From the list the triggers keep (reports.rollups): no scan of all evidence."""
    dead = DeadEvidenceClaim.objects.all()
    if f.published_only:
        dead = dead.filter(published=True)
    if f.narrows_claims:
        dead = dead.filter(claim_id__in=claims_in_scope(f).values("pk"))
    rows = [
        {"claim_id": pk, "claim": label, "status": status, "evidence_links": n,
         "created_at": _iso(created)}
        for pk, label, status, n, created in
        dead.order_by("-created_at", "-claim_id")
        .annotate(label=Coalesce(NullIf("claim__summary_en", Value("")),
                                 Substr("claim__text", 1, 140), output_field=TextField()))
        .values_list("claim_id", "label", "claim__status", "evidence_links", "created_at")[:limit]
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
                  first_qualifier=Min("qualifier"), last_qualifier=Max("qualifier"))
        .filter(claims__gte=2)
        .filter(Q(high__gt=F("low")) | ~Q(first_qualifier=F("last_qualifier")))
        .order_by("-claims", "thing", "unit")
        .values_list("thing", "unit", "claims")[:groups]
    )
    top = _conflict_groups_counted(f, groups) if _counted(f) else list(top)
    if not top:
        return Figure([], summary={"groups": 0})
    # One IN per column (a hash probe a row) rather than an OR of pairs; the few rows
    # of other (thing, unit) pairs that pass are dropped below.
    in_top = Q(thing__in={t for t, _, _ in top}, unit__in={u for _, u, _ in top})
    order = {(thing, unit): i for i, (thing, unit, _) in enumerate(top)}
    sizes = {(thing, unit): n for thing, unit, n in top}
    if _counted(f):
        latest = _latest_in_groups(f, top, per_group)
    else:
        group = {"partition_by": [F("thing"), F("unit")]}
        latest = (
            quantities.filter(in_top)
            # The latest claims entered (no join to claims: ids grow with time).
            .annotate(rank=Window(RowNumber(), **group, order_by=F("claim_id").desc()))
            .filter(rank__lte=per_group)
            .values_list("claim_id", "thing", "unit")
        )
    placed = {claim_id: sizes[(thing, unit)] for claim_id, thing, unit in latest
              if (thing, unit) in order}
    claimants = (
        Attribution.objects.filter(claim_id=OuterRef("claim_id"), role=Role.CLAIMANT)
        .order_by().values("claim_id").annotate(names=GroupConcat("source__name"))
        .values("names")
    )
    rows = sorted(
        Quantity.objects.filter(claim_id__in=placed).annotate(
            thing=Lower("counted"), claimants=Subquery(claimants))
        .values_list("counted", "unit", "claim_id", "claimants", "qualifier", "value",
                     "lower", "upper", "as_said", "claim__made_on", "claim__status", "thing"),
        # Groups in the order chosen above; inside each, the latest made first.
        key=lambda r: (order[(r[11], r[1])], r[9] is None, -(r[9] or dt.date.min).toordinal(),
                       -r[2]),
    )
    rows = [(counted, unit, placed[claim_id], claim_id, *rest[:-1])
            for counted, unit, claim_id, *rest in rows]
    out = [
        {"counted": counted, "unit": unit, "claims_in_group": size, "claim_id": claim_id,
         "claimants": names or "", "qualifier": qualifier, "value": _num(value),
         "lower": _num(lower), "upper": _num(upper), "as_said": as_said,
         "made_on": _iso(made_on), "status": status}
        for counted, unit, size, claim_id, names, qualifier, value, lower, upper, as_said,
        made_on, status in rows
    ]
    return Figure(out, summary={"groups": len(top)})


# --- Reading the running counts (PostgreSQL) ---------------------------------
# What `reports.rollups` keeps: the same figures as the live queries above, read
# from a few thousand count rows instead of a scan of every claim. Used when the
# filter asks for nothing the counts do not hold: no dates, tag, language or
# source (publication is one of their keys).

def _counted(f: ReportFilter) -> bool:
    from . import rollups

    return rollups.available() and not any(
        (f.date_from, f.date_to, f.tag, f.language, f.source is not None))


def _published_sql(f: ReportFilter, column: str = "published") -> str:
    return f"{column}" if f.published_only else "TRUE"


def _fetch(sql: str, params: list | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchall()


def _status_counts_counted(f: ReportFilter) -> dict[str, int]:
    rows = _fetch(f"""SELECT status, sum(n) FROM reports_claimdaycount
                      WHERE {_published_sql(f)} GROUP BY status""")
    return {status: int(n) for status, n in rows}


def _weekly_counted(f: ReportFilter) -> tuple[list[tuple], list[tuple]]:
    opened = _fetch(f"""SELECT date_trunc('week', day)::date AS week, sum(n)
                        FROM reports_claimdaycount WHERE {_published_sql(f)}
                        GROUP BY 1 HAVING sum(n) <> 0""")
    counts = ", ".join(f"sum(n) FILTER (WHERE verdict = '{v}')" for v in VERDICT_VALUES)
    judged = _fetch(f"""SELECT week, {counts} FROM reports_verdictweekcount
                        WHERE {_published_sql(f)} GROUP BY week HAVING sum(n) <> 0""")
    return ([(w, int(n)) for w, n in opened],
            [(w, *(int(c or 0) for c in cs)) for w, *cs in judged])


def _throughput_counted(f: ReportFilter, by_week: bool) -> list[tuple]:
    """Median and p90 of whole hours waited, interpolated as percentile_cont does:
    from the cumulative count, the values at positions ⌊q(N−1)⌋ and ⌈q(N−1)⌉."""
    group = "week" if by_week else "NULL::date"
    column = "n_published" if f.published_only else "n"
    picks = []
    for name, q in (("p50", 0.5), ("p90", 0.9)):
        picks.append(f"""
            min(v) FILTER (WHERE cum > floor({q}::float8 * (total - 1))) AS {name}_lo,
            min(v) FILTER (WHERE cum > ceil({q}::float8 * (total - 1))) AS {name}_hi,
            {q}::float8 * (max(total) - 1) - floor({q}::float8 * (max(total) - 1))
                AS {name}_frac""")
    return _fetch(f"""
        WITH h AS (
            SELECT {group} AS week, wait_hours AS v, sum({column})::int AS n
            FROM reports_waitcount GROUP BY 1, 2 HAVING sum({column}) > 0
        ), c AS (
            -- Integers, not the numerics sum() would give: this runs per row.
            SELECT week, v,
                   (sum(n) OVER (PARTITION BY week ORDER BY v ROWS UNBOUNDED PRECEDING))::int
                   AS cum,
                   (sum(n) OVER (PARTITION BY week))::int AS total
            FROM h
        ), p AS (
            SELECT week, max(total) AS total, {",".join(picks)} FROM c GROUP BY week
        )
        SELECT week, total,
               (p50_lo + (p50_hi - p50_lo) * p50_frac) * 3600,
               (p90_lo + (p90_hi - p90_lo) * p90_frac) * 3600
        FROM p ORDER BY week""")


def _stale_count_counted(f: ReportFilter, cutoff: dt.datetime) -> int:
    """Whole days before the cutoff's from the counts; its own day from the claims."""
    day_start = _start_of_day(cutoff.astimezone(dt.UTC).date())
    [(older,)] = _fetch(f"""SELECT coalesce(sum(n), 0) FROM reports_claimdaycount
                            WHERE {_published_sql(f)} AND status = ANY(%s) AND day < %s""",
                        [OPEN_STATUSES, day_start.date()])
    same_day = claims_in_scope(f).filter(status__in=OPEN_STATUSES, created_at__gte=day_start,
                                         created_at__lt=cutoff).count()
    return int(older) + same_day


def _per_source_sql(f: ReportFilter) -> str:
    from .rollups import SOURCE_COLUMNS

    sums = ", ".join(f'sum("{c}")' for c in SOURCE_COLUMNS)
    return f"""
        SELECT source_id, {sums} FROM reports_sourcecount WHERE {_published_sql(f)}
        GROUP BY source_id HAVING sum(as_claimant + as_conduit + as_outlet) <> 0"""


_T_COLUMNS = ", ".join(f'"{k}"' for k in _FIGURE_KEYS)


def _source_row(values: tuple) -> dict[str, Any]:
    return dict(zip(_FIGURE_KEYS, (int(v or 0) for v in values), strict=True))


def _by_source_counted(f: ReportFilter, limit: int) -> Figure:
    rows = _fetch(f"""
        SELECT s.id, s.name, s.kind, s.reliability, t.*
        FROM ({_per_source_sql(f)}) AS t(source_id, {_T_COLUMNS})
        JOIN sources_source s ON s.id = t.source_id
        ORDER BY t.as_claimant DESC, t.as_conduit DESC, t.as_outlet DESC, s.name, s.id
        LIMIT %s""", [limit])
    [(total,)] = _fetch(f"SELECT count(*) FROM ({_per_source_sql(f)}) AS t")
    return Figure(
        [_with_shares({"source_id": pk, "source": name, "kind": kind, "grade": grade,
                       **_source_row(values[1:])})
         for pk, name, kind, grade, *values in rows],
        summary={"sources": total},
    )


def _by_source_attribute_counted(f: ReportFilter, attribute: str, choices: Any) -> list[dict]:
    column = _SOURCE_FIELD[attribute]
    sums = ", ".join(f'sum(t."{k}")' for k in _FIGURE_KEYS)
    counted = {
        key: (sources, values) for key, sources, *values in _fetch(f"""
            SELECT s.{column}, count(*), {sums}
            FROM ({_per_source_sql(f)}) AS t(source_id, {_T_COLUMNS})
            JOIN sources_source s ON s.id = t.source_id
            GROUP BY s.{column}""")
    }
    rows = []
    for choice in choices:
        if choice.value in counted:
            sources, values = counted[choice.value]
            rows.append(_with_shares({attribute: choice.value, "label": choice.label,
                                      "sources": sources, **_source_row(values)}))
    return rows


def _link_health_counted() -> dict[str, int]:
    health = ", ".join(f"sum(n) FILTER (WHERE health = '{h.value}')" for h in LinkHealth)
    [row] = _fetch(f"""SELECT coalesce(sum(n), 0), sum(n) FILTER (WHERE archived),
                              sum(n) FILTER (WHERE archived AND health = 'broken'), {health}
                       FROM reports_linkhostcount""")
    keys = ["total", "archived", "broken_with_archive", *LinkHealth.values]
    return dict(zip(keys, (int(v or 0) for v in row), strict=True))


def _worst_domains_counted(limit: int) -> list[dict[str, Any]]:
    rows = _fetch("""
        SELECT host, sum(n) AS links,
               coalesce(sum(n) FILTER (WHERE health = 'broken'), 0),
               coalesce(sum(n) FILTER (WHERE health = 'blocked'), 0),
               coalesce(sum(n) FILTER (WHERE health = 'changed'), 0),
               coalesce(sum(n) FILTER (WHERE health IN ('broken', 'blocked')), 0) AS bad
        FROM reports_linkhostcount GROUP BY host
        HAVING coalesce(sum(n) FILTER (WHERE health IN ('broken', 'blocked')), 0) > 0
        ORDER BY bad DESC, links DESC, host LIMIT %s""", [limit])
    return [{"host": host, "links": int(links), "broken": int(broken), "blocked": int(blocked),
             "changed": int(changed), "bad_share": _share(int(bad), int(links))}
            for host, links, broken, blocked, changed, bad in rows]


def _conflict_groups_counted(f: ReportFilter, groups: int) -> list[tuple]:
    """The largest groups whose figures differ: by qualifier, or because
    n·Σp² − (Σp)² > 0, which for exact decimals holds unless every point is equal."""
    return _fetch(f"""
        WITH q AS (
            SELECT thing, unit, qualifier, sum(n) AS n, sum(sum_p) AS sp, sum(sum_p2) AS sp2
            FROM reports_quantitycount WHERE {_published_sql(f)}
            GROUP BY thing, unit, qualifier HAVING sum(n) > 0
        )
        SELECT thing, unit, sum(n)::int AS claims FROM q GROUP BY thing, unit
        HAVING sum(n) >= 2 AND (count(*) > 1 OR sum(n) * sum(sp2) - sum(sp) ^ 2 > 0)
        ORDER BY claims DESC, thing, unit LIMIT %s""", [groups])


def _latest_in_groups(f: ReportFilter, top: list[tuple], per_group: int) -> list[tuple]:
    """The `per_group` latest claims of each group, each group walked backwards along
    the (lower(counted), unit, claim_id) index: a few index entries per group."""
    published = "JOIN claims_claim c ON c.id = q.claim_id AND c.published" \
        if f.published_only else ""
    return _fetch(f"""
        SELECT q.claim_id, g.thing, g.unit
        FROM unnest(%s::text[], %s::text[]) AS g(thing, unit)
        CROSS JOIN LATERAL (
            SELECT q.claim_id FROM claims_quantity q {published}
            WHERE lower(q.counted) = g.thing AND q.unit = g.unit
            ORDER BY q.claim_id DESC LIMIT %s
        ) q""", [[t for t, _, _ in top], [u for _, u, _ in top], per_group])
