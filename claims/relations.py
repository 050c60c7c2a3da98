"""Claims that belong together, found automatically.

Two claims are *related* when they cite the same link, or when the same source
claims the same counted thing about the same period. Related claims whose
figures cannot both be true (their ranges do not overlap) *conflict*: that is
stored as ClaimRelation(kind=conflicts_with, automatic=True). "Related" itself
is derived on demand (`related_claims`), so it never goes stale.

Recomputing is idempotent: automatic rows the facts no longer support are
removed, missing ones added, and rows an editor made are never touched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from sources.text import fold

from .models import Attribution, Claim, ClaimRelation, Evidence, Qualifier, RelationKind, Role

INFINITY = Decimal("Infinity")


@dataclass(frozen=True)
class Related:
    claim: Claim
    reasons: tuple[str, ...]
    conflicts: bool


def figure_range(quantity) -> tuple[Decimal, Decimal] | None:
    """The values a stated figure allows: "~600" allows 600 ± the tolerance."""
    if quantity is None:
        return None
    q = Qualifier(quantity.qualifier)
    tolerance = Decimal(str(getattr(settings, "CLAIMS_APPROXIMATE_TOLERANCE", 0.1)))
    if q is Qualifier.EXACT:
        return quantity.value, quantity.value
    if q is Qualifier.APPROXIMATELY:
        if quantity.lower is not None or quantity.upper is not None:
            return (quantity.lower if quantity.lower is not None else quantity.value,
                    quantity.upper if quantity.upper is not None else quantity.value)
        spread = abs(quantity.value) * tolerance
        return quantity.value - spread, quantity.value + spread
    if q is Qualifier.AT_LEAST:
        return quantity.lower, INFINITY
    if q is Qualifier.AT_MOST:
        return -INFINITY, quantity.upper
    return quantity.lower, quantity.upper


def _period(claim: Claim) -> tuple[date, date] | None:
    start = claim.about_start or claim.made_on
    end = claim.about_end or claim.about_start or claim.made_on
    return (start, end) if start and end else None


def _overlap(a, b) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _quantity(claim: Claim):
    try:
        return claim.quantity
    except Claim.quantity.RelatedObjectDoesNotExist:
        return None


def _facts(claim_ids: Iterable[int]) -> dict[int, dict]:
    claims = Claim.objects.filter(pk__in=list(claim_ids)).select_related("quantity")
    facts = {c.pk: {"claim": c, "links": set(), "claimants": set()} for c in claims}
    for claim_id, link_id in Evidence.objects.filter(claim_id__in=facts).values_list(
        "claim_id", "link_id"
    ):
        facts[claim_id]["links"].add(link_id)
    for claim_id, link_id, source_id, role in Attribution.objects.filter(
        claim_id__in=facts
    ).values_list("claim_id", "link_id", "source_id", "role"):
        if link_id:
            facts[claim_id]["links"].add(link_id)
        if role == Role.CLAIMANT:
            facts[claim_id]["claimants"].add(source_id)
    return facts


def _reasons(a: dict, b: dict) -> list[str]:
    reasons = []
    if a["links"] & b["links"]:
        reasons.append("cites the same link")
    ca, cb = a["claim"], b["claim"]
    counted_a, counted_b = _counted_safe(ca), _counted_safe(cb)
    pa, pb = _period(ca), _period(cb)
    if (a["claimants"] & b["claimants"] and counted_a and counted_a == counted_b
            and pa and pb and _overlap(pa, pb)):
        reasons.append("same source, same counted thing, same period")
    return reasons


def _counted_safe(claim: Claim):
    quantity = _quantity(claim)
    return (fold(quantity.counted), fold(quantity.unit)) if quantity else None


def _conflicts(a: Claim, b: Claim) -> bool:
    qa, qb = _quantity(a), _quantity(b)
    if qa is None or qb is None or _counted_safe(a) != _counted_safe(b):
        return False
    ra, rb = figure_range(qa), figure_range(qb)
    return ra is not None and rb is not None and not _overlap(ra, rb)


def _candidates(claim_ids: list[int]) -> set[int]:
    """Claims that could be related to these: sharing a link or a claimant."""
    links = set(Evidence.objects.filter(claim_id__in=claim_ids).values_list("link_id", flat=True))
    links |= set(Attribution.objects.filter(claim_id__in=claim_ids, link__isnull=False)
                 .values_list("link_id", flat=True))
    claimants = set(Attribution.objects.filter(claim_id__in=claim_ids, role=Role.CLAIMANT)
                    .values_list("source_id", flat=True))
    found = set(Evidence.objects.filter(link_id__in=links).values_list("claim_id", flat=True))
    found |= set(Attribution.objects.filter(Q(link_id__in=links) | Q(
        source_id__in=claimants, role=Role.CLAIMANT)).values_list("claim_id", flat=True))
    return found | set(claim_ids)


def related_claims(claim: Claim) -> list[Related]:
    """The claims related to `claim`, each with why, and whether they conflict."""
    others = _candidates([claim.pk]) - {claim.pk}
    facts = _facts([claim.pk, *others])
    mine = facts.get(claim.pk)
    if mine is None:
        return []
    found = []
    for other_id in sorted(others):
        other = facts.get(other_id)
        if other is None:
            continue
        reasons = _reasons(mine, other)
        if reasons:
            found.append(Related(other["claim"], tuple(reasons),
                                 _conflicts(mine["claim"], other["claim"])))
    return found


def refresh_automatic_relations(claim_ids: Iterable[int]) -> dict[str, int]:
    """Bring the automatic conflicts_with rows of these claims in line with the facts."""
    ids = sorted(set(claim_ids))
    if not ids:
        return {"added": 0, "removed": 0}
    candidates = _candidates(ids)
    facts = _facts(candidates)
    wanted: set[tuple[int, int]] = set()
    for claim_id in ids:
        mine = facts.get(claim_id)
        if mine is None:
            continue
        for other_id, other in facts.items():
            if other_id == claim_id or not _reasons(mine, other):
                continue
            if _conflicts(mine["claim"], other["claim"]):
                wanted.add((min(claim_id, other_id), max(claim_id, other_id)))
    with transaction.atomic():
        existing = ClaimRelation.objects.filter(
            Q(from_claim_id__in=ids) | Q(to_claim_id__in=ids),
            kind=RelationKind.CONFLICTS_WITH, automatic=True,
        )
        have = {(r.from_claim_id, r.to_claim_id): r.pk for r in existing}
        stale = [pk for pair, pk in have.items() if pair not in wanted]
        removed = ClaimRelation.objects.filter(pk__in=stale).delete()[0] if stale else 0
        new = [
            ClaimRelation(from_claim_id=a, to_claim_id=b, kind=RelationKind.CONFLICTS_WITH,
                          automatic=True,
                          note="Found automatically: the figures cannot both be true.")
            for a, b in sorted(wanted - set(have))
        ]
        # An editor's own row for the same pair wins: the unique constraint keeps it.
        created = ClaimRelation.objects.bulk_create(new, ignore_conflicts=True)
    return {"added": len(created), "removed": removed}
