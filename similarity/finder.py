"""Similar claims for a stored claim or a bare text, and the editor's answer about a pair.

`similar_to_claim` / `similar_to_text`: nearest vectors from the index and the
claims stating the same figure (figures.py, by database index), then the hybrid
ranking (similarity/ranking.py), minus the pairs an editor said are not related,
plus the claims an editor already linked ("same as" / "conflicts with"), which
always show with their relation. `answer` is the one way to record an editor's
verdict on a pair.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from django.db import transaction
from django.db.models import Q

from claims.models import Claim, ClaimRelation, RelationKind

from . import claimants, embedding, figures, ranking
from .index import shared_index
from .models import ClaimVector, NotRelated

MAX_LIMIT = 250
# Nearest vectors read and re-ranked for `limit` results (`pool`): room for the
# re-ranking to reorder. Never fewer than OVERFETCH_MIN: a translation sits further
# from a text than its same-language lookalikes, and with 50 the panel lost a
# quarter of the cross-language matches its ranking finds (dev s@1 0.750 at 50,
# 0.984 at 200; docs/matching.md "Candidate pool"). A large answer reads its limit
# plus OVERFETCH_MARGIN (limit=250: 290, not 1,000), so its cost grows with what it
# returns; every pool holds the nearest that limit=10 re-ranks.
OVERFETCH = 4
OVERFETCH_MIN = 200
OVERFETCH_MARGIN = 40


def pool(limit: int) -> int:
    """How many nearest vectors `limit` results are re-ranked from."""
    return max(OVERFETCH_MIN, min(limit * OVERFETCH, limit + OVERFETCH_MARGIN))


class Answer:
    SAME_AS = "same_as"
    CONFLICTS_WITH = "conflicts_with"
    NOT_RELATED = "not_related"
    CHOICES = (SAME_AS, CONFLICTS_WITH, NOT_RELATED)


@dataclass
class Match:
    claim_id: int
    score: float
    cosine: float
    relation: str  # same_as | conflicts_with | suggested
    assessment: str  # likely_same | related | conflicting
    agreements: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    # As read for the ranking, so an answer needs no second read of the same rows.
    language: str = ""
    text: str = ""
    summary_en: str = ""


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def claim_vectors(claim: Claim) -> np.ndarray:
    """The claim's stored vectors; computed now if the worker has not got to it yet."""
    rows = list(ClaimVector.objects.filter(claim=claim, model=embedding.model_name())
                .values_list("vector", flat=True))
    if rows:
        return np.vstack([embedding.from_bytes(v) for v in rows])
    texts = [t.strip()[: embedding.MAX_CHARS] for t in (claim.text, claim.summary_en)
             if t and t.strip()]
    return embedding.embed(texts)


def _editor_links(claim_id: int) -> dict[int, str]:
    links: dict[int, str] = {}
    for a, b, kind in ClaimRelation.objects.filter(
        Q(from_claim_id=claim_id) | Q(to_claim_id=claim_id),
        kind__in=[RelationKind.SAME_AS, RelationKind.CONFLICTS_WITH],
    ).values_list("from_claim_id", "to_claim_id", "kind"):
        other = b if a == claim_id else a
        if links.get(other) != RelationKind.SAME_AS:  # same_as wins if both
            links[other] = kind
    return links


def _dismissed(claim_id: int) -> set[int]:
    return {b if a == claim_id else a for a, b in NotRelated.objects.filter(
        Q(from_claim_id=claim_id) | Q(to_claim_id=claim_id)
    ).values_list("from_claim_id", "to_claim_id")}


