"""Reports page over N claims (1,000,000 by default) against the bare SQL it runs.

    .venv/bin/python bench/reports.py [--claims 1000000] [--runs 7] [--reseed]

Seeds a dedicated database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/fc_bench_reports) with SQL generate_series:
sources, links with a spread of health, claims over three years with a realistic
status mix, 1–3 attributions, 1–2 evidence links and a figure for some, and the
status history the workflow would have written. Then, in one run:

  page     GET /reports/ through Django's test client as a signed-in editor:
           every query, the charts, the template; what an editor waits for.
  bare     the very SQL statements the page sent (captured from one render),
           replayed on a plain psycopg connection: the floor for these figures.
  scan     for scale, the same figures counted from the claim tables themselves,
           without the running counts the triggers keep (reports/rollups.py).

Prints the medians, p95 and their ratio. Target: page ≤ 1 s at 1M claims.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/fc_bench_reports"

# Per-row values come from hashes of the row number, not random(), so a reseed
# gives the same data and the plan of every query is comparable across runs.
SEED_SQL = """
CREATE OR REPLACE FUNCTION pg_temp.u(n bigint, salt int) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $$
  SELECT ((hashint8(n * 7919 + salt)::bigint & 2147483647) / 2147483647.0)::double precision
$$;

TRUNCATE claims_statuschange, claims_evidence, claims_attribution, claims_quantity,
         claims_claim_tags, claims_claimrelation, claims_claim, claims_tag,
         sources_sourcealias, sources_link, sources_source RESTART IDENTITY CASCADE;
-- A bulk load: row triggers (the reports' running counts, deferred foreign-key
-- checks) stay off; the counts are rebuilt from the tables once at the end.
SET session_replication_role = replica;

INSERT INTO sources_source ({source_cols})
SELECT {source_vals} FROM generate_series(1, %(sources)s) g;

INSERT INTO claims_tag ({tag_cols})
SELECT {tag_vals} FROM generate_series(1, 50) g;

INSERT INTO sources_link ({link_cols})
SELECT {link_vals} FROM (
  SELECT g, pg_temp.u(g, 1) AS r, pg_temp.u(g, 2) AS a FROM generate_series(1, %(links)s) g
) s;

INSERT INTO claims_claim ({claim_cols})
SELECT {claim_vals} FROM (
  SELECT g, ts, st,
         CASE WHEN st IN {verdicts}
              THEN LEAST(now(), ts + (pg_temp.u(g, 4) * 60) * interval '1 day') END AS rev
  FROM (
    SELECT g, now() - (pg_temp.u(g, 3) * 1095) * interval '1 day' AS ts,
           CASE WHEN r < .30 THEN 'unverified' WHEN r < .40 THEN 'in_review'
                WHEN r < .60 THEN 'supported' WHEN r < .70 THEN 'disputed'
                WHEN r < .80 THEN 'false' WHEN r < .88 THEN 'misleading'
                WHEN r < .95 THEN 'unverifiable' ELSE 'retracted' END AS st
    FROM (SELECT g, pg_temp.u(g, 5) AS r FROM generate_series(1, %(claims)s) g) x
  ) y
) s;

-- A claimant for every claim (a few sources make most claims), a conduit for
-- 40%%, an outlet for 70%%.
INSERT INTO claims_attribution ({attr_cols})
SELECT {attr_vals} FROM (
  SELECT c.id AS claim_id, role,
         1 + floor(%(sources)s * pg_temp.u(c.id, salt) ^ 3)::int AS source_id
  FROM claims_claim c
  CROSS JOIN (VALUES ('claimant', 11, 1.0), ('conduit', 12, 0.4), ('outlet', 13, 0.7))
       AS roles(role, salt, p)
  WHERE pg_temp.u(c.id, salt + 100) < p
) s
ON CONFLICT DO NOTHING;

INSERT INTO claims_evidence ({ev_cols})
SELECT {ev_vals} FROM (
  SELECT c.id AS claim_id, 1 + floor(%(links)s * pg_temp.u(c.id, 21))::int AS link_id
  FROM claims_claim c
  UNION ALL
  SELECT c.id, 1 + ((floor(%(links)s * pg_temp.u(c.id, 21))::int + 1 +
         floor(1000 * pg_temp.u(c.id, 22))::int) %% %(links)s)
  FROM claims_claim c WHERE pg_temp.u(c.id, 23) < 0.5
) s
ON CONFLICT DO NOTHING;

INSERT INTO claims_quantity ({qty_cols})
SELECT {qty_vals} FROM (
  SELECT c.id AS claim_id, pg_temp.u(c.id, 31) AS q, 1 + floor(200 * pg_temp.u(c.id, 32)) AS k,
         round((100 + 100000 * pg_temp.u(c.id, 33))::numeric) AS v
  FROM claims_claim c WHERE pg_temp.u(c.id, 30) < 0.3
) s;

