"""The reports there are: their names, columns and the figure function behind each.

The page, the downloads, the API, the snapshot task and `claim_report` all go
through `REPORTS` and `build_all`, so a report added here appears everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from claims.models import VERDICTS

from . import figures
from .filters import Figure, ReportFilter
from .sql import one_reading

# Column types, used to write CSV and to read it back to the same values.
INT, FLOAT, NUM, STR, DATE, DATETIME = "int", "float", "number", "string", "date", "datetime"

_VERDICT_COLUMNS = [(v.value, v.label, INT) for v in VERDICTS]
_SOURCE_COLUMNS = [
    ("as_claimant", "Made (claimant)", INT), ("as_conduit", "Relayed (conduit)", INT),
    ("as_outlet", "Published (outlet)", INT), *_VERDICT_COLUMNS,
    ("open", "Not yet reviewed", INT), ("reviewed", "Reviewed", INT),
    ("false_or_disputed_share", "False or disputed (of reviewed)", FLOAT),
]


@dataclass(frozen=True)
class Report:
    slug: str
    title: str
    description: str
    columns: list[tuple[str, str, str]]  # (key, heading, type)
    build: Callable[[ReportFilter, dt.datetime], Figure]

    @property
    def keys(self) -> list[str]:
        return [key for key, _, _ in self.columns]


REPORTS: dict[str, Report] = {r.slug: r for r in [
    Report(
        "status", "Claims by status",
        "Every claim in scope, by its status now.",
        [("status", "Status", STR), ("label", "Label", STR), ("claims", "Claims", INT),
         ("share", "Share", FLOAT)],
        lambda f, now: figures.status_counts(f),
    ),
    Report(
        "weekly", "Status over time",
        "Per week (from Monday, UTC): claims opened, and verdicts given by verdict. A claim "
        "judged again counts in each week it was judged.",
        [("week", "Week of", DATE), ("opened", "Opened", INT), ("reviewed", "Verdicts", INT),
         *_VERDICT_COLUMNS],
        lambda f, now: figures.weekly_activity(f),
    ),
    Report(
        "throughput", "Review throughput",
        "Per week of verdict: days from a claim's creation to its verdict, median and "
        "90th percentile.",
        [("week", "Week of", DATE), ("reviewed", "Verdicts", INT),
         ("median_days", "Median days", FLOAT), ("p90_days", "90th percentile days", FLOAT)],
        lambda f, now: figures.review_throughput(f),
    ),
    Report(
        "stale", "Oldest unreviewed claims",
        "Claims still unverified or in review past the stale threshold, oldest first.",
        [("claim_id", "Claim", INT), ("claim", "Summary", STR), ("status", "Status", STR),
         ("language", "Language", STR), ("created_at", "Created", DATETIME),
         ("age_days", "Age (days)", INT)],
        lambda f, now: figures.stale_claims(f, now=now),
    ),
    Report(
        "sources", "Verdicts by source",
        "Per source: claims it made, relayed and published, and how the verdicts on the "
        "claims it made fell.",
        [("source_id", "Source id", INT), ("source", "Source", STR), ("kind", "Kind", STR),
         ("grade", "Grade", STR), *_SOURCE_COLUMNS],
        lambda f, now: figures.by_source(f),
    ),
    Report(
        "source-kinds", "Verdicts by source kind",
        "The same counts, per kind of source.",
        [("kind", "Kind", STR), ("label", "Label", STR), ("sources", "Sources", INT),
         *_SOURCE_COLUMNS],
        lambda f, now: figures.by_source_kind(f),
    ),
    Report(
        "grades", "Verdicts by reliability grade",
        "The same counts, per source reliability grade (Admiralty scale A–F).",
        [("grade", "Grade", STR), ("label", "Label", STR), ("sources", "Sources", INT),
         *_SOURCE_COLUMNS],
        lambda f, now: figures.by_grade(f),
    ),
    Report(
        "link-health", "Link health",
        "Links cited by claims in scope, by health as last checked.",
        [("health", "Health", STR), ("label", "Label", STR), ("links", "Links", INT),
         ("share", "Share", FLOAT)],
        lambda f, now: figures.link_health(f),
    ),
    Report(
        "domains", "Worst domains",
        "Hosts with the most broken or blocked links.",
        [("host", "Host", STR), ("links", "Links", INT), ("broken", "Broken", INT),
         ("blocked", "Blocked", INT), ("changed", "Changed", INT),
         ("bad_share", "Broken or blocked share", FLOAT)],
        lambda f, now: figures.worst_domains(f),
    ),
    Report(
        "dead-evidence", "Claims whose evidence is all broken",
        "Claims citing evidence of which not one link still works.",
        [("claim_id", "Claim", INT), ("claim", "Summary", STR), ("status", "Status", STR),
         ("evidence_links", "Evidence links", INT), ("created_at", "Created", DATETIME)],
        lambda f, now: figures.claims_with_all_evidence_broken(f),
    ),
    Report(
        "conflicts", "Conflicting figures",
        "Claims about the same counted thing whose figures differ, side by side.",
        [("counted", "What is counted", STR), ("unit", "Unit", STR),
         ("claims_in_group", "Claims in group", INT), ("claim_id", "Claim", INT),
         ("claimants", "Leased by", STR), ("qualifier", "Qualifier", STR),
         ("value", "Value", NUM), ("lower", "Lower", NUM), ("upper", "Upper", NUM),
         ("as_said", "As said", STR), ("made_on", "Made on", DATE), ("status", "Status", STR)],
        lambda f, now: figures.conflicting_figures(f),
    ),
]}


def get_report(slug: str) -> Report:
    """The report named `slug`; KeyError when there is none."""
    return REPORTS[slug]


def build(slug: str, f: ReportFilter, *, now: dt.datetime | None = None) -> dict[str, Any]:
    return get_report(slug).build(f, now or timezone.now()).as_dict()


def build_all(f: ReportFilter, *, now: dt.datetime | None = None,
              only: list[str] | None = None) -> dict[str, Any]:
    """Every report (or those in `only`) for one filter, with when and how it was made."""
    now = now or timezone.now()
    slugs = only or list(REPORTS)
    with one_reading():
        reports = {slug: build(slug, f, now=now) for slug in slugs}
    return {
        "generated_at": now.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "filters": f.as_dict(),
        "reports": reports,
    }
