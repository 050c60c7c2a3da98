"""The figure channel: claims on file that state the same figure, found by index.

The similar-claims answer re-ranks the embedding's nearest vectors
(finder.pool). At a million claims a faithful translation can sit below the
nearest few hundred, out of reach however well the ranker would score it. This
channel does not depend on the embedding: a claim's main figures (its recorded
`Quantity`, else the text's main figures as textfacts reads them) are kept as
rows (`ClaimFigure`: value, what it counts, each claimant), and a query's own
main figures are looked up by B-tree index. What it finds joins the pool before
re-ranking; the ranker judges it as any other candidate.

Bounded: each probe reads at most `CAP` (20) rows, the most recent claims first, so a
figure on file a hundred thousand times ("1,000") costs what a rare one does. A
probe by figure *and* claimant keeps a common figure's claims by the same
claimant in reach however many others state it. docs/matching.md ("Candidate
pool") has the design and the measurements.

Kept in step: the embedding worker writes a claim's rows with its text facts
(storedfacts.store); a change of its figure or claimants rewrites them on commit
(signals.py). Exact numbers only: "600" does not find 603, which the ranker takes
for the same round figure (a range probe would not stay bounded).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import connection, transaction

from claims.models import Attribution, Quantity, Role

from . import storedfacts, textfacts
from .models import ClaimFigure, ClaimTextFacts

# Rows a probe reads: the most recent claims stating the figure. Set on dev at 1M synthetic
# claims (bench/matching.py --background): 20 and 50 find the same first matches (the
# claimant probe carries them when a figure is common); 20 re-ranks at most 27 more
# candidates a query, 50 up to 57, and re-ranking them is the channel's cost.
CAP = 20
MAX_FIGURES = 3  # main figures of one query looked up (a text rarely has more)
_STEP = Decimal("0.0001")  # ClaimFigure.value's decimal places
_LIMIT = Decimal(10) ** 20  # its max_digits less the decimal places


def stored_value(value: Decimal) -> Decimal | None:
    """The value as the column holds it, or None if it cannot hold it."""
    try:
        stored = value.quantize(_STEP, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return None
    return stored if abs(stored) < _LIMIT else None


def keys(main_figure_events: Iterable[tuple[Decimal, str]]) -> list[tuple[Decimal, str]]:
    """The (value, what it counts) pairs looked up: a claim's main figures, in a set order."""
    out = {(v, kind) for value, kind in main_figure_events
           if (v := stored_value(value)) is not None}
    return sorted(out, key=lambda k: (k[0], k[1]))


def _quantity_keys(quantity) -> set[tuple[Decimal, str]]:
    """As ranking.stored_facts reads a recorded figure: value and bounds, each with the
    event words of what is counted ("" when none)."""
    kinds = textfacts.events(quantity.counted or "") or frozenset({""})
    return {(v, kind) for v in (quantity.value, quantity.lower, quantity.upper)
            if v is not None for kind in kinds}


def _text_keys(text: str, stored: tuple[str, dict] | None) -> set[tuple[Decimal, str]]:
    if stored is not None and stored[0] == storedfacts.key(text):
        return {(Decimal(v), kind) for v, kind in stored[1].get("main_figure_events", ())}
    return set(textfacts.main_figure_events(text))


def rows_for(claim_ids: Iterable[int]) -> list[ClaimFigure]:
    """The rows these claims should have, from their figure, text facts and claimants."""
    from claims.models import Claim

    ids = list(claim_ids)
    quantities = {q.claim_id: q for q in Quantity.objects.filter(claim_id__in=ids)}
    claimants: dict[int, set[int]] = {}
    for claim_id, source_id in Attribution.objects.filter(
            claim_id__in=ids, role=Role.CLAIMANT).values_list("claim_id", "source_id"):
        claimants.setdefault(claim_id, set()).add(source_id)
    stored = {pk: (k, facts) for pk, k, facts in ClaimTextFacts.objects.filter(
        claim_id__in=ids).values_list("claim_id", "key", "facts")}
    rows = []
    for pk, text in Claim.objects.filter(pk__in=ids).values_list("pk", "text"):
        found = (_quantity_keys(quantities[pk]) if pk in quantities
                 else _text_keys(text, stored.get(pk)))
        for value, event in keys(found):
            for claimant in sorted(claimants.get(pk, ())) or [None]:
                rows.append(ClaimFigure(claim_id=pk, value=value, event=event,
                                        claimant_id=claimant))
    return rows


def refresh(claim_ids: Iterable[int]) -> int:
    """Rewrite these claims' rows (a claim gone has none); how many rows now."""
    ids = list(claim_ids)
    if not ids:
        return 0
    with transaction.atomic():
        ClaimFigure.objects.filter(claim_id__in=ids).delete()
        rows = ClaimFigure.objects.bulk_create(rows_for(ids), batch_size=1000)
    return len(rows)


def refresh_on_commit(claim_id: int) -> None:
    transaction.on_commit(lambda: refresh([claim_id]), robust=True)


def of_claim(claim_id: int) -> tuple[list[tuple[Decimal, str]], set[int]]:
    """A stored claim's own main figures and claimants, from its rows."""
    figures, claimants = set(), set()
    for value, event, claimant in ClaimFigure.objects.filter(claim_id=claim_id).values_list(
            "value", "event", "claimant_id"):
        figures.add((value, event))
        if claimant is not None:
            claimants.add(claimant)
    return sorted(figures), claimants


def _probe(where: str) -> str:
    # A sub-select per probe, each ordered and cut on its own: an index range scan
    # backwards on (value, event, claim) or (value, claim) that stops after CAP rows.
    # (Wrapped in FROM: SQLite allows ORDER BY / LIMIT in a compound's members only there.)
    return (f"SELECT claim_id FROM (SELECT claim_id FROM {ClaimFigure._meta.db_table} "
            f"WHERE {where} ORDER BY claim_id DESC LIMIT %s) AS p")


def lookup(figures: Iterable[tuple[Decimal, str]], claimants: Iterable[int] = (),
           cap: int = CAP) -> tuple[str, list]:
    """The statement `candidates` runs, with its parameters ("" when nothing to look up)."""
    figures = keys(figures)[:MAX_FIGURES]
    claimants = sorted(set(claimants))
    parts: list[str] = []
    params: list = []
    for value, event in figures:
        if event:
            # The same thing counted, or a figure whose count is unknown (it agrees).
            parts += [_probe("value = %s AND event = %s"), _probe("value = %s AND event = ''")]
            params += [value, event, cap, value, cap]
        else:
            parts.append(_probe("value = %s"))
            params += [value, cap]
        if claimants:
            marks = ", ".join(["%s"] * len(claimants))
            same_event = " AND event IN (%s, '')" if event else ""
            parts.append(_probe(f"value = %s AND claimant_id IN ({marks}){same_event}"))
            params += [value, *claimants, *([event] if event else []), cap]
    return " UNION ALL ".join(parts), params


def candidates(figures: Iterable[tuple[Decimal, str]], claimants: Iterable[int] = (),
               cap: int = CAP) -> list[int]:
    """Claims stating one of these main figures, counting the same thing (or what either
    counts is unknown): for each figure the `cap` most recent, and the `cap` most recent
    by one of these claimants. One statement; at most 3 × MAX_FIGURES × cap rows."""
    sql, params = lookup(figures, claimants, cap)
    if not sql:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(dict.fromkeys(row[0] for row in cursor.fetchall()))
