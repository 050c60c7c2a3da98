"""The benchmark's baseline: the first page of published claims built with psycopg
and orjson alone, mounted beside Django in one WSGI app so the same gunicorn
serves both. No auth, no throttling, no framework: what the API costs on top of
the queries and the JSON is the difference.
"""

import importlib
import os
from decimal import Decimal

import orjson
import psycopg

from factcheck.wsgi import application as django_app

# Imported by name once the WSGI module has set Django up (isort would hoist a plain import).
VERDICTS = {v.value for v in importlib.import_module("claims.models").VERDICTS}
_conn: psycopg.Connection | None = None


def _db() -> psycopg.Connection:
    global _conn
    if _conn is None or _conn.closed:
        url = os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
        _conn = psycopg.connect(url, autocommit=True)
    return _conn


def _dt(v):
    if v is None:
        return None
    out = v.isoformat()
    return out[:-6] + "Z" if out.endswith("+00:00") else out


def _d(v):
    return v.isoformat() if v is not None else None


def _dec(v: Decimal | None):
    return None if v is None else f"{v:.4f}"


def _num(value):
    if value is None:
        return "?"
    n = value.normalize()
    return f"{int(n):,}" if n == n.to_integral() else f"{n:,f}"


def _in_words(value, lower, upper, qualifier, unit, counted):
    if qualifier == "range":
        figure = f"{_num(lower)}–{_num(upper)}"
    elif qualifier == "at_least":
        figure = f">{_num(lower)}" if value is None or value == lower \
            else f">{_num(lower)} (~{_num(value)})"
    elif qualifier == "at_most":
        figure = f"<{_num(upper)}"
    elif qualifier == "approximately":
        figure = f"~{_num(value)}"
    else:
        figure = _num(value)
    return " ".join(p for p in (figure, unit, counted) if p)


def _link(row):
    if row[0] is None:
        return None
    return {"id": row[0], "url": row[1], "health": row[2], "last_checked_at": _dt(row[3]),
            "archive_url": row[4]}


def claims_page(limit: int = 50) -> bytes:
    cur = _db().cursor()
    cur.execute(
        """SELECT c.id, c.text, c.language, c.summary_en, c.made_on, c.about_start, c.about_end,
                  c.status, c.verdict_rationale, c.reviewed_at, c.published, c.version,
                  c.created_at, c.updated_at,
                  q.claim_id, q.value, q.lower, q.upper, q.qualifier, q.unit, q.counted, q.as_said
           FROM claims_claim c LEFT JOIN claims_quantity q ON q.claim_id = c.id
           WHERE c.published ORDER BY c.updated_at DESC, c.id DESC LIMIT %s""",
        (limit + 1,),
    )
    rows = cur.fetchall()[:limit]
    ids = [r[0] for r in rows]
    attributions = {i: [] for i in ids}
    cur.execute(
        """SELECT a.claim_id, a.id, s.id, s.name, s.kind, s.country, s.reliability, a.role,
                  a.phrase, a.quote, a.stance, a.stated_on,
                  l.id, l.url, l.health, l.last_checked_at, l.archive_url, a.credibility
           FROM claims_attribution a JOIN sources_source s ON s.id = a.source_id
           LEFT JOIN sources_link l ON l.id = a.link_id
           WHERE a.claim_id = ANY(%s) ORDER BY a.role, a.id""", (ids,))
    for r in cur:
        attributions[r[0]].append({
            "id": r[1], "source": {"id": r[2], "name": r[3], "kind": r[4], "country": r[5],
                                   "reliability": r[6]},
            "role": r[7], "phrase": r[8], "quote": r[9], "stance": r[10],
            "stated_on": _d(r[11]), "link": _link(r[12:17]), "credibility": r[17]})
    evidence = {i: [] for i in ids}
    cur.execute(
        """SELECT e.claim_id, e.id, l.id, l.url, l.health, l.last_checked_at, l.archive_url,
                  e.relation, e.note
           FROM claims_evidence e JOIN sources_link l ON l.id = e.link_id
           WHERE e.claim_id = ANY(%s) ORDER BY e.id""", (ids,))
    for r in cur:
        evidence[r[0]].append({"id": r[1], "link": _link(r[2:7]), "relation": r[7],
                               "note": r[8]})
    tags = {i: [] for i in ids}
    cur.execute("""SELECT ct.claim_id, t.name FROM claims_claim_tags ct
                   JOIN claims_tag t ON t.id = ct.tag_id WHERE ct.claim_id = ANY(%s)
                   ORDER BY t.name""", (ids,))
    for claim_id, name in cur:
        tags[claim_id].append(name)
    related = {i: [] for i in ids}
    cur.execute("""SELECT r.from_claim_id, r.to_claim_id, r.kind FROM claims_claimrelation r
                   JOIN claims_claim o ON o.id = r.to_claim_id
                   WHERE r.from_claim_id = ANY(%s) AND o.published ORDER BY r.id""", (ids,))
    for a, b, kind in cur:
        related[a].append({"claim": b, "kind": kind, "direction": "out"})
    cur.execute("""SELECT r.to_claim_id, r.from_claim_id, r.kind FROM claims_claimrelation r
                   JOIN claims_claim o ON o.id = r.from_claim_id
                   WHERE r.to_claim_id = ANY(%s) AND o.published ORDER BY r.id""", (ids,))
    for a, b, kind in cur:
        related[a].append({"claim": b, "kind": kind, "direction": "in"})

    results = []
    for r in rows:
        cid = r[0]
        quantity = None
        if r[14] is not None:
            quantity = {"value": _dec(r[15]), "lower": _dec(r[16]), "upper": _dec(r[17]),
                        "qualifier": r[18], "unit": r[19], "counted": r[20], "as_said": r[21],
                        "in_words": _in_words(r[15], r[16], r[17], r[18], r[19], r[20])}
        results.append({
            "id": cid, "text": r[1], "language": r[2], "summary_en": r[3], "tags": tags[cid],
            "made_on": _d(r[4]), "about_start": _d(r[5]), "about_end": _d(r[6]),
            "status": r[7], "verdict": r[7] if r[7] in VERDICTS else None,
            "verdict_rationale": r[8], "reviewed_at": _dt(r[9]), "published": r[10],
            "quantity": quantity, "attributions": attributions[cid], "evidence": evidence[cid],
            "related": related[cid], "version": r[11], "created_at": _dt(r[12]),
            "updated_at": _dt(r[13]),
        })
    out = orjson.dumps({"next": None, "previous": None, "sync_until": None,
                        "results": results})
    # The API escapes <, > and & inside strings; so does the baseline.
    return out.replace(b"<", b"\\u003c").replace(b">", b"\\u003e").replace(b"&", b"\\u0026")


def application(environ, start_response):
    if environ.get("PATH_INFO") == "/bare/claims/":
        body = claims_page()
        start_response("200 OK", [("Content-Type", "application/json"),
                                  ("Content-Length", str(len(body)))])
        return [body]
    return django_app(environ, start_response)
