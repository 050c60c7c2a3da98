"""Claims already on file that a proposal repeats: the same text, or the same figure from
the same claimant. Flagged on the import page and in the API so that importing an article
twice does not silently create every claim twice.

Two queries whatever the number of proposals. Fuzzy "looks like" matches are the
similarity app's (similarity.attach); this is the exact kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import TYPE_CHECKING

from django.db.models import Q

from claims.models import Attribution, Claim, Role
from sources.text import fold

from .types import ProposedClaim

if TYPE_CHECKING:
    from .accept import AcceptedClaim


@dataclass(frozen=True)
class OnFile:
    claim_id: int
    reason: str  # "same_text" | "same_figure"

    @property
    def label(self) -> str:
        return {"same_text": "same text", "same_figure": "same figure from the same claimant"
                }[self.reason]


def _key(text: str) -> str:
    return " ".join(fold(text).split())


def _figure(q) -> tuple:
    def n(v):
        return None if v is None else Decimal(str(v)).normalize()
    return (q.qualifier, n(q.value), n(q.lower), n(q.upper), q.unit or "")


def on_file(proposals: list[ProposedClaim]) -> list[list[OnFile]]:
    """For each proposal, the claims on file it repeats (empty lists when none)."""
    return repeated([(p.text, p.quantity and _figure(p.quantity),
                      {a.source.id for a in p.claimants if a.source.id}) for p in proposals])


def accepted_on_file(accepted: list[AcceptedClaim]) -> list[list[OnFile]]:
    """The same for claims an editor accepted (the accept API): before filing them."""
    def figure(q: dict | None):
        if not q:
            return None
        return _figure(SimpleNamespace(**{"value": None, "lower": None, "upper": None,
                                          "unit": "", **q}))
    return repeated([(c.text, figure(c.quantity),
                      {a.source.pk for a in c.attributions
                       if a.role == Role.CLAIMANT and a.source is not None})
                     for c in accepted])


def repeated(items: list[tuple[str, tuple | None, set[int]]]) -> list[list[OnFile]]:
    """For each (text, figure, claimant source ids): the claims on file it repeats.

    Two queries whatever the number of items.
    """
    out: list[list[OnFile]] = [[] for _ in items]
    if not items:
        return out
    texts = {t.strip() for t, _, _ in items if t.strip()}
    by_text: dict[str, list[int]] = {}
    if texts:
        query = Q()
        for t in texts:
            query |= Q(text__iexact=t)
        for pk, text in Claim.objects.filter(query).values_list("pk", "text")[:500]:
            by_text.setdefault(_key(text), []).append(pk)
    claimants = {s for _, figure, ids in items if figure for s in ids}
    by_figure: dict[tuple, list[int]] = {}
    if claimants:
        rows = (Attribution.objects.filter(role=Role.CLAIMANT, source_id__in=claimants,
                                           claim__quantity__isnull=False)
                .select_related("claim__quantity").only(
                    "source_id", "claim_id", "claim__quantity__qualifier",
                    "claim__quantity__value", "claim__quantity__lower",
                    "claim__quantity__upper", "claim__quantity__unit")[:2000])
        for a in rows:
            by_figure.setdefault((a.source_id, _figure(a.claim.quantity)), []).append(
                a.claim_id)
    for i, (text, figure, ids) in enumerate(items):
        seen: set[int] = set()
        for pk in by_text.get(_key(text), []):
            seen.add(pk)
            out[i].append(OnFile(pk, "same_text"))
        if figure is None:
            continue
        for source_id in sorted(ids):
            for pk in by_figure.get((source_id, figure), []):
                if pk not in seen:
                    seen.add(pk)
                    out[i].append(OnFile(pk, "same_figure"))
    return out
