"""The figures read from the running counts `reports.rollups` keeps (PostgreSQL).

The same numbers as the live queries in figures.py, read from a few thousand
count rows instead of a scan of every claim. figures.py asks `covers(f)` first:
the counts serve a filter that asks for nothing they do not hold (no dates, tag,
language or source; publication is one of their keys). tests/test_reports_rollups.py
holds both ways to the same figures.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import TextField, Value
from django.db.models.functions import Coalesce, NullIf, Substr

from claims.models import OPEN_STATUSES, VERDICTS
from sources.models import LinkHealth

from . import rollups
from .filters import Figure, ReportFilter, claims_in_scope, start_of_day
from .models import DeadEvidenceClaim
from .rollups import SOURCE_COLUMNS
from .sql import fetch, iso, share

VERDICT_VALUES = [v.value for v in VERDICTS]
OPEN_VALUES = [s.value for s in OPEN_STATUSES]


def covers(f: ReportFilter) -> bool:
    """Whether the counts hold what `f` asks for (else figures.py runs the live query)."""
    return rollups.available() and not any(
        (f.date_from, f.date_to, f.tag, f.language, f.source is not None))


def _published_sql(f: ReportFilter, column: str = "published") -> str:
    return f"{column}" if f.published_only else "TRUE"


def status_counts(f: ReportFilter) -> dict[str, int]:
    rows = fetch(f"""SELECT status, sum(n) FROM reports_claimdaycount
                      WHERE {_published_sql(f)} GROUP BY status""")
    return {status: int(n) for status, n in rows}


def weekly(f: ReportFilter) -> tuple[list[tuple], list[tuple]]:
    opened = fetch(f"""SELECT date_trunc('week', day)::date AS week, sum(n)
                        FROM reports_claimdaycount WHERE {_published_sql(f)}
                        GROUP BY 1 HAVING sum(n) <> 0""")
    counts = ", ".join(f"sum(n) FILTER (WHERE verdict = '{v}')" for v in VERDICT_VALUES)
    judged = fetch(f"""SELECT week, {counts} FROM reports_verdictweekcount
                        WHERE {_published_sql(f)} GROUP BY week HAVING sum(n) <> 0""")
    return ([(w, int(n)) for w, n in opened],
            [(w, *(int(c or 0) for c in cs)) for w, *cs in judged])


def throughput(f: ReportFilter, by_week: bool) -> list[tuple]:
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
    return fetch(f"""
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


def stale_count(f: ReportFilter, cutoff: dt.datetime) -> int:
    """Whole days before the cutoff's from the counts; its own day from the claims."""
    day_start = start_of_day(cutoff.astimezone(dt.UTC).date())
    [(older,)] = fetch(f"""SELECT coalesce(sum(n), 0) FROM reports_claimdaycount
                            WHERE {_published_sql(f)} AND status = ANY(%s) AND day < %s""",
                        [OPEN_VALUES, day_start.date()])
    same_day = claims_in_scope(f).filter(status__in=OPEN_VALUES, created_at__gte=day_start,
                                         created_at__lt=cutoff).count()
    return int(older) + same_day


def _per_source_sql(f: ReportFilter) -> str:
    sums = ", ".join(f'sum("{c}")' for c in SOURCE_COLUMNS)
    return f"""
        SELECT source_id, {sums} FROM reports_sourcecount WHERE {_published_sql(f)}
        GROUP BY source_id HAVING sum(as_claimant + as_conduit + as_outlet) <> 0"""


_T_COLUMNS = ", ".join(f'"{k}"' for k in SOURCE_COLUMNS)


def _source_row(values: tuple) -> dict[str, Any]:
    return dict(zip(SOURCE_COLUMNS, (int(v or 0) for v in values), strict=True))


def by_source(f: ReportFilter, limit: int) -> tuple[list[dict[str, Any]], int]:
    """The first `limit` sources' rows (counts only; figures.py adds the shares), and
    how many sources there are."""
    rows = fetch(f"""
        SELECT s.id, s.name, s.kind, s.reliability, t.*
        FROM ({_per_source_sql(f)}) AS t(source_id, {_T_COLUMNS})
        JOIN sources_source s ON s.id = t.source_id
        ORDER BY t.as_claimant DESC, t.as_conduit DESC, t.as_outlet DESC, s.name, s.id
        LIMIT %s""", [limit])
    [(total,)] = fetch(f"SELECT count(*) FROM ({_per_source_sql(f)}) AS t")
    return ([{"source_id": pk, "source": name, "kind": kind, "grade": grade,
              **_source_row(values[1:])}
             for pk, name, kind, grade, *values in rows], total)


