"""`bench/matching.py --api N`: the whole `similar` answer over HTTP at N claims.

    SIM_DATABASE_URL=postgres://postgres@127.0.0.1:5432/fc_sim_1m \\
        .venv/bin/python bench/matching.py --cache var/sim.npz --api 1000000

1. Seeds a database of its own (SIM_DATABASE_URL, default fc_sim_1m; kept and
   reused while it holds N claims with N vectors) in SQL: 2,000 sources, N
   claims (bench/api.py's generated texts in az/ko/ru/en, 4 in 5 published),
   a claimant attribution each, a figure for half; then N `ClaimVector` rows
   (field "text", the current model's name) written with COPY. The vectors are
   synthetic, drawn to look like real ones: the real claim vectors' mean and
   covariance, and topical clusters (each vector shares a topic centre with
   ~50 others; the mix keeps the overall covariance). Embedding a million
   texts here would take hours.
   Then each claim's text facts, as the embedding worker stores them beside its
   vectors (`manage.py store_text_facts`: only missing or stale rows).
2. Builds the inverted file FROM THE TABLE as a worker does
   (`manage.py build_similarity_index`), timed, with its peak memory.
3. Starts two gunicorn servers on factcheck.wsgi (the deployed app; one sync
   worker each, pinned with taskset to the same core, OMP_NUM_THREADS=1): one
   with SIMILARITY_INDEX=auto (takes the build), one with SIMILARITY_INDEX=exact
   (the fallback: numpy scan of the whole table). Requests go one at a time,
   interleaved between the two servers, with a read key:
     GET  /api/v1/claims/{id}/similar/?limit=10   (and limit=250)
     POST /api/v1/claims/similar/ {"text", "language"} (real claims' texts:
          includes embedding the text)
   Per series: p50/p95 wall (client), and the server worker's CPU per request
   (from /proc/<pid>/task/*/schedstat, nanoseconds), then the exact/index ratio
   and how often the two servers' top 10 agree.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import math
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/fc_sim_1m"
TOPIC_SIZE = 50  # claims per topic, on average
TOPIC_SHARE = 0.8  # how much of a vector's deviation from the mean is its topic's


def _pg(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def clustered(real: np.ndarray, count: int, seed: int = 7):
    """Blocks of unit vectors with the real ones' mean and covariance, in topics.

    Each is mean + a·(its topic's deviation) + b·(its own), a² + b² = 1, both
    deviations drawn from the real covariance: the covariance is the real one,
    and claims of one topic sit closer together than two claims at random.
    """
    rng = np.random.default_rng(seed)
    mean = real.mean(axis=0)
    _, s, vt = np.linalg.svd(real - mean, full_matrices=False)
    scale = (s / math.sqrt(len(real) - 1)).astype(np.float32)
    vt = vt.astype(np.float32)

    def deviations(k: int) -> np.ndarray:
        z = rng.standard_normal((k, len(scale))).astype(np.float32)
        noise = rng.standard_normal((k, real.shape[1])).astype(np.float32) * float(scale[-1])
        return (z * scale) @ vt + noise

    topics = deviations(max(1, count // TOPIC_SIZE))
    a, b = math.sqrt(TOPIC_SHARE), math.sqrt(1 - TOPIC_SHARE)
    for start in range(0, count, 100_000):
        k = min(100_000, count - start)
        block = mean + a * topics[rng.integers(0, len(topics), k)] + b * deviations(k)
        yield (block / np.linalg.norm(block, axis=1, keepdims=True)).astype("<f4")


def _count(url: str, table: str) -> int:
    import psycopg

    try:
        with psycopg.connect(_pg(url)) as c:
            return c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except psycopg.Error:
        return -1


def seed(url: str, claims: int, real: np.ndarray, model: str) -> None:
    """The database, unless it already holds `claims` claims and as many vectors."""
    import psycopg

    from bench.api import _insert_columns, claim_values

    if _count(url, "claims_claim") == claims and _count(url, "similarity_claimvector") == claims:
        print(f"Reusing {url.rsplit('/', 1)[1]}: {claims:,} claims and vectors")
        # Tables added since it was seeded (similarity 0002: the stored text facts).
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT,
                       env={**os.environ, "DATABASE_URL": url}, check=True)
        return
    started = time.time()
    admin, name = url.rsplit("/", 1)[0] + "/postgres", url.rsplit("/", 1)[1]
    with psycopg.connect(_pg(admin), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{name}"')
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT,
                   env={**os.environ, "DATABASE_URL": url}, check=True)
    with psycopg.connect(_pg(url), autocommit=True) as c:
        src_cols, src_vals = _insert_columns(c, "sources_source", {
            "name": "'Source ' || i", "kind": "'news_outlet'", "country": "''",
            "reliability": "'C'", "created_at": "now()", "updated_at": "now()"})
        claim_cols, claim_vals = _insert_columns(c, "claims_claim", claim_values(claims))
        steps = [
            ("sources", f"INSERT INTO sources_source ({src_cols}) SELECT {src_vals} "
                        "FROM generate_series(1, 2000) AS g(i)"),
            ("claims", f"INSERT INTO claims_claim ({claim_cols}) SELECT {claim_vals} "
                       f"FROM generate_series(1, {claims}) AS g(i)"),
            ("claimants", "INSERT INTO claims_attribution (claim_id, source_id, role, phrase, "
                          "quote, stance, stated_on, credibility) SELECT c.id, "
                          "(SELECT min(id) FROM sources_source) + (c.id * 7) % 2000, "
                          "'claimant', 'according to', '', CASE WHEN c.id % 23 = 0 THEN "
                          "'denies' ELSE 'asserts' END, c.made_on, 6 FROM claims_claim c"),
            ("figures", "INSERT INTO claims_quantity (claim_id, value, lower, upper, "
                        "qualifier, unit, counted, as_said) SELECT id, (id % 5000) + 10, "
                        "NULL, NULL, 'approximately', '', 'soldiers killed', '' "
                        "FROM claims_claim WHERE id % 2 = 0"),
        ]
        # Row triggers (the reports app's running counts, foreign-key checks)
        # off while seeding: the rows are consistent by construction.
        c.execute("SET session_replication_role = replica")
        for label, sql in steps:
            t = time.time()
            c.execute(sql)
            print(f"  {label:<10} {time.time() - t:6.1f} s", flush=True)
        t = time.time()
        ids = [r[0] for r in c.execute("SELECT id FROM claims_claim ORDER BY id")]
        # Stamps spread over a year, as a desk's vectors are: a web process's
        # catch-up reads the last two minutes again each second, not the table.
        now = datetime.now(UTC)
        done = 0
        with c.cursor().copy(
            "COPY similarity_claimvector (claim_id, field, model, vector, text_hash, "
            "updated_at) FROM STDIN (FORMAT BINARY)"
        ) as copy:
            copy.set_types(["int8", "varchar", "varchar", "bytea", "varchar", "timestamptz"])
            for block in clustered(real, claims):
                for j, vector in enumerate(block):
                    i = done + j
                    copy.write_row((ids[i], "text", model, vector.tobytes(), f"synthetic-{i}",
                                    now - timedelta(days=365 * (claims - i) / claims)))
                done += len(block)
        print(f"  vectors    {time.time() - t:6.1f} s", flush=True)
        t = time.time()
        c.execute("VACUUM ANALYZE")
        print(f"  analyze    {time.time() - t:6.1f} s", flush=True)
        size = c.execute("SELECT pg_size_pretty(pg_database_size(current_database()))"
                         ).fetchone()[0]
    print(f"Seeded {claims:,} claims and vectors in {time.time() - started:.0f} s; "
          f"database {size}", flush=True)


def build_index(url: str, env: dict[str, str], reuse: bool) -> None:
    """The worker's build, from the table (`manage.py build_similarity_index`)."""
    index_dir = Path(env["SIMILARITY_INDEX_DIR"])
    if reuse and any(index_dir.glob("claims-*.npz")):
        print(f"Reusing the build in {index_dir}")
        return
    timer = ["/usr/bin/time", "-f", "  build: %e s wall, %U s user, %S s sys, %M KiB peak"] \
        if shutil.which("/usr/bin/time") else []
    t = time.time()
    subprocess.run([*timer, sys.executable, "manage.py", "build_similarity_index"], cwd=ROOT,
                   env={**env, "DATABASE_URL": url}, check=True)
    print(f"  build_similarity_index: {time.time() - t:.0f} s wall", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn on factcheck.wsgi, one sync worker, pinned to `cpu`."""

    def __init__(self, label: str, env: dict[str, str], cpu: str) -> None:
        self.label, self.port = label, free_port()
        self.process = subprocess.Popen(
            ["taskset", "-c", cpu, str(ROOT / ".venv/bin/gunicorn"), "factcheck.wsgi:application",
             "--bind", f"127.0.0.1:{self.port}", "--workers", "1", "--timeout", "900",
             "--limit-request-line", "0", "--log-level", "warning"], cwd=ROOT, env=env)
        for _ in range(300):
            try:
                self.request("GET", "/healthz", {})
                break
            except OSError:
                time.sleep(0.2)
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        self.worker = int(children.read_text().split()[0])

    def cpu_ns(self) -> int:
        total = 0
        for task in Path(f"/proc/{self.worker}/task").iterdir():
            with contextlib.suppress(OSError):  # a thread that just ended
                total += int((task / "schedstat").read_text().split()[0])
        return total

    def request(self, method: str, path: str, headers: dict[str, str],
                body: bytes | None = None) -> tuple[float, float, int, bytes]:
        """(wall ms, server CPU ms, status, body)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=900)
        cpu = self.cpu_ns() if hasattr(self, "worker") else 0
        t = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        wall = (time.perf_counter() - t) * 1000
        conn.close()
        used = (self.cpu_ns() - cpu) / 1e6 if hasattr(self, "worker") else 0.0
        return wall, used, response.status, data

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def _key(url: str) -> str:
    code = ("import django; django.setup(); from newsrooms.keys import issue_key; "
            "print(issue_key('Similar bench', scope='read', rate_per_minute=10_000_000)[1])")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, text=True,
                         capture_output=True, env={**os.environ, "DATABASE_URL": url})
    return out.stdout.strip().splitlines()[-1]


