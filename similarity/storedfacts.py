"""A claim's text facts, read once by the embedding worker and stored (ClaimTextFacts).

A `similar` answer compares its query with every candidate's facts; what the
database does not hold (the figures a text states, what they count, denial, its
trigrams) is read from the candidate's text by similarity/textfacts.py, ~100 µs
a text. At limit=250 that is 1,000 texts a request, and at 1M claims the
per-text caches rarely hit (docs/benchmarks.md). So the worker that embeds a
claim also stores these, and the ranking reads them with the claim's row.

`key` ties a row to the exact text and the exact rules it was read with: the
hash of the text and of the rules' own source (textfacts.py, numerals.py,
numberwords.py, the folding they use). A row whose key differs from the claim's
text now (an edit the worker has not reached, a deploy that changed a rule) is
not used: the facts are read from the text as before, never stale.
`manage.py store_text_facts` fills what
is missing or stale; so does the worker's sweep (`refresh_stale`, the beat task
similarity.tasks.refresh_text_facts), which finds the rows a deploy made stale
by their `rules` column and reads them again in claimed batches until none is
left: no backfill by hand after a rules change.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from claims import search
from claims.models import Claim
from sources import text as source_text

from . import figures, numberwords, numerals, textfacts
from .models import ClaimTextFacts

FORMAT = "2"  # what `compute` writes; bump when its fields change


def _rules() -> str:
    digest = hashlib.sha256(FORMAT.encode())
    for module in (textfacts, numerals, numberwords, source_text):  # every module a rule lives in
        digest.update(Path(module.__file__).read_bytes())
    digest.update(repr(sorted(search._SEARCH_MAP.items())).encode())
    return digest.hexdigest()


RULES = _rules()


def key(text: str) -> str:
    return hashlib.sha256(f"{RULES}\0{text}".encode()).hexdigest()


def compute(text: str) -> dict:
    """The facts `ranking.stored_facts` reads from a text, as JSON."""
    return {
        "events": sorted(textfacts.events(text)),
        "denies": textfacts.denies(text),
        # The folded words the trigrams are cut from: a fifth of the trigrams' size.
        "words": textfacts.trigram_words(text),
        "figures": sorted(str(v) for v in numerals.numbers(text)),
        "figure_events": sorted([str(v), kind] for v, kind in textfacts.figure_events(text)),
        "main_figure_events": sorted([str(v), kind]
                                     for v, kind in textfacts.main_figure_events(text)),
        "interim": textfacts.interim(text),
    }


def decode(facts: dict) -> dict:
    """Stored facts as ranking.Facts' fields (the same values `compute` read)."""
    return {
        "events": frozenset(facts["events"]),
        "denies": facts["denies"],
        "trigrams": textfacts.trigrams_of_words(facts["words"]),
        "figures": frozenset(map(Decimal, facts["figures"])),
        "figure_events": frozenset((Decimal(v), kind) for v, kind in facts["figure_events"]),
        "main_figure_events": frozenset((Decimal(v), kind)
                                        for v, kind in facts["main_figure_events"]),
        "interim": facts.get("interim", False),
    }


def store(texts: dict[int, str]) -> int:
    """Store the facts of these claims (id → text) whose stored row is missing or stale.

    A row whose key is already this text's under the rules in force is only given
    the rules' hash (a row from before the `rules` column): nothing is read again.
    """
    if not texts:
        return 0
    stored = {pk: (digest, rules) for pk, digest, rules in ClaimTextFacts.objects.filter(
        claim_id__in=list(texts)).values_list("claim_id", "key", "rules")}
    rows, relabel = [], []
    for pk, text in texts.items():
        digest = key(text)
        found = stored.get(pk)
        if found == (digest, RULES):
            continue
        if found is not None and found[0] == digest:
            relabel.append(pk)
        else:
            rows.append(ClaimTextFacts(claim_id=pk, key=digest, rules=RULES,
                                       facts=compute(text)))
    with transaction.atomic():
        ClaimTextFacts.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["claim"],
            update_fields=["key", "rules", "facts"], batch_size=1000)
        if relabel:
            ClaimTextFacts.objects.filter(claim_id__in=relabel).update(rules=RULES)
        # The figure channel's rows are read from these facts (a recorded figure wins):
        # written with them, so a claim's rows follow its text and the rules in force.
        figures.refresh([row.claim_id for row in rows] + relabel)
    return len(rows) + len(relabel)


def _stale():
    # Two ranges rather than "<>": each an index range scan on `rules`, so a sweep with
    # nothing to do costs two index probes, not a read of the whole table.
    return ClaimTextFacts.objects.filter(Q(rules__lt=RULES) | Q(rules__gt=RULES))


def refresh_stale(batch: int = 500) -> int:
    """Claim up to `batch` rows read under other rules (or owed, rules "") and read them
    again from their claims' texts now; how many were claimed (0: none left).

    The rows are claimed FOR UPDATE SKIP LOCKED inside the transaction that rewrites
    them, so two workers take different rows and a worker that dies releases its
    rows with its transaction. Safe to run twice: a current row is never selected.
    """
    with transaction.atomic():
        ids = list(_stale().select_for_update(skip_locked=True)
                   .order_by().values_list("claim_id", flat=True)[:batch])
        if ids:
            store(dict(Claim.objects.filter(pk__in=ids).values_list("pk", "text")))
    return len(ids)


def stale_count() -> int:
    return _stale().count()


def any_stale() -> bool:
    return _stale().exists()
