"""Claims as JSON, built by hand from prefetched rows.

The list endpoint renders 50 nested claims per page; walking DRF field
objects for each of ~1,500 values costs more than the queries. The read
serializers in serializers.py declare the same shape for the OpenAPI schema
and delegate here; tests compare the two (test_api_claims).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from claims.models import VERDICTS, Claim


def dt(value: datetime | None) -> str | None:
    if value is None:
        return None
    out = value.isoformat()
    return out[:-6] + "Z" if out.endswith("+00:00") else out


def d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def dec(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.4f}"


def link_brief(link) -> dict[str, Any] | None:
    if link is None:
        return None
    return {"id": link.id, "url": link.url, "health": link.health,
            "last_checked_at": dt(link.last_checked_at), "archive_url": link.archive_url}


def source_brief(source) -> dict[str, Any]:
    return {"id": source.id, "name": source.name, "kind": source.kind,
            "country": str(source.country or ""), "reliability": source.reliability}


def quantity(q) -> dict[str, Any]:
    return {"value": dec(q.value), "lower": dec(q.lower), "upper": dec(q.upper),
            "qualifier": q.qualifier, "unit": q.unit, "counted": q.counted,
            "as_said": q.as_said, "in_words": q.in_words()}


def claim(c: Claim, *, history: bool = False) -> dict[str, Any]:
    try:
        q = c.quantity
    except Claim.quantity.RelatedObjectDoesNotExist:
        q = None
    related = [
        {"claim": r.to_claim_id, "kind": r.kind, "direction": "out"}
        for r in c.relations_out.all()
    ] + [
        {"claim": r.from_claim_id, "kind": r.kind, "direction": "in"}
        for r in c.relations_in.all()
    ]
    out = {
        "id": c.id,
        "text": c.text,
        "language": c.language,
        "summary_en": c.summary_en,
        "tags": [t.name for t in c.tags.all()],
        "made_on": d(c.made_on),
        "about_start": d(c.about_start),
        "about_end": d(c.about_end),
        "status": c.status,
        "verdict": c.status if c.status in VERDICTS else None,
        "verdict_rationale": c.verdict_rationale,
        "reviewed_at": dt(c.reviewed_at),
        "published": c.published,
        "quantity": quantity(q) if q is not None else None,
        "attributions": [
            {"id": a.id, "source": source_brief(a.source), "role": a.role, "phrase": a.phrase,
             "quote": a.quote, "stance": a.stance, "stated_on": d(a.stated_on),
             "link": link_brief(a.link), "credibility": a.credibility}
            for a in c.attributions.all()
        ],
        "evidence": [
            {"id": e.id, "link": link_brief(e.link), "relation": e.relation, "note": e.note}
            for e in c.evidence.all()
        ],
        "related": related,
        "version": c.version,
        "created_at": dt(c.created_at),
        "updated_at": dt(c.updated_at),
    }
    if history:
        out["history"] = [
            {"from_status": h.from_status, "to_status": h.to_status, "at": dt(h.at),
             "actor": h.actor.get_username() if h.actor_id else None, "note": h.note}
            for h in c.history.all()
        ]
    return out
