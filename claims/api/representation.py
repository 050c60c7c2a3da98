"""Claims as JSON, built from plain rows.

A list page shows 50 claims with ~150 attributions, their sources and links,
evidence, tags and relations. Instantiating those as model objects (and
Django's per-object prefetch bookkeeping) cost several times the queries
themselves, so pages are read with `values()` in a fixed six queries and
assembled here. The read serializers in serializers.py declare this shape for
the OpenAPI schema; schemathesis (tests/test_api_schemathesis.py) holds the
two together.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from claims.models import (
    VERDICTS,
    Attribution,
    Claim,
    ClaimRelation,
    Evidence,
    Quantity,
    Status,
    StatusChange,
)

CLAIM_COLUMNS = (
    "id", "text", "language", "summary_en", "made_on", "about_start", "about_end", "status",
    "verdict_rationale", "reviewed_at", "published", "version", "created_at", "updated_at",
    "quantity__claim_id", "quantity__value", "quantity__lower", "quantity__upper",
    "quantity__qualifier", "quantity__unit", "quantity__counted", "quantity__as_said",
)
_LINK = ("id", "url", "health", "last_checked_at", "archive_url")
_VERDICT_VALUES = frozenset(v.value for v in VERDICTS)


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
    q = Quantity(value=row["quantity__value"], lower=row["quantity__lower"],
                 upper=row["quantity__upper"], qualifier=row["quantity__qualifier"],
                 unit=row["quantity__unit"], counted=row["quantity__counted"])
    return {"value": dec(q.value), "lower": dec(q.lower), "upper": dec(q.upper),
            "qualifier": q.qualifier, "unit": q.unit, "counted": q.counted,
            "as_said": row["quantity__as_said"], "in_words": q.in_words()}


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
    for a in Attribution.objects.filter(claim_id__in=ids).order_by("role", "id").values_list(
        "claim_id", "id", "source_id", "source__name", "source__kind", "source__country",
        "source__reliability", "role", "phrase", "quote", "stance", "stated_on",
        *(f"link__{f}" for f in _LINK), "credibility",
    ):
        attributions[a[0]].append({
            "id": a[1],
            "source": {"id": a[2], "name": a[3], "kind": a[4], "country": a[5] or "",
                       "reliability": a[6]},
            "role": a[7], "phrase": a[8], "quote": a[9], "stance": a[10],
            "stated_on": d(a[11]), "link": _link(a[12:17]), "credibility": a[17],
        })
    evidence: dict[int, list] = defaultdict(list)
    for e in Evidence.objects.filter(claim_id__in=ids).order_by("id").values_list(
        "claim_id", "id", *(f"link__{f}" for f in _LINK), "relation", "note",
    ):
        evidence[e[0]].append({"id": e[1], "link": _link(e[2:7]), "relation": e[7],
                               "note": e[8]})
    tags: dict[int, list] = defaultdict(list)
    tag_rows = Claim.tags.through.objects.filter(claim_id__in=ids).order_by("tag__name")
    for claim_id, name in tag_rows.values_list("claim_id", "tag__name"):
        tags[claim_id].append(name)
    related_out: dict[int, list] = defaultdict(list)
    related_in: dict[int, list] = defaultdict(list)
    relations = ClaimRelation.objects.filter(Q(from_claim_id__in=ids) | Q(to_claim_id__in=ids))
    for from_id, to_id, kind, from_pub, to_pub, from_status, to_status in relations.order_by(
            "id").values_list("from_claim_id", "to_claim_id", "kind", "from_claim__published",
                              "to_claim__published", "from_claim__status", "to_claim__status"):
        # Drafts and retracted claims stay invisible to read keys, even as the
        # other end of a relation.
        from_pub = from_pub and from_status != Status.RETRACTED
        to_pub = to_pub and to_status != Status.RETRACTED
        if from_id in id_set and (to_pub or not published_only):
            related_out[from_id].append({"claim": to_id, "kind": kind, "direction": "out"})
        if to_id in id_set and (from_pub or not published_only):
            related_in[to_id].append({"claim": from_id, "kind": kind, "direction": "in"})
    changes: dict[int, list] = defaultdict(list)
    if history:
        for claim_id, from_s, to_s, at, actor, note in StatusChange.objects.filter(
                claim_id__in=ids).order_by("at", "id").values_list(
                "claim_id", "from_status", "to_status", "at", "actor__username", "note"):
            changes[claim_id].append({"from_status": from_s, "to_status": to_s, "at": dt(at),
                                      "actor": actor, "note": note})
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