INSERT INTO claims_claim_tags (claim_id, tag_id)
SELECT c.id, 1 + floor(50 * pg_temp.u(c.id, 41))::int FROM claims_claim c
WHERE pg_temp.u(c.id, 40) < 0.5;

-- The history the workflow writes: into review, then the verdict (or a retraction).
INSERT INTO claims_statuschange ({sc_cols})
SELECT {sc_vals} FROM (
  SELECT id AS claim_id, 'unverified' AS from_status, 'in_review' AS to_status,
         created_at + (COALESCE(reviewed_at, now()) - created_at) / 2 AS at
  FROM claims_claim WHERE status NOT IN ('unverified', 'retracted')
  UNION ALL
  SELECT id, 'in_review', status, reviewed_at FROM claims_claim WHERE reviewed_at IS NOT NULL
  UNION ALL
  SELECT id, 'unverified', 'retracted', created_at + interval '1 day'
  FROM claims_claim WHERE status = 'retracted'
) s;

SELECT setval(pg_get_serial_sequence('sources_source', 'id'), %(sources)s);
SELECT setval(pg_get_serial_sequence('sources_link', 'id'), %(links)s);
SELECT setval(pg_get_serial_sequence('claims_claim', 'id'), %(claims)s);
SELECT setval(pg_get_serial_sequence('claims_tag', 'id'), 50);
SET session_replication_role = DEFAULT;
"""

SOURCE = {
    "id": "g", "name": "'Source ' || g",
    "kind": "(ARRAY['state_media','news_outlet','government','intelligence','military',"
            "'official','international_body','ngo','other'])[1 + g %% 9]",
    "reliability": "(ARRAY['A','B','C','D','E','F'])[1 + g %% 6]",
    "created_at": "now()", "updated_at": "now()",
}
TAG = {"id": "g", "name": "'tag-' || g"}
LINK = {
    "id": "g", "url": "'https://host' || (g %% 2000) || '.example/article/' || g",
    "host": "'host' || (g %% 2000) || '.example'",
    "health": "CASE WHEN r < .70 THEN 'ok' WHEN r < .80 THEN 'unchecked' "
              "WHEN r < .85 THEN 'redirected' WHEN r < .90 THEN 'changed' "
              "WHEN r < .97 THEN 'broken' ELSE 'blocked' END",
    "archive_url": "CASE WHEN a < .2 THEN 'https://web.archive.example/' || g ELSE '' END",
    "created_at": "now()", "updated_at": "now()",
}
CLAIM = {
    "id": "g",
    "text": "'Claim number ' || g || ' as reported by the press, with its attribution.'",
    "language": "(ARRAY['az','ru','ko','en','ko-KR'])[1 + g %% 5]",
    "summary_en": "'Summary of claim ' || g", "made_on": "ts::date", "status": "st",
    "reviewed_at": "rev", "published": "(g %% 5 < 3)", "version": "1",
    "created_at": "ts", "updated_at": "COALESCE(rev, ts)",
}
ATTR = {"claim_id": "claim_id", "source_id": "source_id", "role": "role",
        "stance": "'asserts'", "credibility": "6", "phrase": "'according to'"}
EVIDENCE = {"claim_id": "claim_id", "link_id": "link_id", "relation": "'reported_in'",
            "added_at": "now()"}
QUANTITY = {
    "claim_id": "claim_id", "counted": "'thing counted ' || k",
    "qualifier": "CASE WHEN q < .4 THEN 'exact' WHEN q < .7 THEN 'approximately' "
                 "WHEN q < .85 THEN 'at_least' WHEN q < .95 THEN 'at_most' ELSE 'range' END",
    "value": "CASE WHEN q < .7 THEN v END",
    "lower": "CASE WHEN q >= .7 AND q < .85 OR q >= .95 THEN v END",
    "upper": "CASE WHEN q >= .85 AND q < .95 THEN v WHEN q >= .95 THEN v * 2 END",
}
STATUS_CHANGE = {"claim_id": "claim_id", "from_status": "from_status",
                 "to_status": "to_status", "at": "at"}

# Columns other apps add later get a neutral value by type, so the seed keeps
# working as the schema grows.
FILLERS = {
    "text": "''", "character varying": "''", "integer": "0", "smallint": "0", "bigint": "0",
    "boolean": "false", "timestamp with time zone": "now()", "date": "now()::date",
    "uuid": "gen_random_uuid()", "jsonb": "'{}'::jsonb", "numeric": "0",
    "double precision": "0",
}


def columns(conn: psycopg.Connection, table: str, given: dict[str, str]) -> tuple[str, str]:
    rows = conn.execute(
        """SELECT column_name, data_type, is_nullable, column_default, is_generated,
                  is_identity
           FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position""",
        (table,),
    ).fetchall()
    cols, vals = [], []
    for name, data_type, nullable, default, generated, identity in rows:
        if generated == "ALWAYS" or (name not in given and (identity == "YES" or default)):
            continue
        if name in given:
            cols.append(f'"{name}"')
            vals.append(given[name])
        elif nullable == "NO" and default is None:
            cols.append(f'"{name}"')
            vals.append(FILLERS[data_type])
    return ", ".join(cols), ", ".join(vals)


def seed(url: str, claims: int) -> None:
    links, sources = max(claims * 2 // 5, 10), max(claims // 200, 20)
    with psycopg.connect(url, autocommit=True) as conn:
        spec = {
            "source": ("sources_source", SOURCE), "tag": ("claims_tag", TAG),
            "link": ("sources_link", LINK), "claim": ("claims_claim", CLAIM),
            "attr": ("claims_attribution", ATTR), "ev": ("claims_evidence", EVIDENCE),
            "qty": ("claims_quantity", QUANTITY), "sc": ("claims_statuschange", STATUS_CHANGE),
        }
        # The rollups' SQL and the verdict list come from the project's own code.
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
        import django

        django.setup()
        from reports.rollups import REBUILD, VERDICTS_SQL

        parts = {"verdicts": VERDICTS_SQL}
        for key, (table, given) in spec.items():
            parts[f"{key}_cols"], parts[f"{key}_vals"] = columns(conn, table, given)
        sql = SEED_SQL.format(**parts)
        started = time.perf_counter()
        with conn.transaction():
            # One statement at a time, so a failure names its table.
            for statement in _statements(sql):
                conn.execute(statement, {"claims": claims, "links": links,
                                         "sources": sources})
        with conn.transaction():
            for statement in _statements(REBUILD):
                conn.execute(statement)
        conn.execute("VACUUM ANALYZE")
        print(f"seeded {claims:,} claims, {links:,} links, {sources:,} sources "
              f"in {time.perf_counter() - started:.0f} s")


def _statements(sql: str) -> list[str]:
    out, buf, in_body = [], [], False
    for line in sql.splitlines():
        buf.append(line)
        if line.count("$$") % 2:
            in_body = not in_body
        if line.rstrip().endswith(";") and not in_body:
            out.append("\n".join(buf))
            buf = []
    code = ["\n".join(ln for ln in s.splitlines() if not ln.lstrip().startswith("--"))
            for s in out]
    return [s for s in code if s.strip()]


def ensure_database(url: str) -> None:
    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT,
                   env=env, check=True)


def claim_count(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM claims_claim").fetchone()[0]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--scan-runs", type=int, default=1)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)

    ensure_database(url)
    if args.reseed or claim_count(url) != args.claims:
        seed(url, args.claims)

    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    user, _ = get_user_model().objects.get_or_create(username="bench-editor",
                                                     defaults={"is_staff": True})
    client = Client()
    client.force_login(user)

    def render() -> float:
        started = time.perf_counter()
        response = client.get("/reports/")
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        assert response.content.count(b"<svg") >= 6
        return elapsed

    with CaptureQueriesContext(connection) as captured:
        render()  # warm-up, and the statements to replay
    statements = [q["sql"] for q in captured.captured_queries
                  if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]

    bare_conn = psycopg.connect(url, autocommit=True)
    # The page's own session setting (reports.sql.one_reading), so both sort in memory.
    bare_conn.execute("SELECT set_config('work_mem', %s, false)", [settings.REPORTS_WORK_MEM])

    def bare() -> float:
        started = time.perf_counter()
        for sql in statements:
            bare_conn.execute(sql.replace("%", "%%")).fetchall()
        return time.perf_counter() - started

    bare()
    page_times, bare_times = [], []
    for _ in range(args.runs):  # interleaved, so drift hits both alike
        page_times.append(render())
        bare_times.append(bare())

    # For scale: the same figures counted from the claims tables themselves (what
    # the page would cost without the running counts); slow, so run fewer times.
    from reports import figures
    from reports.catalogue import build_all
    from reports.filters import ReportFilter

    figures._counted = lambda f: False
    scan_times = []
    for _ in range(args.scan_runs):
        started = time.perf_counter()
        build_all(ReportFilter())
        scan_times.append(time.perf_counter() - started)

    page_med, bare_med = statistics.median(page_times), statistics.median(bare_times)
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, "
          f"PostgreSQL {connection.pg_version // 10000}, Python {platform.python_version()}")
    print(f"claims: {claim_count(url):,}   runs: {args.runs}   "
          f"statements per page: {len(statements)}")
    print(f"{'':8}{'median':>10}{'p95':>10}")
    print(f"{'page':8}{page_med * 1000:>8.0f}ms{percentile(page_times, .95) * 1000:>8.0f}ms")
    print(f"{'bare':8}{bare_med * 1000:>8.0f}ms{percentile(bare_times, .95) * 1000:>8.0f}ms")
    if scan_times:
        print(f"{'scan':8}{statistics.median(scan_times) * 1000:>8.0f}ms{'':>10}"
              f"  (same figures from the claim tables, no running counts; "
              f"{len(scan_times)} run(s))")
    print(f"ratio page/bare (median): {page_med / bare_med:.2f}")
    print(f"target page <= 1000 ms: {'met' if page_med <= 1.0 else 'NOT met'}")


if __name__ == "__main__":
    main()
