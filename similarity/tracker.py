"""The figure tracker: every estimate of one counted thing, over time, by claimant and role.

"North Korean soldiers killed" has been put at 100, 300, ~1,000, 3,000 and
more, by different agencies, relayed by different outlets, at different times.
This module gathers those estimates (one per claim with a figure) and draws
them as a server-side SVG: one colour per claimant, a dot at the stated value,
a bar for the bounds, an arrow for "at least" / "at most".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Min
from django.db.models.functions import Lower
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from claims.models import Attribution, Claim, Qualifier, Quantity, Role
from sources.text import fold

PALETTE = ["#2563eb", "#dc2626", "#16a34a", "#f59e0b", "#7c3aed", "#0891b2", "#db2777",
           "#65a30d", "#ea580c", "#475569"]


@dataclass
class Estimate:
    claim: Claim
    quantity: Quantity
    on: date
    claimants: list[tuple[str, str]] = field(default_factory=list)  # (name, stance)
    conduits: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)

    @property
    def low(self) -> Decimal | None:
        q = self.quantity
        return q.lower if q.lower is not None else (q.value if q.qualifier != Qualifier.AT_MOST
                                                    else None)

    @property
    def high(self) -> Decimal | None:
        q = self.quantity
        return q.upper if q.upper is not None else (q.value if q.qualifier != Qualifier.AT_LEAST
                                                    else None)

    @property
    def point(self) -> Decimal:
        q = self.quantity
        if q.value is not None:
            return q.value
        if q.lower is not None and q.upper is not None:
            return (q.lower + q.upper) / 2
        return q.lower if q.lower is not None else q.upper

    @property
    def claimant_label(self) -> str:
        return ", ".join(name for name, _ in self.claimants) or "unattributed"


def counted_things(limit: int = 200) -> list[dict]:
    """Counted things with how many estimates each, most estimated first."""
    return list(Quantity.objects.annotate(key=Lower("counted")).values("key")
                .annotate(estimates=Count("claim"), first=Min("claim__made_on"))
                .order_by("-estimates", "key")[:limit])


def estimates(counted: str, *, published_only: bool = False) -> list[Estimate]:
    """Every estimate of this counted thing (matched folded), oldest first."""
    key = fold(counted)
    quantities = [q for q in Quantity.objects.select_related("claim")
                  .filter(counted__iexact=counted.strip()) if fold(q.counted) == key]
    if not quantities:  # folding differences the database cannot see (ı, diacritics)
        quantities = [q for q in Quantity.objects.select_related("claim")
                      if fold(q.counted) == key]
    if published_only:
        quantities = [q for q in quantities if q.claim.published]
    by_claim = {q.claim_id: q for q in quantities}
    stated: dict[int, date] = {}
    out: dict[int, Estimate] = {}
    for q in quantities:
        claim = q.claim
        out[claim.pk] = Estimate(claim, q, claim.made_on or claim.created_at.date())
    for a in Attribution.objects.filter(claim_id__in=by_claim).select_related("source"):
        e = out[a.claim_id]
        if a.role == Role.CLAIMANT:
            e.claimants.append((a.source.name, a.stance))
            if a.stated_on and (a.claim_id not in stated or a.stated_on < stated[a.claim_id]):
                stated[a.claim_id] = a.stated_on
        elif a.role == Role.CONDUIT:
            e.conduits.append(a.source.name)
        else:
            e.outlets.append(a.source.name)
    for claim_id, on in stated.items():
        if not out[claim_id].claim.made_on:
            out[claim_id].on = on
    return sorted(out.values(), key=lambda e: (e.on, e.claim.pk))


def _fmt(value: float) -> str:
    return f"{int(value):,}" if value == int(value) else f"{value:,.1f}"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def chart(found: list[Estimate], title: str, width: int = 760, height: int = 300
          ) -> SafeString:
    """Estimates over time as inline SVG; each mark has a <title> tooltip."""
    t = escape(title)
    head = (f'<svg class="chart figure-tracker" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" aria-label="{t}" xmlns="http://www.w3.org/2000/svg">'
            f"<title>{t}</title>")
    if not found:
        return mark_safe(head + '<text x="10" y="30">No estimates on file.</text></svg>')
    claimants = list(dict.fromkeys(e.claimant_label for e in found))
    colors = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(claimants)}
    left, right, top, bottom = 64, width - 16, 18 + 18 * math.ceil(len(claimants) / 4), height - 28
    values = [float(v) for e in found for v in (e.low, e.high, e.point) if v is not None]
    vmax = _nice_max(max(values))
    days = [e.on.toordinal() for e in found]
    d0, d1 = min(days), max(days)
    span = max(d1 - d0, 1)

    def x(on: date) -> float:
        return left + (right - left) * ((on.toordinal() - d0) / span if d1 > d0 else 0.5)

    def y(v: float) -> float:
        return bottom - (bottom - top) * v / vmax

    body = []
    for i, name in enumerate(claimants):  # legend, four to a row
        lx, ly = left + (i % 4) * 170, 6 + 18 * (i // 4)
        body.append(f'<rect x="{lx}" y="{ly}" width="11" height="11" rx="2" '
                    f'fill="{colors[name]}"/><text class="chart-legend" x="{lx + 16}" '
                    f'y="{ly + 10}">{escape(name[:26])}</text>')
    for k in range(5):
        v = vmax * k / 4
        body.append(f'<line class="grid" x1="{left}" x2="{right}" y1="{y(v):.1f}" '
                    f'y2="{y(v):.1f}" stroke="#e2e8f0"/><text class="chart-axis" '
                    f'x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{_fmt(v)}</text>')
    body.append(f'<line class="axis" x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" '
                f'stroke="#64748b"/>')
    for on in sorted({found[0].on, found[-1].on}):
        body.append(f'<text class="chart-axis" x="{x(on):.1f}" y="{bottom + 18}" '
                    f'text-anchor="middle">{on.isoformat()}</text>')
    for e in found:
        color = colors[e.claimant_label]
        cx, cy = x(e.on), y(float(e.point))
        tip = escape(f"{e.on.isoformat()} — {e.claimant_label}: {e.quantity.in_words()}"
                     + (f" (via {', '.join(e.conduits)})" if e.conduits else "")
                     + (f" in {', '.join(e.outlets)}" if e.outlets else ""))
        if e.low is not None and e.high is not None and e.low != e.high:
            body.append(f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{y(float(e.low)):.1f}" '
                        f'y2="{y(float(e.high)):.1f}" stroke="{color}" stroke-width="3" '
                        f'opacity=".45"/>')
        if e.quantity.qualifier == Qualifier.AT_LEAST:
            body.append(f'<path d="M{cx - 5:.1f},{cy - 6:.1f} L{cx:.1f},{cy - 13:.1f} '
                        f'L{cx + 5:.1f},{cy - 6:.1f}" fill="none" stroke="{color}" '
                        f'stroke-width="2"/>')
        elif e.quantity.qualifier == Qualifier.AT_MOST:
            body.append(f'<path d="M{cx - 5:.1f},{cy + 6:.1f} L{cx:.1f},{cy + 13:.1f} '
                        f'L{cx + 5:.1f},{cy + 6:.1f}" fill="none" stroke="{color}" '
                        f'stroke-width="2"/>')
        hollow = any(stance != "asserts" for _, stance in e.claimants)
        body.append(f'<circle class="estimate" cx="{cx:.1f}" cy="{cy:.1f}" r="5" '
                    f'fill="{"white" if hollow else color}" stroke="{color}" '
                    f'stroke-width="2"><title>{tip}</title></circle>')
    return mark_safe(head + "".join(body) + "</svg>")
