"""REST API latency: the nested claims page and `q` search, against a bare baseline.

    .venv/bin/python bench/api.py                      # 100,000 claims
    .venv/bin/python bench/api.py --claims 1000000     # the issue's upper target

Seeds a database of its own (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/fc_api_bench) with N claims and a realistic
fan-out (2,000 sources with aliases; per claim 3 attributions with links, 1–2
evidence links, a figure for half, a tag, a conflict for 1 in 20; texts in
Azerbaijani, Korean, Russian and English), in SQL with generate_series. The
search text is then derived by the project's own code (claims.search).

Then starts gunicorn on a free loopback port serving bench/api_bare.py: the
Django project plus, at /bare/claims/, the same first page built with psycopg
and orjson alone. It measures, interleaved, one request at a time:

  api    GET /api/v1/claims/ (read key; 50 nested claims; auth, throttle, ETag)
  bare   GET /bare/claims/   (same JSON results, checked equal before timing)
  search GET /api/v1/claims/?q=... over a mix of rare and common words, a Korean
         substring, a source alias, in four scripts; and the same searches'
         SQL alone (candidate probe + page of ids), in process

and prints p50/p95 per series and the api/bare ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api_concurrency import (  # noqa: E402 (after the path)
    concurrent,
    get,
    pct,
)
from bench.stack import free_port  # noqa: E402 (after the path)

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/fc_api_bench"

SEARCHES = [
    "Seul", "минобороны", "조선중앙", "spy agency", "중앙통신", "Alias 42",
    "bakı", "погибших", "topic17", "topic1234", "тема42", "mövzu7", "주제99", "별칭7",
]

SEED_SQL = """
INSERT INTO sources_source ({src_cols})
SELECT {src_vals} FROM generate_series(1, %(sources)s) AS g(i);

INSERT INTO sources_sourcealias (source_id, alias, folded)
SELECT s.id, a.alias, lower(a.alias)
FROM sources_source s,
LATERAL (VALUES (s.name), ('Alias ' || s.id), ('별칭' || s.id)) AS a(alias);

INSERT INTO sources_link ({link_cols})
SELECT {link_vals} FROM generate_series(1, %(links)s) AS g(i);

INSERT INTO claims_claim ({claim_cols})
SELECT {claim_vals} FROM generate_series(1, %(claims)s) AS g(i);

INSERT INTO claims_attribution (claim_id, source_id, role, phrase, quote, stance, stated_on,
                                link_id, credibility)
SELECT c.id, (SELECT min(id) FROM sources_source) + (c.id * r.mult + r.n) %% %(sources)s,
       r.role, r.phrase, CASE WHEN r.n = 0 THEN 'Quoted: ' || left(c.text, 60) ELSE '' END,
       'asserts', c.made_on, (SELECT min(id) FROM sources_link) + (c.id * 3 + r.n) %% %(links)s,
       6
FROM claims_claim c,
LATERAL (VALUES (0, 'claimant', 7, 'according to'), (1, 'conduit', 13, 'via'),
                (2, 'outlet', 17, 'reported by')) AS r(n, role, mult, phrase);

INSERT INTO claims_evidence (claim_id, link_id, relation, note, added_at)
SELECT c.id, (SELECT min(id) FROM sources_link) + (c.id * 3 + e.n + 100) %% %(links)s,
       e.relation, '', c.created_at
FROM claims_claim c,
LATERAL (VALUES (0, 'reported_in'), (1, 'contradicts')) AS e(n, relation)
WHERE e.n = 0 OR c.id %% 2 = 0;

INSERT INTO claims_quantity (claim_id, value, lower, upper, qualifier, unit, counted, as_said)
SELECT id, (id %% 5000) + 10, NULL, NULL, 'approximately', '', 'soldiers killed', ''
FROM claims_claim WHERE id %% 2 = 0;

