"""Claims as JSON, built from plain rows.

A list page shows 50 claims with ~150 attributions, their sources and links,
evidence, tags and relations. Instantiating those as model objects (and
Django's per-object prefetch bookkeeping) cost several times the queries
themselves, so pages are read as rows in a fixed six queries and assembled
here. The page of claims goes through the ORM (filters, cursor pagination);
the rows hanging off it are read with the SQL below, written once: building
the same four queries with the ORM cost ~5 ms of CPU per page (compiling
joins and 50-id IN lists), more than the queries and the JSON together
(docs/benchmarks.md, issue 14). tests/test_api_representation.py holds the
SQL to the ORM's answer. The read serializers in serializers.py declare this shape for
the OpenAPI schema; schemathesis (tests/test_api_schemathesis.py) holds the
two together.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q, QuerySet

from claims.models import (
    VERDICTS,
    Attribution,
    Claim,
    ClaimRelation,
    Evidence,
    Status,
    StatusChange,
    Tag,
    figure_in_words,
)
from factcheck.db import prepared_cursor
from sources.models import Link, Source

CLAIM_COLUMNS = (
    "id", "text", "language", "summary_en", "made_on", "about_start", "about_end", "status",
    "verdict_rationale", "reviewed_at", "published", "version", "created_at", "updated_at",
    "quantity__claim_id", "quantity__value", "quantity__lower", "quantity__upper",
    "quantity__qualifier", "quantity__unit", "quantity__counted", "quantity__as_said",
)
_LINK = ("id", "url", "health", "last_checked_at", "archive_url")
_VERDICT_VALUES = frozenset(v.value for v in VERDICTS)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


_LINK_SQL = "l.id, l.url, l.health, l.last_checked_at, l.archive_url"
# Orders as the ORM queries they replace: role then id; id; tag name; id; at then id.
ATTRIBUTIONS_SQL = f"""
    SELECT a.claim_id, a.id, s.id, s.name, s.kind, s.country, s.reliability, a.role, a.phrase,
           a.quote, a.stance, a.stated_on, {_LINK_SQL}, a.credibility
    FROM {_table(Attribution)} a
    JOIN {_table(Source)} s ON s.id = a.source_id
    LEFT JOIN {_table(Link)} l ON l.id = a.link_id
    WHERE a.claim_id = ANY(%s::bigint[]) ORDER BY a.role, a.id"""
EVIDENCE_SQL = f"""
    SELECT e.claim_id, e.id, {_LINK_SQL}, e.relation, e.note
    FROM {_table(Evidence)} e LEFT JOIN {_table(Link)} l ON l.id = e.link_id
    WHERE e.claim_id = ANY(%s::bigint[]) ORDER BY e.id"""
TAGS_SQL = f"""
    SELECT ct.claim_id, t.name
    FROM {_table(Claim.tags.through)} ct JOIN {_table(Tag)} t ON t.id = ct.tag_id
    WHERE ct.claim_id = ANY(%s::bigint[]) ORDER BY t.name"""
RELATIONS_SQL = f"""
    SELECT r.from_claim_id, r.to_claim_id, r.kind, f.published, t.published, f.status, t.status
    FROM {_table(ClaimRelation)} r
    JOIN {_table(Claim)} f ON f.id = r.from_claim_id
    JOIN {_table(Claim)} t ON t.id = r.to_claim_id
    WHERE r.from_claim_id = ANY(%s::bigint[]) OR r.to_claim_id = ANY(%s::bigint[]) ORDER BY r.id"""
HISTORY_SQL = f"""
    SELECT h.claim_id, h.from_status, h.to_status, h.at, u.username,
           h.note
    FROM {_table(StatusChange)} h LEFT JOIN {_table(get_user_model())} u ON u.id = h.actor_id
    WHERE h.claim_id = ANY(%s::bigint[]) ORDER BY h.at, h.id"""


def dt(value: datetime | None) -> str | None:
    if value is None:
        return None
    out = value.isoformat()
    return out[:-6] + "Z" if out.endswith("+00:00") else out


def d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def dec(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.4f}"


def _link(row: Sequence[Any]) -> dict[str, Any] | None:
    if row[0] is None:
        return None
    return {"id": row[0], "url": row[1], "health": row[2], "last_checked_at": dt(row[3]),
            "archive_url": row[4]}


def _quantity(row: dict[str, Any]) -> dict[str, Any] | None:
    if row["quantity__claim_id"] is None:
        return None
    value, lower, upper = row["quantity__value"], row["quantity__lower"], row["quantity__upper"]
    qualifier, unit, counted = (row["quantity__qualifier"], row["quantity__unit"],
                                row["quantity__counted"])
    return {"value": dec(value), "lower": dec(lower), "upper": dec(upper),
            "qualifier": qualifier, "unit": unit, "counted": counted,
            "as_said": row["quantity__as_said"],
            "in_words": figure_in_words(qualifier, value, lower, upper, unit, counted)}


# The same rows through the ORM, on SQLite (the embedded default), whose dates and
# times only the ORM's converters parse; speed matters on PostgreSQL.
_ORM_ROWS = {
    ATTRIBUTIONS_SQL: lambda ids: Attribution.objects.filter(claim_id__in=ids).order_by(
        "role", "id").values_list(
        "claim_id", "id", "source_id", "source__name", "source__kind", "source__country",
        "source__reliability", "role", "phrase", "quote", "stance", "stated_on",
        *(f"link__{f}" for f in _LINK), "credibility"),
    EVIDENCE_SQL: lambda ids: Evidence.objects.filter(claim_id__in=ids).order_by("id")
    .values_list("claim_id", "id", *(f"link__{f}" for f in _LINK), "relation", "note"),
    TAGS_SQL: lambda ids: Claim.tags.through.objects.filter(claim_id__in=ids)
    .order_by("tag__name").values_list("claim_id", "tag__name"),
    RELATIONS_SQL: lambda ids: ClaimRelation.objects.filter(
        Q(from_claim_id__in=ids) | Q(to_claim_id__in=ids)).order_by("id").values_list(
        "from_claim_id", "to_claim_id", "kind", "from_claim__published", "to_claim__published",
        "from_claim__status", "to_claim__status"),
    HISTORY_SQL: lambda ids: StatusChange.objects.filter(claim_id__in=ids).order_by(
        "at", "id").values_list("claim_id", "from_status", "to_status", "at",
                                "actor__username", "note"),
}


def _reader(ids: list[int]):
    """select(SQL) -> the rows of that statement for these claim ids.

    On PostgreSQL one statement text serves every page, so it is prepared once
    per connection (factcheck.db.prepared_cursor), and the ids go as one array
    literal (psycopg dumps a list of ints element by element, in Python).
    """
    if connection.vendor != "postgresql":
        return lambda sql: list(_ORM_ROWS[sql](ids))
    array = "{" + ",".join(str(int(i)) for i in ids) + "}"

    def select(sql: str) -> list[tuple]:
        with prepared_cursor() as cursor:
            cursor.execute(sql, [array] * sql.count("%s"))
            return cursor.fetchall()

    return select


def rows(queryset: QuerySet) -> QuerySet:
    """The claim columns a representation needs, as dicts (cursor pagination reads them)."""
    return queryset.values(*CLAIM_COLUMNS)


def claims(page: Iterable[dict[str, Any]], *, published_only: bool,
           history: bool = False) -> list[dict[str, Any]]:
    """The JSON of each claim row, related rows fetched in one query per kind."""
    page = list(page)
    ids = [r["id"] for r in page]
    id_set = set(ids)
    attributions: dict[int, list] = defaultdict(list)
    evidence: dict[int, list] = defaultdict(list)
    tags: dict[int, list] = defaultdict(list)
    related_out: dict[int, list] = defaultdict(list)
    related_in: dict[int, list] = defaultdict(list)
    changes: dict[int, list] = defaultdict(list)
    select = _reader(ids)
    for a in select(ATTRIBUTIONS_SQL):
        attributions[a[0]].append({
            "id": a[1],
            "source": {"id": a[2], "name": a[3], "kind": a[4], "country": a[5] or "",
                       "reliability": a[6]},
            "role": a[7], "phrase": a[8], "quote": a[9], "stance": a[10],
            "stated_on": d(a[11]), "link": _link(a[12:17]), "credibility": a[17],
        })
    for e in select(EVIDENCE_SQL):
        evidence[e[0]].append({"id": e[1], "link": _link(e[2:7]), "relation": e[7],
                               "note": e[8]})
    for claim_id, name in select(TAGS_SQL):
        tags[claim_id].append(name)
    for from_id, to_id, kind, from_pub, to_pub, from_status, to_status in \
            select(RELATIONS_SQL):
        # Drafts and retracted claims stay invisible to read keys, even as the
        # other end of a relation.
        from_pub = from_pub and from_status != Status.RETRACTED
        to_pub = to_pub and to_status != Status.RETRACTED
        if from_id in id_set and (to_pub or not published_only):
            related_out[from_id].append({"claim": to_id, "kind": kind, "direction": "out"})
        if to_id in id_set and (from_pub or not published_only):
            related_in[to_id].append({"claim": from_id, "kind": kind, "direction": "in"})
    if history:
        for claim_id, from_s, to_s, at, actor, note in select(HISTORY_SQL):
            changes[claim_id].append({"from_status": from_s, "to_status": to_s,
                                      "at": dt(at), "actor": actor, "note": note})
    out = []
    for r in page:
        cid = r["id"]
        item = {
            "id": cid, "text": r["text"], "language": r["language"],
            "summary_en": r["summary_en"], "tags": tags[cid],
            "made_on": d(r["made_on"]), "about_start": d(r["about_start"]),
            "about_end": d(r["about_end"]), "status": r["status"],
            "verdict": r["status"] if r["status"] in _VERDICT_VALUES else None,
            "verdict_rationale": r["verdict_rationale"], "reviewed_at": dt(r["reviewed_at"]),
            "published": r["published"], "quantity": _quantity(r),
            "attributions": attributions[cid], "evidence": evidence[cid],
            "related": related_out[cid] + related_in[cid], "version": r["version"],
            "created_at": dt(r["created_at"]), "updated_at": dt(r["updated_at"]),
        }
        if history:
            item["history"] = changes[cid]
        out.append(item)
    return out