def by_source_attribute(f: ReportFilter, column: str) -> dict[str, dict[str, Any]]:
    """Per value of a sources_source column (kind, reliability): how many sources, and
    their counts summed."""
    sums = ", ".join(f'sum(t."{k}")' for k in SOURCE_COLUMNS)
    return {
        key: {"sources": sources, **_source_row(values)}
        for key, sources, *values in fetch(f"""
            SELECT s.{column}, count(*), {sums}
            FROM ({_per_source_sql(f)}) AS t(source_id, {_T_COLUMNS})
            JOIN sources_source s ON s.id = t.source_id
            GROUP BY s.{column}""")
    }


def link_health() -> dict[str, int]:
    health = ", ".join(f"sum(n) FILTER (WHERE health = '{h.value}')" for h in LinkHealth)
    [row] = fetch(f"""SELECT coalesce(sum(n), 0), sum(n) FILTER (WHERE archived),
                              sum(n) FILTER (WHERE archived AND health = 'broken'), {health}
                       FROM reports_linkhostcount""")
    keys = ["total", "archived", "broken_with_archive", *LinkHealth.values]
    return dict(zip(keys, (int(v or 0) for v in row), strict=True))


def worst_domains(limit: int) -> list[dict[str, Any]]:
    rows = fetch("""
        SELECT host, sum(n) AS links,
               coalesce(sum(n) FILTER (WHERE health = 'broken'), 0),
               coalesce(sum(n) FILTER (WHERE health = 'blocked'), 0),
               coalesce(sum(n) FILTER (WHERE health = 'changed'), 0),
               coalesce(sum(n) FILTER (WHERE health IN ('broken', 'blocked')), 0) AS bad
        FROM reports_linkhostcount GROUP BY host
        HAVING coalesce(sum(n) FILTER (WHERE health IN ('broken', 'blocked')), 0) > 0
        ORDER BY bad DESC, links DESC, host LIMIT %s""", [limit])
    return [{"host": host, "links": int(links), "broken": int(broken), "blocked": int(blocked),
             "changed": int(changed), "bad_share": share(int(bad), int(links))}
            for host, links, broken, blocked, changed, bad in rows]


def conflict_groups(f: ReportFilter, groups: int) -> list[tuple]:
    """The largest groups whose figures differ: by qualifier, or because
    n·Σp² − (Σp)² > 0, which for exact decimals holds unless every point is equal."""
    return fetch(f"""
        WITH q AS (
            SELECT thing, unit, qualifier, sum(n) AS n, sum(sum_p) AS sp, sum(sum_p2) AS sp2
            FROM reports_quantitycount WHERE {_published_sql(f)}
            GROUP BY thing, unit, qualifier HAVING sum(n) > 0
        )
        SELECT thing, unit, sum(n)::int AS claims FROM q GROUP BY thing, unit
        HAVING sum(n) >= 2 AND (count(*) > 1 OR sum(n) * sum(sp2) - sum(sp) ^ 2 > 0)
        ORDER BY claims DESC, thing, unit LIMIT %s""", [groups])


def latest_in_groups(f: ReportFilter, top: list[tuple], per_group: int) -> list[tuple]:
    """The `per_group` latest claims of each group, each group walked backwards along
    the (lower(counted), unit, claim_id) index: a few index entries per group."""
    published = "JOIN claims_claim c ON c.id = q.claim_id AND c.published" \
        if f.published_only else ""
    return fetch(f"""
        SELECT q.claim_id, g.thing, g.unit
        FROM unnest(%s::text[], %s::text[]) AS g(thing, unit)
        CROSS JOIN LATERAL (
            SELECT q.claim_id FROM claims_quantity q {published}
            WHERE lower(q.counted) = g.thing AND q.unit = g.unit
            ORDER BY q.claim_id DESC LIMIT %s
        ) q""", [[t for t, _, _ in top], [u for _, u, _ in top], per_group])


def dead_evidence(f: ReportFilter, limit: int) -> Figure:
    """From the list the triggers keep (reports.rollups): no scan of all evidence."""
    dead = DeadEvidenceClaim.objects.all()
    if f.published_only:
        dead = dead.filter(published=True)
    if f.narrows_claims:
        dead = dead.filter(claim_id__in=claims_in_scope(f).values("pk"))
    rows = [
        {"claim_id": pk, "claim": label, "status": status, "evidence_links": n,
         "created_at": iso(created)}
        for pk, label, status, n, created in
        dead.order_by("-created_at", "-claim_id")
        .annotate(label=Coalesce(NullIf("claim__summary_en", Value("")),
                                 Substr("claim__text", 1, 140), output_field=TextField()))
        .values_list("claim_id", "label", "claim__status", "evidence_links", "created_at")[:limit]
    ]
    return Figure(rows, summary={"claims": dead.count()})