INSERT INTO claims_tag (name) SELECT 'tag-' || n FROM generate_series(0, 9) AS g(n);
INSERT INTO claims_claim_tags (claim_id, tag_id)
SELECT c.id, (SELECT min(id) FROM claims_tag) + c.id %% 10 FROM claims_claim c;

INSERT INTO claims_claimrelation (from_claim_id, to_claim_id, kind, note, automatic, created_at)
SELECT id, id + 1, 'conflicts_with', '', true, now()
FROM claims_claim WHERE id %% 20 = 0 AND id < (SELECT max(id) FROM claims_claim);
"""

TEXTS = (
    "CASE i %% 4"
    " WHEN 0 THEN 'Rəsmi Seulun məlumatına görə, Bakı yaxınlığında ' || i || ' əsgər öldürülüb,"
    " mövzu' || (i %% 997)"
    " WHEN 1 THEN '조선중앙통신은 서울에서 ' || i || '명이 사망했다고 보도했다 주제' || (i %% 997)"
    " WHEN 2 THEN 'Минобороны России сообщило о ' || i || ' погибших солдатах, тема' || (i %% 997)"
    " ELSE 'Seoul''s spy agency says ' || i || ' North Korean soldiers were killed, topic'"
    " || (i %% 997) END"
)
LANGS = "(ARRAY['az','ko','ru','en'])[i %% 4 + 1]"
STATUSES = ("(ARRAY['unverified','in_review','supported','disputed','false','misleading',"
            "'unverifiable','unverified'])[i %% 8 + 1]")


def claim_values(claims: int) -> dict[str, str]:
    """The seeded claims' columns as SQL over generate_series's `i` (also bench/matching_api)."""
    return {
        "text": TEXTS.replace("%%", "%"), "language": LANGS.replace("%%", "%"),
        "summary_en": "'Summary of claim ' || i",
        "status": STATUSES.replace("%%", "%"),
        "verdict_rationale": "''", "published": "i % 5 <> 0", "version": "1",
        "made_on": "date '2024-01-01' + (i % 700)",
        "reviewed_at": "CASE WHEN i % 8 BETWEEN 2 AND 6 THEN now() END",
        "created_at": "now() - (i % 400) * interval '1 day'",
        "updated_at": f"now() - (i::float / {claims}) * interval '365 days'",
        "search_document": "''",
    }


def _insert_columns(conn, table: str, given: dict[str, str]) -> tuple[str, str]:
    """Every NOT NULL column without a default gets a neutral value; `given` overrides.

    Other helpers add columns to these tables; the seed keeps working.
    """
    rows = conn.execute(
        """SELECT column_name, data_type FROM information_schema.columns
           WHERE table_name = %s AND is_nullable = 'NO' AND column_default IS NULL
             AND is_generated = 'NEVER' AND column_name <> 'id'""", (table,)).fetchall()
    neutral = {"character varying": "''", "text": "''", "integer": "0", "smallint": "0",
               "bigint": "0", "boolean": "false", "jsonb": "'[]'::jsonb",
               "timestamp with time zone": "now()", "date": "current_date", "uuid": "NULL",
               "numeric": "0"}
    values = {name: neutral.get(kind, "''") for name, kind in rows}
    values.update(given)
    return ", ".join(values), ", ".join(values.values())


def seed(url: str, claims: int) -> None:
    import psycopg

    sources, links = 2000, claims * 3 + 200
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as c:
        src_cols, src_vals = _insert_columns(c, "sources_source", {
            "name": "'Source ' || i", "kind": "(ARRAY['state_media','news_outlet','government',"
            "'intelligence','official'])[i % 5 + 1]", "country": "''", "reliability": "'C'",
            "created_at": "now()", "updated_at": "now() - (i % 365) * interval '1 day'"})
        link_cols, link_vals = _insert_columns(c, "sources_link", {
            "url": "'https://news-' || (i % 40) || '.example.org/article/' || i",
            "host": "'news-' || (i % 40) || '.example.org'",
            "health": "(ARRAY['ok','ok','ok','redirected','broken','unchecked'])[i % 6 + 1]",
            "created_at": "now()", "updated_at": "now()"})
        claim_cols, claim_vals = _insert_columns(c, "claims_claim", claim_values(claims))
        def esc(v: str) -> str:  # the statements also take %(name)s parameters
            return v.replace("%", "%%")

        sql = SEED_SQL.format(src_cols=src_cols, src_vals=esc(src_vals), link_cols=link_cols,
                              link_vals=esc(link_vals), claim_cols=claim_cols,
                              claim_vals=esc(claim_vals))
        params = {"sources": sources, "links": links, "claims": claims}
        # Row triggers (the reports app's running counts, the foreign-key
        # checks) are off while seeding: the generated rows are consistent by
        # construction, and the benchmark reads claims, not reports.
        c.execute("SET session_replication_role = replica")
        for statement in [s.strip() for s in sql.split(";\n") if s.strip()]:
            t = time.time()
            c.execute(statement, params)
            print(f"  {statement.split()[2]:<24} {time.time() - t:6.1f} s", flush=True)


def derive_search_text(claims: int) -> None:
    """The project's own code derives each claim's folded search text."""
    import django

    django.setup()
    from django.db import connection

    from claims.models import Claim
    from claims.search import refresh_search_documents

    with connection.cursor() as cursor:  # as in seed(): no report triggers here
        cursor.execute("SET session_replication_role = replica")
    t = time.time()
    ids = list(Claim.objects.order_by("id").values_list("id", flat=True))
    refresh_search_documents(ids, batch=2000)
    print(f"  search text ({len(ids):,} claims) {time.time() - t:6.1f} s", flush=True)


def prepare(url: str, claims: int, reuse: bool) -> None:
    import psycopg

    admin = url.rsplit("/", 1)[0].replace("postgres://", "postgresql://", 1) + "/postgres"
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin, autocommit=True) as c:
        exists = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    if exists and reuse:
        import psycopg as p

        with p.connect(url.replace("postgres://", "postgresql://", 1)) as c:
            have = c.execute("SELECT count(*) FROM claims_claim").fetchone()[0]
        if have == claims:
            print(f"Reusing {name} with {have:,} claims")
            return
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT,
                   env=env, check=True)
    print(f"Seeding {claims:,} claims into {name}")
    seed(url, claims)
    derive_search_text(claims)
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as c:
        c.execute("VACUUM ANALYZE")


def search_only(url: str, claims: int, rounds: int) -> None:
    """`--search-only`: claims alone (no attributions, links or sources), then the
    search SQL timed in process. A cheaper way to the 1M-claim search figure.

    The search text is derived in SQL here (lower + the four letters the
    generated texts fold differently), checked equal to search_fold on a sample.
    """
    import psycopg

    admin = url.rsplit("/", 1)[0].replace("postgres://", "postgresql://", 1) + "/postgres"
    name = url.rsplit("/", 1)[1]
    pg = url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as c:
        exists = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    have = 0
    if exists:
        with psycopg.connect(pg) as c:
            have = c.execute("SELECT count(*) FROM claims_claim").fetchone()[0]
    if have != claims:
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{name}"')
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT,
                       env={**os.environ, "DATABASE_URL": url}, check=True)
        with psycopg.connect(pg, autocommit=True) as c:
            c.execute("SET session_replication_role = replica")
            c.execute("DROP INDEX claims_claim_search_vector, claims_claim_search_trgm")
            cols, vals = _insert_columns(c, "claims_claim", {
                "text": TEXTS.replace("%%", "%"), "language": LANGS.replace("%%", "%"),
                "summary_en": "'Summary of claim ' || i", "status": "'unverified'",
                "published": "i % 5 <> 0", "version": "1",
                "updated_at": f"now() - (i::float / {claims}) * interval '365 days'",
                "created_at": "now()", "search_document":
                    "translate(lower(" + TEXTS.replace("%%", "%") + " || ' summary of claim ' "
                    "|| i), 'ıöüğ', 'ioug')"})
            for label, sql in (
                ("claims", f"INSERT INTO claims_claim ({cols}) SELECT {vals} "
                           f"FROM generate_series(1, {claims}) AS g(i)"),
                ("word index", "CREATE INDEX claims_claim_search_vector ON claims_claim "
                               "USING gin (search_vector)"),
                ("trigram index", "CREATE INDEX claims_claim_search_trgm ON claims_claim "
                                  "USING gin (search_document gin_trgm_ops)"),
                ("analyze", "VACUUM ANALYZE claims_claim"),
            ):
                t = time.time()
                c.execute(sql)
                print(f"  {label:<24} {time.time() - t:6.1f} s", flush=True)
    import django

    django.setup()
    from claims.models import Claim
    from claims.search import search as search_claims
    from claims.search import search_fold

    for text, doc in Claim.objects.order_by("?").values_list("text", "search_document")[:200]:
        assert search_fold(text + " Summary of claim x").rsplit(" ", 1)[0] == \
            doc.rsplit(" ", 1)[0], (text, doc)
    timings: dict[str, list[float]] = {q: [] for q in SEARCHES}
    for _ in range(rounds):
        for q in SEARCHES:
            t = time.perf_counter()
            list(search_claims(Claim.objects.filter(published=True), q)
                 .order_by("-updated_at", "-id").values_list("id", flat=True)[:51])
            timings[q].append((time.perf_counter() - t) * 1000)
    every = [ms for values in timings.values() for ms in values]
    print(f"\nSearch SQL (probe + page of ids) — "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {claims:,} claims")
    for q, values in timings.items():
        print(f"  {q:<28} p50 {statistics.median(values):7.1f} ms  p95 {pct(values, 0.95):7.1f}")
    print(f"  {'all':<28} p50 {statistics.median(every):7.1f} ms  p95 {pct(every, 0.95):7.1f}"
          f"  (target p95 ≤ 50 ms at 1M)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="per series")
    parser.add_argument("--search-only", action="store_true",
                        help="claims alone; time the search SQL (see search_only)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the seeded database if it already has --claims claims")
    parser.add_argument("--clients", type=int, default=0,
                        help="Also measure under this many concurrent clients (e.g. 64) for "
                             "each --server configuration.")
    parser.add_argument("--server", action="append", default=[],
                        help="gunicorn options to compare under --clients, e.g. "
                             "'--workers 2' or '--workers 2 --threads 8' (repeatable).")
    parser.add_argument("--seconds", type=float, default=15, help="per --clients series")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/3")

    if args.search_only:
        search_only(url, args.claims, max(1, args.requests // len(SEARCHES)))
        return
    t0 = time.time()
    prepare(url, args.claims, args.reuse)
    print(f"Database ready in {time.time() - t0:.0f} s")

    import django

    django.setup()
    from newsrooms.keys import issue_key

    key = issue_key("Benchmark", scope="read", rate_per_minute=10_000_000)[1]
    headers = {"Authorization": f"Bearer {key}", "Accept": "application/json"}

    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0", "LOG_LEVEL": "WARNING"}
    if args.clients:
        import shlex

        print(f"# {args.clients} concurrent clients, {args.seconds:.0f} s per series, "
              f"load average {os.getloadavg()[0]:.2f}")
        for options in args.server or ["--workers 2", "--workers 4",
                                       "--workers 2 --threads 8"]:
            port = free_port()
            server = subprocess.Popen(
                [str(ROOT / ".venv/bin/gunicorn"), "bench.api_bare:application", "--bind",
                 f"127.0.0.1:{port}", "--log-level", "warning", "--backlog", "2048",
                 *shlex.split(options)], cwd=ROOT, env=env)
            try:
                for _ in range(150):
                    try:
                        get(port, "/api/schema/", {})
                        break
                    except OSError:
                        time.sleep(0.2)
                for _ in range(10):
                    get(port, "/api/v1/claims/", headers)
                    get(port, "/bare/claims/", {})
                concurrent(port, headers, args.clients, args.seconds, options,
                           server.pid, url)
            finally:
                server.terminate()
                try:
                    server.wait(30)  # graceful: requests of 64 clients still in flight
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait(10)
        return
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "bench.api_bare:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning"],
        cwd=ROOT, env=env)
    try:
        for _ in range(100):
            try:
                get(port, "/api/schema/", {})
                break
            except OSError:
                time.sleep(0.2)
        _, status, api_body = get(port, "/api/v1/claims/", headers)
        _, _, bare_body = get(port, "/bare/claims/", {})
        assert status == 200, api_body[:300]
        api_results = json.loads(api_body)["results"]
        assert api_results == json.loads(bare_body)["results"], "baseline JSON differs"
        print(f"Same 50 claims from both ({len(api_body):,} bytes of JSON per page)")

        for _ in range(20):  # warm both workers' connections and caches
            get(port, "/api/v1/claims/", headers)
            get(port, "/bare/claims/", {})
        api, bare = [], []
        for _ in range(args.requests):
            api.append(get(port, "/api/v1/claims/", headers)[0])
            bare.append(get(port, "/bare/claims/", {})[0])
        search: list[float] = []
        hits: dict[str, int] = {}
        from urllib.parse import quote

        for q in SEARCHES:
            get(port, f"/api/v1/claims/?q={quote(q)}", headers)
        rounds = max(1, args.requests // len(SEARCHES))
        for _ in range(rounds):
            for q in SEARCHES:
                ms, status, body = get(port, f"/api/v1/claims/?q={quote(q)}", headers)
                assert status == 200, body[:200]
                search.append(ms)
                hits[q] = len(json.loads(body)["results"])
    finally:
        server.terminate()
        server.wait(10)

    # The database's share of a search: the candidate probe and the page of ids,
    # in this process, without HTTP, auth or rendering.
    from claims.models import Claim
    from claims.search import search as search_claims

    search_sql: list[float] = []
    for _ in range(rounds):
        for q in SEARCHES:
            t = time.perf_counter()
            list(search_claims(Claim.objects.filter(published=True), q)
                 .order_by("-updated_at", "-id").values_list("id", flat=True)[:51])
            search_sql.append((time.perf_counter() - t) * 1000)

    ratio50 = statistics.median(api) / statistics.median(bare)
    ratio95 = pct(api, 0.95) / pct(bare, 0.95)
    print()
    print(f"API benchmark — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"{args.claims:,} claims, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"gunicorn 2 sync workers, sequential requests")
    print(f"{'series':<34}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}")
    print(f"{'api  /api/v1/claims/ (50 nested)':<34}{len(api):>6}{statistics.median(api):>10.1f}"
          f"{pct(api, 0.95):>10.1f}")
    print(f"{'bare psycopg + orjson (same JSON)':<34}{len(bare):>6}"
          f"{statistics.median(bare):>10.1f}{pct(bare, 0.95):>10.1f}")
    print(f"{'search /api/v1/claims/?q=…':<34}{len(search):>6}{statistics.median(search):>10.1f}"
          f"{pct(search, 0.95):>10.1f}")
    print(f"{'search, SQL only (probe + page ids)':<34}{len(search_sql):>6}"
          f"{statistics.median(search_sql):>10.1f}{pct(search_sql, 0.95):>10.1f}")
    print(f"ratio api/bare: p50 {ratio50:.2f}x, p95 {ratio95:.2f}x (target ≤ 3)")
    print("search results on the first page: " + ", ".join(f"{q!r} {n}"
                                                          for q, n in hits.items()))


if __name__ == "__main__":
    main()
