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

import json
import re
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from sources.models import SourceAlias
from sources.text import fold

from .models import Attribution, Claim

# Azerbaijani and Turkish dotless ı: "BAKI" typed on any keyboard must find "Bakı".
_SEARCH_MAP = str.maketrans({"ı": "i"})
_WORD = re.compile(r"\w+", re.UNICODE)
# Hangul, kana and CJK ideographs.
_UNSPACED = re.compile("[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7af]")
MAX_QUERY_CHARS = 200
# Up to about this many matches, a search reads every matching row through the
# GIN indexes and sorts them (~12 ms for 2,200 at a million claims); beyond it,
# walking the claims newest first finds a page of matches sooner, because
# matches are dense. Where the two cost the same at 1M claims (~3,800 matches),
# each takes ~17 ms; docs/benchmarks.md (## API) has the measurements.
BITMAP_MAX = 4000
# Above this many estimated substring matches the date walk is cheap whatever
# the true count; below it, a bounded count decides.
WALK_MIN = 50_000


def search_fold(text: str) -> str:
    return fold(text).translate(_SEARCH_MAP)


def refresh_search_documents(claim_ids: Iterable[int], batch: int = 1000) -> int:
    """Re-derive the search text of these claims, a batch at a time (four queries each)."""
    ids = list(claim_ids)
    done = 0
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        parts: dict[int, list[str]] = {}
        for pk, text, summary in Claim.objects.filter(pk__in=chunk).values_list(
                "pk", "text", "summary_en"):
            parts[pk] = [text, summary]
        sources_of: dict[int, set[int]] = defaultdict(set)
        for claim_id, phrase, quote, source_id, name in Attribution.objects.filter(
                claim_id__in=parts).values_list("claim_id", "phrase", "quote", "source_id",
                                               "source__name"):
            parts[claim_id] += [phrase, quote, name]
            sources_of[claim_id].add(source_id)
        aliases: dict[int, list[str]] = defaultdict(list)
        for source_id, alias in SourceAlias.objects.filter(
                source_id__in={s for ids_ in sources_of.values() for s in ids_}
        ).values_list("source_id", "alias"):
            aliases[source_id].append(alias)
        documents = {}
        for pk, texts in parts.items():
            for source_id in sorted(sources_of[pk]):
                texts += aliases[source_id]
            documents[pk] = search_fold("\n".join(dict.fromkeys(t for t in texts if t)))
        _store(documents)
        done += len(documents)
    return done


def _store(documents: dict[int, str]) -> None:
    # A plain UPDATE, not save(): the search text is derived, so it moves
    # neither the claim's version nor its updated_at.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE claims_claim AS c SET search_document = v.doc"
                " FROM unnest(%s::bigint[], %s::text[]) AS v(id, doc) WHERE c.id = v.id",
                [list(documents), list(documents.values())],
            )
    else:
        Claim.objects.bulk_update(
            [Claim(pk=pk, search_document=doc) for pk, doc in documents.items()],
            ["search_document"])


def refresh_search_document(claim: Claim | int) -> None:
    refresh_search_documents([claim if isinstance(claim, int) else claim.pk])


def refresh_for_sources(source_ids: Iterable[int]) -> int:
    """After a source is renamed or gains an alias, re-derive its claims' search text."""
    claim_ids = Attribution.objects.filter(source_id__in=list(source_ids)).values_list(
        "claim_id", flat=True).distinct()
    return refresh_search_documents(claim_ids)


def _tsquery(folded: str) -> str:
    """Every word of the query as a prefix, ANDed: `seul:* & kcna:*`."""
    words = _WORD.findall(folded)
    return " & ".join(f"'{w}':*" for w in words)


def search(queryset: QuerySet, q: str) -> QuerySet:
    """`queryset` narrowed to the claims `q` matches."""
    matches = matching(queryset, q)
    if matches is queryset or connection.vendor != "postgresql":
        return matches
    # The planner costs the search condition like any cheap filter, so for a
    # word in ~0.3 % of claims it still walks the date index newest first and
    # tests ~18,000 claims for 50 matches (~25-75 ms at 1M). When the matches
    # are few, collect them all through the GIN index and let the page sort
    # them instead; the same rows and order, whatever the ordering and cursor.
    if _few_matches(matches, search_fold(q)[:MAX_QUERY_CHARS]):
        inner, params = matches.order_by().annotate(
            _ctid=RawSQL("claims_claim.ctid", ())).values("_ctid").query.sql_with_params()
        # A row's ctid: the outer query fetches each match by its place in the
        # table (a TID scan), with no index to prefer over the sort. One
        # statement, one snapshot, so the positions cannot go stale.
        return queryset.filter(RawSQL(f"claims_claim.ctid = ANY(ARRAY({inner}))", params,
                                      output_field=BooleanField()))
    return matches


def _few_matches(matches: QuerySet, folded: str) -> bool:
    plan = json.loads(matches.order_by().values("pk").explain(format="json"))
    estimate = plan[0]["Plan"]["Plan Rows"]
    if _WORD.search(folded) and not _substring_too(folded):
        return estimate <= BITMAP_MAX  # word estimates are close (claims/0005: within 1 %)
    # A substring's estimate is a guess from the pattern's length (9,761 for
    # 1,605 true), either way: unless clearly dense, count, up to the cap.
    if estimate > WALK_MIN:
        return False
    return matches.order_by()[:BITMAP_MAX + 1].count() <= BITMAP_MAX


def _substring_too(folded: str) -> bool:
    return bool(_WORD.search(folded)) and len(folded) >= 3 and bool(_UNSPACED.search(folded))


def matching(queryset: QuerySet, q: str) -> QuerySet:
    """The match condition itself, served by the two GIN indexes on PostgreSQL."""
    folded = search_fold(q)[:MAX_QUERY_CHARS]
    if not folded:
        return queryset
    like = "%" + folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    if connection.vendor != "postgresql":
        # SQLite (`make run`): a substring scan, the same matches as PostgreSQL's
        # indexes give (tests/test_sqlite_branches.py).
        return queryset.filter(Q(search_document__contains=folded))
    tsquery = _tsquery(folded)
    if not tsquery:  # punctuation only: substring search alone
        return queryset.filter(search_document__contains=folded)
    if not _substring_too(folded):
        # Word starts serve scripts that put spaces between words; the substring
        # test (costly per row) is for Hangul and CJK, where particles attach to
        # the word. Under three characters there is no trigram to look up.
        sql, params = "claims_claim.search_vector @@ to_tsquery('simple', %s)", (tsquery,)
    else:
        sql = ("(claims_claim.search_vector @@ to_tsquery('simple', %s)"
               " OR claims_claim.search_document LIKE %s)")
        params = (tsquery, like)
    match = RawSQL(sql, params, output_field=BooleanField())
    return queryset.alias(q_match=match).filter(q_match=True)