def api(real: np.ndarray, claims: int, texts: list[tuple[str, str]], queries: int = 200,
        reuse: bool = True, cpu: str = "1") -> None:
    import psycopg

    from similarity import embedding

    url = os.environ.get("SIM_DATABASE_URL", DEFAULT_DB)
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0", "LOG_LEVEL": "WARNING",
           "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT),
           "SIMILARITY_INDEX_DIR": os.environ.get(
               "SIMILARITY_INDEX_DIR", str(ROOT / "var" / "similarity-bench"))}
    print(f"\napi: {claims:,} claims in {url.rsplit('/', 1)[1]}; load {os.getloadavg()}")
    seed(url, claims, real, embedding.model_name())
    # What the embedding worker stores beside each vector (similarity/storedfacts.py);
    # only rows missing or stale are computed, so a reused database takes a pass of reads.
    t = time.time()
    with psycopg.connect(_pg(url)) as c:
        low, high = c.execute("SELECT min(id), max(id) FROM claims_claim").fetchone()
    half = (low + high) // 2
    fills = [subprocess.Popen([sys.executable, "manage.py", "store_text_facts", "--ids", ids],
                              cwd=ROOT, env={**env, "DATABASE_URL": url})
             for ids in (f"{low}:{half}", f"{half + 1}:{high}")]  # one process a core
    assert all(fill.wait() == 0 for fill in fills)
    print(f"  store_text_facts: {time.time() - t:.0f} s wall", flush=True)
    build_index(url, env, reuse)
    key = _key(url)
    with psycopg.connect(_pg(url)) as c:
        c.execute("SELECT setseed(0.11)")
        ids = [r[0] for r in c.execute(
            f"SELECT id FROM claims_claim WHERE published ORDER BY random() LIMIT {queries}")]
    headers = {"Authorization": f"Bearer {key}", "Accept": "application/json"}
    post_headers = {**headers, "Content-Type": "application/json"}
    servers = {}
    for label, mode in (("index", "auto"), ("exact", "exact")):
        servers[label] = Server(label, {**env, "SIMILARITY_INDEX": mode}, cpu)
        # The first request starts loading the index (a build from disk, or the
        # whole table) beside it; 503 "loading" until it is in.
        t, cpu0, unavailable = time.perf_counter(), servers[label].cpu_ns(), 0
        while True:
            _, _, status, body = servers[label].request(
                "GET", f"/api/v1/claims/{ids[0]}/similar/", headers)
            if status != 503:
                break
            unavailable += 1
            time.sleep(0.5)
        assert status == 200, body[:300]
        print(f"  {label:5} server up, first answer {time.perf_counter() - t:.1f} s wall, "
              f"{(servers[label].cpu_ns() - cpu0) / 1e9:.1f} s CPU ({unavailable} answers "
              "503 while the index loaded)", flush=True)
    try:
        for server in servers.values():  # warm: connections, caches, the model
            for i in ids[:5]:
                server.request("GET", f"/api/v1/claims/{i}/similar/", headers)
            server.request("POST", "/api/v1/claims/similar/", post_headers,
                           json.dumps({"text": texts[0][0], "language": texts[0][1]}).encode())
        series: dict[tuple[str, str], tuple[list[float], list[float]]] = {}
        agree: list[float] = []
        rng = random.Random(5)
        plan = [("GET limit=10", i, 10) for i in ids] + \
               [("GET limit=250", i, 250) for i in ids] + \
               [("POST text", rng.choice(texts), 10) for _ in ids]
        print(f"  {len(plan)} requests per server, interleaved; load {os.getloadavg()}",
              flush=True)
        for name, what, limit in plan:
            tops = []
            for label, server in servers.items():
                if name.startswith("GET"):
                    wall, used, status, body = server.request(
                        "GET", f"/api/v1/claims/{what}/similar/?limit={limit}", headers)
                else:
                    wall, used, status, body = server.request(
                        "POST", "/api/v1/claims/similar/", post_headers,
                        json.dumps({"text": what[0], "language": what[1]}).encode())
                assert status == 200, body[:300]
                walls, cpus = series.setdefault((name, label), ([], []))
                walls.append(wall)
                cpus.append(used)
                tops.append([r["id"] for r in json.loads(body)["results"][:10]])
            if tops[1]:
                agree.append(len(set(tops[0]) & set(tops[1])) / len(tops[1]))
    finally:
        for server in servers.values():
            server.stop()
    print(f"\nsimilar over HTTP — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"{claims:,} claims and vectors, gunicorn 1 sync worker per server pinned to "
          f"CPU {cpu}, sequential; load {os.getloadavg()}")
    print(f"{'series':<16}{'server':<7}{'n':>5}{'wall p50':>10}{'p95':>9}{'CPU p50':>10}"
          f"{'p95':>8}")
    for (name, label), (walls, cpus) in series.items():
        print(f"{name:<16}{label:<7}{len(walls):>5}{statistics.median(walls):>10.1f}"
              f"{pct(walls, 0.95):>9.1f}{statistics.median(cpus):>10.1f}{pct(cpus, 0.95):>8.1f}")
    for name in dict.fromkeys(n for n, _ in series):
        exact, index = series[(name, "exact")][0], series[(name, "index")][0]
        ratio = statistics.median(exact) / statistics.median(index)
        print(f"exact/index {name:<14}: p50 {ratio:5.1f}x"
              f"  p95 {pct(exact, 0.95) / pct(index, 0.95):5.1f}x")
    print(f"top 10 shared by the index and the exact scan: {statistics.mean(agree):.3f}")
