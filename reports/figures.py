"""Every figure the reports show, by topic, computed in SQL.

Each public function takes a `ReportFilter` and returns a `Figure` of plain
JSON-ready data (ints, floats, strings, ISO dates): the page, the CSV/JSON
downloads, the API and the stored snapshots all serve the same dicts, so a
snapshot is simply what these functions returned on the day it was taken.

No function loops over claims in Python: counting, grouping, percentiles and
"all evidence broken" are SQL (GROUP BY, COUNT … FILTER, percentile_cont,
EXISTS). Python only formats the few aggregated rows that come back and fills
empty weeks on a time axis.

Two ways to each figure: the live queries here (any filter, and SQLite), and, on
PostgreSQL for the unfiltered and published-only views, the running counts read
by `reports.rollup_figures`. Tests hold the two to the same figures.

Beside this module: filters.py (ReportFilter, Figure, the claims in scope),
sql.py (one reading per page, aggregates, value formatting).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    F,
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
    OPEN_STATUSES,
    VERDICTS,
    Attribution,
    Evidence,
    Quantity,
    Role,
    Status,
    StatusChange,
)
from factcheck.report_extend import status_figures
from sources.models import Link, LinkHealth, Reliability, SourceKind

from . import rollup_figures as rolled
from .filters import Figure, ReportFilter, claims_in_scope, date_bounds, rows_in_scope
from .rollups import SOURCE_COLUMNS
from .sql import (
    EpochSeconds,
    GroupConcat,
    PercentileCont,
    as_date,
    is_postgres,
    iso,
    num,
    share,
    to_days,
)

VERDICT_VALUES = [s.value for s in VERDICTS]
OPEN_VALUES = [s.value for s in OPEN_STATUSES]
# A source's counts: as claimant/conduit/outlet, the verdicts on what it made, open.
_FIGURE_KEYS = SOURCE_COLUMNS
# Whether the running counts serve a filter; a module attribute, so a test or a
# benchmark can switch every figure to the live queries at once.
_counted = rolled.covers


def stale_after_days() -> int:
    return int(getattr(settings, "REPORTS_STALE_AFTER_DAYS", 14))


# --- Claims by status now ---------------------------------------------------

def status_counts(f: ReportFilter) -> Figure:
    """How many claims are in each status now: one COUNT … FILTER per status, one scan."""
    if _counted(f):
        counts = rolled.status_counts(f)
    else:
        counts = claims_in_scope(f).aggregate(
            **{s.value: Count("pk", filter=Q(status=s.value)) for s in Status})
    counts = {s.value: counts.get(s.value, 0) for s in Status}
    total = sum(counts.values())
    rows = [{"status": s.value, "label": s.label, "claims": counts[s.value],
             "share": share(counts[s.value], total)} for s in Status]
    summary = {"total": total, "with_verdict": sum(counts[v] for v in VERDICT_VALUES),
               "open": sum(counts[s] for s in OPEN_VALUES)}
    # Figures other apps keep (the desk's open checklist tasks), over the same claims.
    scope = claims_in_scope(f) if f.narrows_claims else None
    summary.update({extra.key: extra.count(scope) for extra in status_figures()})
    return Figure(rows, summary=summary)


# --- Over time --------------------------------------------------------------

def _verdict_events(f: ReportFilter) -> QuerySet[StatusChange]:
    events = StatusChange.objects.order_by().filter(to_status__in=VERDICT_VALUES)
    events = events.filter(date_bounds(f, "at"))
    return rows_in_scope(events, f.without_dates())


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
        opened, judged = rolled.weekly(f)
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
        by_week.setdefault(as_date(week), dict(empty))["opened"] = n
    for week, *counts in judged:
        row = by_week.setdefault(as_date(week), dict(empty))
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
    if not is_postgres():  # SQLite (`make run`): no percentile_cont, so counts only
        by_week = {as_date(w): {"reviewed": n, "median_days": None, "p90_days": None}
                   for w, n in events.annotate(n=Count("pk")).values_list("week", "n")}
        return Figure(_fill_weeks(by_week, {"reviewed": 0, "median_days": None, "p90_days": None}),
                      summary={"reviewed": sum(r["reviewed"] for r in by_week.values()),
                               "median_days": None, "p90_days": None},
                      note="Median and 90th percentile are computed on PostgreSQL only.")
    if _counted(f):
        weekly = rolled.throughput(f, by_week=True)
        [(_, n, median, p90)] = rolled.throughput(f, by_week=False) or [(None, 0, None, None)]
        overall = {"n": n, "median": median, "p90": p90}
    else:
        waited = EpochSeconds(F("at") - F("claim__created_at"))
        weekly = events.annotate(
            n=Count("pk"), median=PercentileCont(waited, 0.5), p90=PercentileCont(waited, 0.9),
        ).values_list("week", "n", "median", "p90")
        overall = _verdict_events(f).aggregate(
            n=Count("pk"), median=PercentileCont(waited, 0.5), p90=PercentileCont(waited, 0.9))
    by_week = {
        as_date(week): {"reviewed": int(n), "median_days": to_days(median),
                        "p90_days": to_days(p90)}
        for week, n, median, p90 in weekly
    }
    return Figure(
        _fill_weeks(by_week, {"reviewed": 0, "median_days": None, "p90_days": None}),
        summary={"reviewed": int(overall["n"]), "median_days": to_days(overall["median"]),
                 "p90_days": to_days(overall["p90"])},
    )


def _claim_label() -> Coalesce:
    return Coalesce(NullIf("summary_en", Value("")), Substr("text", 1, 140),
                    output_field=TextField())


def stale_claims(f: ReportFilter, *, now: dt.datetime | None = None, limit: int = 50) -> Figure:
    """The oldest claims still without a verdict, past the stale threshold (setting)."""
    now = now or timezone.now()
    days = stale_after_days()
    cutoff = now - dt.timedelta(days=days)
    stale = claims_in_scope(f).filter(status__in=OPEN_VALUES, created_at__lt=cutoff)
    rows = [
        {"claim_id": pk, "claim": label, "status": status, "language": language,
         "created_at": iso(created), "age_days": (now - created).days}
        for pk, label, status, language, created in
        stale.order_by("created_at", "pk")
        .annotate(label=_claim_label())
        .values_list("pk", "label", "status", "language", "created_at")[:limit]
    ]
    count = rolled.stale_count(f, cutoff) if _counted(f) else stale.count()
    return Figure(rows, summary={"stale": count, "stale_after_days": days})


# --- By source, kind and grade ---------------------------------------------

def _role_and_verdict_counts() -> dict[str, Count]:
    """Attribution counts by role, and the verdicts of the claims a source made."""
    counts: dict[str, Count] = {
        f"as_{role.value}": Count("pk", filter=Q(role=role.value)) for role in Role
    }
    made = Q(role=Role.CLAIMANT)
    counts.update({v: Count("pk", filter=made & Q(claim__status=v)) for v in VERDICT_VALUES})
    counts["open"] = Count("pk", filter=made & Q(claim__status__in=OPEN_VALUES))
    return counts


def _with_shares(row: dict[str, Any]) -> dict[str, Any]:
    reviewed = sum(row[v] for v in VERDICT_VALUES)
    row["reviewed"] = reviewed
    row["false_or_disputed_share"] = share(row["false"] + row["disputed"], reviewed)
    return row


def _attributions(f: ReportFilter) -> QuerySet[Attribution]:
    return rows_in_scope(Attribution.objects.order_by(), f)


def by_source(f: ReportFilter, *, limit: int = 50) -> Figure:
    """Per source: claims made (claimant), relayed (conduit), published (outlet),
    and how the verdicts on the claims it made fell."""
    if _counted(f):
        rows, total = rolled.by_source(f, limit)
        return Figure([_with_shares(r) for r in rows], summary={"sources": total})
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


def _by_source_attribute(f: ReportFilter, attribute: str, choices: Any) -> list[dict]:
    column = _SOURCE_FIELD[attribute]
    if _counted(f):
        counted = rolled.by_source_attribute(f, column)
    else:
        counted = {
            r[attribute]: r for r in
            _attributions(f).values(**{attribute: F(f"source__{column}")})
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
        totals = rolled.link_health()
    else:
        totals = _links(f).aggregate(
            total=Count("pk"),
            archived=Count("pk", filter=~Q(archive_url="")),
            broken_with_archive=Count("pk", filter=Q(health=LinkHealth.BROKEN)
                                      & ~Q(archive_url="")),
            **{h.value: Count("pk", filter=Q(health=h.value)) for h in LinkHealth},
        )
    rows = [{"health": h.value, "label": h.label, "links": totals[h.value],
             "share": share(totals[h.value], totals["total"])} for h in LinkHealth]
    return Figure(rows, summary={"total": totals["total"], "archived": totals["archived"],
                                 "broken_with_archive": totals["broken_with_archive"]})


def worst_domains(f: ReportFilter, *, limit: int = 20) -> Figure:
    """Hosts with the most broken or blocked links (changed ones counted alongside)."""
    if _counted(f) and not f.published_only:
        return Figure(rolled.worst_domains(limit))
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
        {**{k: v for k, v in r.items() if k != "bad"}, "bad_share": share(r["bad"], r["links"])}
        for r in rows
    ])


def claims_with_all_evidence_broken(f: ReportFilter, *, limit: int = 50) -> Figure:
    """Claims that cite evidence, none of which still resolves.

    Starts from the (few) broken links and excludes any claim with one working
    piece of evidence, so the work is proportional to the broken links.
    """
    if is_postgres():
        return rolled.dead_evidence(f, limit)
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
         "created_at": iso(created)}
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
    quantities = rows_in_scope(Quantity.objects.order_by(), f).annotate(thing=Lower("counted"))
    top = (
        quantities.values("thing", "unit")
        .annotate(claims=Count("pk"), low=Min(point), high=Max(point),
                  first_qualifier=Min("qualifier"), last_qualifier=Max("qualifier"))
        .filter(claims__gte=2)
        .filter(Q(high__gt=F("low")) | ~Q(first_qualifier=F("last_qualifier")))
        .order_by("-claims", "thing", "unit")
        .values_list("thing", "unit", "claims")[:groups]
    )
    top = rolled.conflict_groups(f, groups) if _counted(f) else list(top)
    if not top:
        return Figure([], summary={"groups": 0})
    # One IN per column (a hash probe a row) rather than an OR of pairs; the few rows
    # of other (thing, unit) pairs that pass are dropped below.
    in_top = Q(thing__in={t for t, _, _ in top}, unit__in={u for _, u, _ in top})
    order = {(thing, unit): i for i, (thing, unit, _) in enumerate(top)}
    sizes = {(thing, unit): n for thing, unit, n in top}
    if _counted(f):
        latest = rolled.latest_in_groups(f, top, per_group)
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
         "claimants": names or "", "qualifier": qualifier, "value": num(value),
         "lower": num(lower), "upper": num(upper), "as_said": as_said,
         "made_on": iso(made_on), "status": status}
        for counted, unit, size, claim_id, names, qualifier, value, lower, upper, as_said,
        made_on, status in rows
    ]
    return Figure(out, summary={"groups": len(top)})