def _rank(query: ranking.Facts | None, vectors: np.ndarray, limit: int, *,
          published_only: bool, exclude: int | None = None,
          names: claimants.NameIndex | None = None) -> list[Match]:
    """`query` None: the facts of claim `exclude`, read with its candidates' (one read).
    `names`: the name index a bare text's names were read with."""
    embedding.require()
    limit = max(1, min(limit, MAX_LIMIT))
    nearest = shared_index().nearest(vectors, pool(limit))
    cosines = dict(nearest)
    links = _editor_links(exclude) if exclude else {}
    dismissed = _dismissed(exclude) if exclude else set()
    # The second channel: claims stating the same figure, by index, however far their
    # embedding (figures.py). A stored claim's figures are its rows; a text's, its words'.
    same_figure, claimant_ids = (figures.of_claim(exclude) if query is None else
                                 (query.main_figure_events, query.claimants))
    by_figure = figures.candidates(same_figure, claimant_ids)
    wanted = (set(cosines) | set(links) | set(by_figure)) - dismissed - {exclude}
    facts = ranking.facts_for_claims(wanted if query is not None else wanted | {exclude})
    if query is None:
        query = facts.pop(exclude)
    if published_only:
        facts = {pk: f for pk, f in facts.items() if f.published}
    if query.id is None:  # a bare text: what each candidate's own text names (compare)
        # One index for every candidate: each name_index() call checks the registry's
        # version in two statements, 100 a request when taken per candidate (~25 ms CPU
        # of a POST at 1M claims, docs/benchmarks.md).
        names = names or claimants.name_index()
        facts = {pk: replace(f, mentioned=names.find(f.text)) for pk, f in facts.items()}
    missing = [pk for pk in facts if pk not in cosines]  # linked or same figure, not near
    if missing:
        for pk, vector in ClaimVector.objects.filter(
            claim_id__in=missing, model=embedding.model_name()
        ).values_list("claim_id", "vector"):
            score = float(np.max(vectors @ embedding.from_bytes(vector)))
            cosines[pk] = max(cosines.get(pk, -1.0), score)
    matches = []
    for pk, other in facts.items():
        cmp = ranking.compare(query, other, cosines.get(pk, 0.0))
        matches.append(Match(pk, round(cmp.score, 4), round(cmp.cosine, 4),
                             links.get(pk, "suggested"), cmp.assessment,
                             cmp.agreements, cmp.differences,
                             other.language, other.text, other.summary_en))
    # Editor-linked claims first (an answer outranks a guess), then by score.
    matches.sort(key=lambda m: (m.relation == "suggested", -m.score, m.claim_id))
    return matches[:limit]


def similar_to_claim(claim: Claim, limit: int = 10, *, published_only: bool = False
                     ) -> list[Match]:
    embedding.require()
    return _rank(None, claim_vectors(claim), limit, published_only=published_only,
                 exclude=claim.pk)


def similar_to_text(text: str, language: str = "", limit: int = 10, *,
                    published_only: bool = False) -> list[Match]:
    """Claims on file like this text (a claim not yet stored). UnreadableText if it is not one."""
    text = embedding.check_text(text)
    vectors = embedding.embed([text])
    names = claimants.name_index()
    named = names.find(text)
    query = ranking.facts_for_text(text, language, named, names.parents_of(named))
    return _rank(query, vectors, limit, published_only=published_only, names=names)


@transaction.atomic
def answer(claim: Claim, other: Claim, verdict: str, actor=None) -> None:
    """Record an editor's answer about a pair, replacing any earlier answer for it.

    same_as / conflicts_with become editor ClaimRelation rows (an automatic
    conflict row becomes the editor's own, so a recompute never removes it);
    not_related is remembered so the pair is never suggested again.
    """
    if verdict not in Answer.CHOICES:
        raise ValueError(f"Unknown answer {verdict!r}.")
    if claim.pk == other.pk:
        raise ValueError("A claim cannot be compared with itself.")
    a, b = _pair(claim.pk, other.pk)
    ClaimRelation.objects.filter(
        from_claim_id=a, to_claim_id=b,
        kind__in=[RelationKind.SAME_AS, RelationKind.CONFLICTS_WITH],
    ).exclude(kind=verdict).delete()
    NotRelated.objects.filter(from_claim_id=a, to_claim_id=b).delete()
    if verdict == Answer.NOT_RELATED:
        NotRelated.objects.create(from_claim_id=a, to_claim_id=b, decided_by=actor)
        return
    ClaimRelation.objects.update_or_create(
        from_claim_id=a, to_claim_id=b, kind=verdict,
        defaults={"automatic": False,
                  "note": f"Editor's answer on the similar-claims panel"
                          f"{f' ({actor})' if actor else ''}."},
    )
