"""CPU per request of /api/v1/claims/ against the bare handler, in one process.

    .venv/bin/python bench/api_cpu.py --claims 20000            # 300 requests each
    .venv/bin/python bench/api_cpu.py --claims 20000 --profile  # + cProfile of the API side

Both go through the same WSGI application as in bench/api.py (bench/api_bare.py:
the project, plus /bare/claims/ built with psycopg + orjson alone), called
in-process without a socket, interleaved (api, bare, api, bare …). The figure is
this process's CPU time per request (time.process_time: user + system, not
waiting on PostgreSQL or Redis), which other processes on a shared machine
inflate far less than wall time or throughput, and the CPU of the PostgreSQL
backends connected to the bench database (from /proc; 10 ms clock ticks, so a
mean over many requests). Redis's own CPU is not in it.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=300, help="per side")
    parser.add_argument("--profile", action="store_true",
                        help="then profile 200 API requests (CPU time, cumulative)")
    args = parser.parse_args()
    from bench.api import DEFAULT_DB, prepare
    from bench.api_concurrency import pg_cpu_seconds

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/3")
    os.environ["DEBUG"] = "0"
    prepare(url, args.claims, reuse=True)

    from bench.api_bare import application
    from newsrooms.keys import issue_key

    key = issue_key("Benchmark", scope="read", rate_per_minute=10_000_000)[1]

    def call(path: str, auth: bool) -> bytes:
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1", "wsgi.input": io.BytesIO(b""), "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr, "wsgi.version": (1, 0), "wsgi.multithread": False,
            "wsgi.multiprocess": True, "wsgi.run_once": False,
        }
        if auth:
            environ["HTTP_AUTHORIZATION"] = f"Bearer {key}"
            environ["HTTP_ACCEPT"] = "application/json"
        status = []
        result = application(environ, lambda s, h, e=None: status.append(s))
        body = b"".join(result)
        if hasattr(result, "close"):  # as a WSGI server does (Django: request_finished)
            result.close()
        assert status[0].startswith("200"), (status, body[:300])
        return body

    api_body, bare_body = call("/api/v1/claims/", True), call("/bare/claims/", False)
    assert json.loads(api_body)["results"] == json.loads(bare_body)["results"], "JSON differs"
    for _ in range(30):
        call("/api/v1/claims/", True)
        call("/bare/claims/", False)
    api: list[float] = []
    bare: list[float] = []
    database = {"api": 0.0, "bare": 0.0}  # PostgreSQL backends' CPU, seconds
    # Blocks of 25: PostgreSQL's CPU is read from /proc around each block (reading it
    # opens a connection, whose own backend's start-up must not land on a request).
    for _ in range(max(1, args.requests // 25)):
        for path, auth, out in (("/api/v1/claims/", True, api), ("/bare/claims/", False, bare)):
            db = pg_cpu_seconds(url)
            for _ in range(25):
                started = time.process_time()
                call(path, auth)
                out.append((time.process_time() - started) * 1000)
            database["api" if auth else "bare"] += pg_cpu_seconds(url) - db
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {args.claims:,} claims, "
          f"load average {os.getloadavg()[0]:.2f}, {args.requests} requests each, "
          f"same {len(json.loads(api_body)['results'])} claims from both")
    for label, values in (("api  /api/v1/claims/", api), ("bare /bare/claims/", bare)):
        side = label.split()[0]
        print(f"{label:<22} CPU per request: mean {statistics.fmean(values):5.2f} ms, "
              f"median {statistics.median(values):5.2f} ms; PostgreSQL's backends "
              f"{database[side] * 1000 / len(values):5.2f} ms")
    print(f"CPU ratio api/bare (means): {statistics.fmean(api) / statistics.fmean(bare):.2f}x")
    if args.profile:
        import cProfile
        import pstats

        profile = cProfile.Profile(time.process_time)
        profile.enable()
        for _ in range(200):
            call("/api/v1/claims/", True)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
