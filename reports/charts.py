"""Charts drawn on the server as inline SVG: no JavaScript, no CDN, works offline.

Three shapes cover the reports: stacked horizontal bars (statuses, sources,
link health), stacked weekly columns with an optional line (status over time)
and lines (review throughput). Colours and text follow CSS classes, so the
admin's light and dark themes both apply; every mark carries a <title>, which
browsers show as a tooltip and screen readers read.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    color: str


STATUS_COLORS = {
    "unverified": "#94a3b8", "in_review": "#3b82f6", "supported": "#16a34a",
    "disputed": "#f59e0b", "false": "#dc2626", "misleading": "#ea580c",
    "unverifiable": "#8b5cf6", "retracted": "#475569",
}
HEALTH_COLORS = {
    "unchecked": "#94a3b8", "ok": "#16a34a", "redirected": "#0ea5e9", "changed": "#f59e0b",
    "broken": "#dc2626", "blocked": "#7c3aed",
}
OPEN_COLOR = "#cbd5e1"

FONT = 12
LEGEND_H = 26


def _fmt(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _nice_max(value: float) -> float:
    """A round axis maximum at or above `value` (1, 2, 2.5, 5 × 10ⁿ)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    t = escape(title)
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" '
        f'aria-label="{t}" xmlns="http://www.w3.org/2000/svg" '
        f'preserveAspectRatio="xMinYMin meet"><title>{t}</title>{"".join(body)}</svg>'
    )


def described_by(chart: SafeString, ids: str) -> SafeString:
    """The chart, its description tied to the elements with these ids (the report's
    words and the table of its figures), so a screen reader can go from the picture to
    the numbers (WCAG 1.1.1)."""
    return mark_safe(chart.replace(' role="img" ', f' role="img" aria-describedby="{escape(ids)}" ',
                                   1))


def _legend(series: Sequence[Series], x: int = 0, y: int = 4) -> list[str]:
    out = []
    for s in series:
        out.append(
            f'<rect x="{x}" y="{y}" width="11" height="11" rx="2" fill="{s.color}"/>'
            f'<text class="chart-legend" x="{x + 16}" y="{y + 10}">{escape(s.label)}</text>'
        )
        x += 26 + int(len(s.label) * FONT * 0.56)
    return out


def _empty(width: int, title: str, message: str = "Nothing to show for this selection.") -> str:
    return _svg(width, 60, title, [
        f'<text class="chart-empty" x="{width // 2}" y="34" text-anchor="middle">'
        f"{escape(message)}</text>"
    ])


def stacked_bars(
    rows: Sequence[tuple[str, dict[str, float]]],
    series: Sequence[Series],
    *,
    title: str,
    width: int = 760,
    label_width: int = 190,
    row_height: int = 24,
    legend: bool = True,
) -> SafeString:
    """One horizontal bar per row, split into `series`; the total at the bar's end."""
    totals = [sum(values.get(s.key, 0) or 0 for s in series) for _, values in rows]
    if not rows or not any(totals):
        return _empty(width, title)
    top = LEGEND_H if legend else 4
    scale_max = max(totals)
    bar_w = width - label_width - 70
    body = _legend(series, x=label_width) if legend else []
    for i, ((label, values), total) in enumerate(zip(rows, totals, strict=True)):
        y = top + i * row_height
        short = label if len(label) <= 30 else label[:29] + "…"
        body.append(
            f'<text class="chart-label" x="{label_width - 8}" y="{y + row_height / 2 + 4:.1f}" '
            f'text-anchor="end"><title>{escape(label)}</title>{escape(short)}</text>'
        )
        x = float(label_width)
        for s in series:
            value = values.get(s.key, 0) or 0
            if not value:
                continue
            w = bar_w * value / scale_max
            body.append(
                f'<rect class="bar" x="{x:.1f}" y="{y + 4}" width="{max(w, 1):.1f}" '
                f'height="{row_height - 8}" fill="{s.color}">'
                f"<title>{escape(label)} — {escape(s.label)}: {_fmt(value)}</title></rect>"
            )
            x += w
        body.append(
            f'<text class="chart-value" x="{x + 6:.1f}" y="{y + row_height / 2 + 4:.1f}">'
            f"{_fmt(total)}</text>"
        )
    return _svg(width, top + len(rows) * row_height + 6, title, body)


def _y_axis(left: int, right: int, top: int, bottom: int, vmax: float,
            unit: str = "") -> list[str]:
    body = []
    for i in range(5):
        value = vmax * i / 4
        y = bottom - (bottom - top) * i / 4
        body.append(f'<line class="grid" x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}"/>'
                    f'<text class="chart-axis" x="{left - 6}" y="{y + 4:.1f}" '
                    f'text-anchor="end">{_fmt(value)}{unit}</text>')
    return body


