"""Full-text search over claims in any script.

What `q` matches is one folded text per claim, `Claim.search_document`: the
claim's text and English summary, its attributions' phrases and quotes, and the
names and aliases of its sources. Denormalising keeps a search to one indexed
table, so at a million claims it does not join or union four tables.

On PostgreSQL two GIN indexes serve it (docs/benchmarks.md has the measurements):
- a `simple`-config tsvector, prefix-matched: whole words and word starts in any
  script ("Seul" finds "Seulun", "조선중앙통신" finds "조선중앙통신은");
- a trigram index for substrings the word index misses (the middle of a
  Korean word with its particle, a word inside a hyphenated compound).
Folding happens here in Python (sources.text.fold plus dotless ı → i) rather
than with PostgreSQL's unaccent, so the database needs no extension for it and
the index and the query fold alike by construction.
"""

import re

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from sources.models import SourceAlias
from sources.text import fold

from .models import Attribution, Claim

# Azerbaijani and Turkish dotless ı: "BAKI" typed on any keyboard must find "Bakı".
_SEARCH_MAP = str.maketrans({"ı": "i"})
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_CHARS = 200


def search_fold(text: str) -> str:
    return fold(text).translate(_SEARCH_MAP)


def document_for(claim: Claim) -> str:
    parts = [claim.text, claim.summary_en]
    source_ids = set()
    for phrase, quote, source_id, name in Attribution.objects.filter(claim=claim).values_list(
        "phrase", "quote", "source_id", "source__name"
    ):
        parts += [phrase, quote, name]
        source_ids.add(source_id)
    parts += SourceAlias.objects.filter(source_id__in=source_ids).values_list("alias", flat=True)
    return search_fold("\n".join(p for p in parts if p))


def refresh_search_document(claim: Claim) -> None:
    # A plain UPDATE: the search text is derived, so it moves neither the
    # claim's version nor its updated_at.
    Claim.objects.filter(pk=claim.pk).update(search_document=document_for(claim))


def refresh_for_sources(source_ids: list[int]) -> int:
    """After a source is renamed or gains an alias, re-derive its claims' search text."""
    n = 0
    for claim in Claim.objects.filter(attributions__source_id__in=source_ids).distinct():
        refresh_search_document(claim)
        n += 1
    return n


def _tsquery(folded: str) -> str:
    """Every word of the query as a prefix, ANDed: `seul:* & kcna:*`."""
    words = _WORD.findall(folded)
    return " & ".join(f"'{w}':*" for w in words)


def search(queryset: QuerySet, q: str) -> QuerySet:
    folded = search_fold(q)[:MAX_QUERY_CHARS]
    if not folded:
        return queryset
    like = "%" + folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    if connection.vendor != "postgresql":
        return queryset.filter(Q(search_document__contains=folded))
    tsquery = _tsquery(folded)
    if not tsquery:  # punctuation only: substring search alone
        return queryset.filter(search_document__contains=folded)
    if len(folded) < 3:
        # Under three characters there is no trigram to look up; the word index alone.
        sql, params = "claims_claim.search_vector @@ to_tsquery('simple', %s)", (tsquery,)
    else:
        sql = ("(claims_claim.search_vector @@ to_tsquery('simple', %s)"
               " OR claims_claim.search_document LIKE %s)")
        params = (tsquery, like)
    match = RawSQL(sql, params, output_field=BooleanField())
    return queryset.alias(q_match=match).filter(q_match=True)
