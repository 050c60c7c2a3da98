"""From built figures to what the page and the HTML export show: charts and tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from claims.models import VERDICTS, Qualifier, Status
from factcheck.report_extend import status_figures

from . import charts
from .catalogue import DATETIME, FLOAT, INT, NUM, REPORTS, Report
from .charts import HEALTH_COLORS, OPEN_COLOR, STATUS_COLORS, Series

VERDICT_SERIES = [Series(v.value, v.label, STATUS_COLORS[v.value]) for v in VERDICTS]
SOURCE_SERIES = [*VERDICT_SERIES, Series("open", "Not yet reviewed", OPEN_COLOR)]
CHART_SOURCES = 15
# Reports that take the page's whole width; their charts are drawn wider to match,
# so text in every chart comes out at the same size.
WIDE = {"weekly", "sources", "dead-evidence", "stale", "conflicts"}
WIDE_CHART, NARROW_CHART = 1220, 600


# Columns a table leaves out because another one says the same for people.
HIDDEN_COLUMNS = {
    "status": {"label"}, "link-health": {"health"}, "sources": {"source_id"},
    "source-kinds": {"kind"}, "grades": {"grade"},
}


_STATUS_LABELS = dict(Status.choices)
_QUALIFIER_LABELS = dict(Qualifier.choices)
_NUMERIC = (INT, NUM, FLOAT)


def _claim_url() -> str | None:
    try:
        return reverse("admin:claims_claim_change", args=[0]).replace("/0/", "/{}/")
    except NoReverseMatch:
        return None


def format_cell(row: dict[str, Any], key: str, kind: str, links: bool = True,
                claim_url: str | None = None) -> str:
    """A table cell: numbers grouped, shares as percentages, statuses as badges.
    Returns HTML: a SafeString, or text escaped here."""
    value = row.get(key)
    if value is None or value == "":
        return "—"
    if key == "status":
        return format_html('<span class="badge badge-{}">{}</span>', value,
                           _STATUS_LABELS.get(value, value))
    if key == "claim_id":
        return format_html('<a href="{}">#{}</a>', claim_url.format(value), value) \
            if claim_url and links else f"#{value}"
    if key == "qualifier":
        return conditional_escape(_QUALIFIER_LABELS.get(value, value))
    if key == "source" and links and row.get("source_id"):
        return format_html('<a href="?source={}" title="Show only this source">{}</a>',
                           row["source_id"], value)
    if kind == FLOAT and key.endswith("share"):
        return f"{value * 100:.1f} %"
    if kind in _NUMERIC:
        return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")
    if kind == DATETIME:
        return conditional_escape(value[:16].replace("T", " "))
    return conditional_escape(value)


@dataclass
class Section:
    report: Report
    figure: dict[str, Any]
    chart: SafeString | None = None
    links: bool = True

    @property
    def slug(self) -> str:
        return self.report.slug

    @property
    def wide(self) -> bool:
        return self.slug in WIDE

    @property
    def columns(self) -> list[tuple[str, str, str]]:
        hidden = HIDDEN_COLUMNS.get(self.slug, set())
        return [c for c in self.report.columns if c[0] not in hidden]

    def table(self) -> SafeString:
        """The rows as HTML, built here: a template tag per cell is too slow for
        a page of a few thousand cells."""
        columns = self.columns
        num = ' class="num"'
        head = "".join(f'<th scope="col"{num if kind in _NUMERIC else ""}>'
                       f"{conditional_escape(heading)}</th>" for _, heading, kind in columns)
        claim_url = _claim_url()
        body, group = [], None
        for row in self.figure["rows"]:
            start = ""
            if self.slug == "conflicts":
                key = (str(row["counted"]).lower(), row["unit"])
                start = ' class="group-start"' if key != group else ""
                group = key
            cells = "".join(
                f"<td{num if kind in _NUMERIC else ''}>"
                f"{format_cell(row, key, kind, self.links, claim_url)}</td>"
                for key, _, kind in columns)
            body.append(f"<tr{start}>{cells}</tr>")
        return mark_safe(f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>")


def _status_chart(fig: dict, width: int) -> SafeString:
    rows = [(r["label"], {r["status"]: r["claims"]}) for r in fig["rows"]]
    series = [Series(r["status"], r["label"], STATUS_COLORS[r["status"]]) for r in fig["rows"]]
    return charts.stacked_bars(rows, series, title="Claims by status", legend=False,
                               width=width)


def _weekly_chart(fig: dict, width: int) -> SafeString:
    rows = fig["rows"]
    return charts.weekly_columns(
        [r["week"] for r in rows], rows, VERDICT_SERIES,
        line=Series("opened", "Opened", "#0f172a"), title="Claims opened and verdicts per week",
        width=width,
    )


def _throughput_chart(fig: dict, width: int) -> SafeString:
    rows = fig["rows"]
    return charts.lines(
        [r["week"] for r in rows], rows,
        [Series("median_days", "Median", "#2563eb"), Series("p90_days", "90th percentile",
                                                            "#f59e0b")],
        title="Days from creation to verdict", unit=" d", width=width,
    )


def _sources_chart(fig: dict, width: int) -> SafeString:
    rows = [(r["source"], r) for r in fig["rows"][:CHART_SOURCES] if r["as_claimant"]]
    return charts.stacked_bars(rows, SOURCE_SERIES,
                               title="Verdicts on the claims each source made", width=width)


def _grouped_chart(fig: dict, width: int, title: str) -> SafeString:
    return charts.stacked_bars([(r["label"], r) for r in fig["rows"]], SOURCE_SERIES,
                               title=title, label_width=170, width=width)


def _health_chart(fig: dict, width: int) -> SafeString:
    rows = [(r["label"], {r["health"]: r["links"]}) for r in fig["rows"]]
    series = [Series(r["health"], r["label"], HEALTH_COLORS[r["health"]]) for r in fig["rows"]]
    return charts.stacked_bars(rows, series, title="Links by health", legend=False,
                               width=width)


def _domains_chart(fig: dict, width: int) -> SafeString:
    return charts.stacked_bars(
        [(r["host"], r) for r in fig["rows"][:12]],
        [Series("broken", "Broken", HEALTH_COLORS["broken"]),
         Series("blocked", "Blocked", HEALTH_COLORS["blocked"])],
        title="Broken and blocked links per host", label_width=190, width=width,
    )


CHARTS = {
    "status": _status_chart,
    "weekly": _weekly_chart,
    "throughput": _throughput_chart,
    "sources": _sources_chart,
    "source-kinds": lambda fig, width: _grouped_chart(fig, width, "Verdicts by source kind"),
    "grades": lambda fig, width: _grouped_chart(fig, width, "Verdicts by reliability grade"),
    "link-health": _health_chart,
    "domains": _domains_chart,
}


def sections(built: dict[str, Any], *, links: bool = True) -> dict[str, Section]:
    """Each built report with its chart (reports without one are tables only),
    keyed with underscores so templates can name them."""
    out = {}
    for slug, figure in built["reports"].items():
        draw = CHARTS.get(slug)
        width = WIDE_CHART if slug in WIDE else NARROW_CHART
        chart = None
        if draw:
            ids = f"{slug}-about" + (f" {slug}-figures" if figure["rows"] else "")
            chart = charts.described_by(draw(figure, width), ids)
        out[slug.replace("-", "_")] = Section(REPORTS[slug], figure, chart, links)
    return out


def headline(built: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The few numbers at the top of the page: (label, value, where to read more)."""
    reports = built["reports"]

    def summary(slug: str) -> dict:
        return reports.get(slug, {}).get("summary", {})

    status, stale = summary("status"), summary("stale")
    throughput, health = summary("throughput"), summary("link-health")
    median = throughput.get("median_days")
    by_health = {r["health"]: r["links"] for r in reports.get("link-health", {}).get("rows", [])}
    return [
        ("Claims", f"{status.get('total', 0):,}", "status"),
        ("Open (unverified or in review)", f"{status.get('open', 0):,}", "status"),
        ("With a verdict", f"{status.get('with_verdict', 0):,}", "status"),
        (f"Stale (over {stale.get('stale_after_days', '?')} days)",
         f"{stale.get('stale', 0):,}", "stale"),
        ("Median days to verdict", "—" if median is None else f"{median:g}", "throughput"),
        ("Broken links", f"{by_health.get('broken', 0):,}", "link-health"),
        ("Archived copies", f"{health.get('archived', 0):,}", "link-health"),
        ("Claims with all evidence broken",
         f"{summary('dead-evidence').get('claims', 0):,}", "dead-evidence"),
        # Added by other apps (factcheck.report_extend): the desk's open checklist tasks.
        *[(extra.label, f"{status[extra.key]:,}", "status")
          for extra in status_figures() if extra.key in status],
    ]