def _x_labels(labels: Sequence[str], left: int, step: float, bottom: int) -> list[str]:
    every = max(1, math.ceil(len(labels) / 12))
    return [
        f'<text class="chart-axis" x="{left + step * (i + 0.5):.1f}" y="{bottom + 16}" '
        f'text-anchor="middle">{escape(label)}</text>'
        for i, label in enumerate(labels) if i % every == 0
    ]


def weekly_columns(
    weeks: Sequence[str],
    values: Sequence[dict[str, float]],
    series: Sequence[Series],
    *,
    line: Series | None = None,
    title: str,
    width: int = 760,
    height: int = 260,
) -> SafeString:
    """Stacked columns per week, with an optional line (e.g. claims opened) over them."""
    if not weeks:
        return _empty(width, title)
    left, right, top, bottom = 48, width - 10, LEGEND_H + 8, height - 24
    stacks = [sum(v.get(s.key, 0) or 0 for s in series) for v in values]
    line_values = [v.get(line.key, 0) or 0 for v in values] if line else []
    # Counts: at least 4 on the axis, so its ticks stay whole numbers.
    vmax = max(_nice_max(max([*stacks, *line_values, 1])), 4)
    step = (right - left) / len(weeks)
    col = min(max(step * 0.72, 1), 48)
    body = _legend([*series, *([line] if line else [])], x=left)
    body += _y_axis(left, right, top, bottom, vmax)

    def y_of(v: float) -> float:
        return bottom - (bottom - top) * v / vmax

    for i, (week, v) in enumerate(zip(weeks, values, strict=True)):
        x = left + step * i + (step - col) / 2
        base = 0.0
        for s in series:
            n = v.get(s.key, 0) or 0
            if not n:
                continue
            body.append(
                f'<rect class="bar" x="{x:.1f}" y="{y_of(base + n):.1f}" width="{col:.1f}" '
                f'height="{y_of(base) - y_of(base + n):.1f}" fill="{s.color}">'
                f"<title>Week of {escape(week)} — {escape(s.label)}: {_fmt(n)}</title></rect>"
            )
            base += n
    if line:
        points = " ".join(f"{left + step * (i + 0.5):.1f},{y_of(n):.1f}"
                          for i, n in enumerate(line_values))
        body.append(f'<polyline class="line" points="{points}" fill="none" '
                    f'stroke="{line.color}" stroke-width="2"/>')
        if len(weeks) <= 60:
            body += [
                f'<circle cx="{left + step * (i + 0.5):.1f}" cy="{y_of(n):.1f}" r="2.5" '
                f'fill="{line.color}"><title>Week of {escape(weeks[i])} — '
                f"{escape(line.label)}: {_fmt(n)}</title></circle>"
                for i, n in enumerate(line_values)
            ]
    body.append(f'<line class="axis" x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}"/>')
    body += _x_labels(weeks, left, step, bottom)
    return _svg(width, height, title, body)


def lines(
    xs: Sequence[str],
    values: Sequence[dict[str, float | None]],
    series: Sequence[Series],
    *,
    title: str,
    unit: str = "",
    width: int = 760,
    height: int = 240,
) -> SafeString:
    """One line per series; None leaves a gap rather than inventing a zero."""
    present = [v.get(s.key) for v in values for s in series if v.get(s.key) is not None]
    if not xs or not present:
        return _empty(width, title)
    left, right, top, bottom = 48, width - 10, LEGEND_H + 8, height - 24
    vmax = _nice_max(max(present))
    step = (right - left) / len(xs)
    body = _legend(series, x=left) + _y_axis(left, right, top, bottom, vmax, unit)
    for s in series:
        segment: list[str] = []
        segments: list[list[str]] = [segment]
        for i, v in enumerate(values):
            n = v.get(s.key)
            if n is None:
                segment = []
                segments.append(segment)
                continue
            x, y = left + step * (i + 0.5), bottom - (bottom - top) * n / vmax
            segment.append(f"{x:.1f},{y:.1f}")
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{s.color}">'
                        f"<title>Week of {escape(xs[i])} — {escape(s.label)}: "
                        f"{_fmt(n)}{escape(unit)}</title></circle>")
        body += [f'<polyline class="line" points="{" ".join(seg)}" fill="none" '
                 f'stroke="{s.color}" stroke-width="2"/>' for seg in segments if len(seg) > 1]
    body.append(f'<line class="axis" x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}"/>')
    body += _x_labels(xs, left, step, bottom)
    return _svg(width, height, title, body)
