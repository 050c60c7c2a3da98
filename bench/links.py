"""Link refresh throughput: this project vs linkchecker vs a bare asyncio loop.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fc_links .venv/bin/python bench/links.py

Starts, all on loopback and all its own: a web server farm (tests/linkfarm.py)
answering on 41 addresses 127.0.0.2–127.0.0.42 under host names like
news-07.bench.test (some pages slow, some redirecting, some 404, one host
answering 429), a Redis, a fresh PostgreSQL database, and a real Celery worker.
Then it measures, over the same 10,000 URLs:

  project     a full refresh by the worker (2 processes), from wake-up to every
              link recorded in PostgreSQL with health, metadata and history
  project, again  (--repeat-pass) a second refresh over the same, unchanged pages,
              keeping what the first learned: the usual pass of a running system,
              where a page whose bytes are as last time is not read again
  linkchecker the PyPI tool, 100 threads, per-host throttle lifted
  bare        an asyncio loop GETting every URL with aiohttp (the ceiling),
              and the same loop with httpx (how the client was chosen)

Names resolve through a fixed table (LINKS_STATIC_HOSTS for the project, the
same table patched into getaddrinfo for the others): no DNS query leaves the
machine. Each figure is the median of --repeat runs; ratios are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stack import (  # noqa: E402
    DatabaseCPU,
    Services,
    free_port,
    fresh_database,
    other_cpus,
    pinned,
    require_postgres,
    setup_django,
    start_redis,
    tree_cpu_seconds,
)

HOSTS = [f"news-{i:02d}.bench.test" for i in range(1, 41)]
LIMITED_HOST = "limited.bench.test"
ADDRESSES = {name: f"127.0.0.{i + 2}" for i, name in enumerate([*HOSTS, LIMITED_HOST])}
CONCURRENCY = 100


def build_urls(port: int, count: int) -> list[str]:
    """A web-like mix: mostly articles, some redirects, 404s, soft 404s, slow pages, 429s."""
    urls = [f"http://{LIMITED_HOST}:{port}/limited/{n}" for n in range(20)]
    for n in range(count - len(urls)):
        host = HOSTS[n % len(HOSTS)]
        r = n % 100
        if r < 4:
            path = f"/moved/{n}"
        elif r < 7:
            path = f"/found/{n}"
        elif r < 11:
            path = f"/gone/{n}"
        elif r < 12:
            path = f"/soft404/{n}"
        elif r < 14:
            path = f"/slow/{n}?ms=200"
        else:
            path = f"/ok/{n}"
        urls.append(f"http://{host}:{port}{path}")
    return urls


def pin_getaddrinfo() -> None:
    """Resolve the bench names from the table; refuse every other name (no DNS traffic)."""
    real = socket.getaddrinfo

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        name = host.decode() if isinstance(host, bytes) else host
        address = ADDRESSES.get((name or "").rstrip(".").lower())
        if address is None:
            if name and (name.startswith("127.") or name in ("localhost", "::1")):
                return real(host, port, family, type, proto, flags)
            raise socket.gaierror(socket.EAI_NONAME, f"{name} is not a bench host")
        return real(address, port, family, type, proto, flags)

    socket.getaddrinfo = getaddrinfo


# --- The three contenders ---------------------------------------------------------------


async def _bare_aiohttp(urls: list[str]) -> int:
    import aiohttp

    done = 0
    semaphore = asyncio.Semaphore(CONCURRENCY)
    connector = aiohttp.TCPConnector(limit=CONCURRENCY, ttl_dns_cache=300)
    timeout = aiohttp.ClientTimeout(sock_connect=5, sock_read=15)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def one(url: str) -> None:
            nonlocal done
            async with semaphore:
                try:
                    async with session.get(url) as response:
                        await response.read()
                        done += 1
                except aiohttp.ClientError:
                    pass

        await asyncio.gather(*(one(u) for u in urls))
    return done


async def _bare_httpx(urls: list[str]) -> int:
    import httpx

    done = 0
    semaphore = asyncio.Semaphore(CONCURRENCY)
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(limits=limits, follow_redirects=True, timeout=15,
                                 trust_env=False) as client:

        async def one(url: str) -> None:
            nonlocal done
            async with semaphore:
                try:
                    response = await client.get(url)
                    await response.aread()
                    done += 1
                except httpx.HTTPError:
                    pass

        await asyncio.gather(*(one(u) for u in urls))
    return done


CPU_PER_LINK: dict[str, list[float]] = {}  # side -> CPU microseconds per link, per round
# The PostgreSQL backends' CPU for the project (not the bench's own progress polls).
DATABASE_CPU_PER_LINK: dict[str, list[float]] = {}


def run_bare(urls: list[str], client: str, cpus: str | None = None) -> tuple[float, int]:
    before = os.sched_getaffinity(0)
    if cpus:
        os.sched_setaffinity(0, {int(c) for c in cpus.split(",")})
    try:
        started = time.perf_counter()
        cpu = time.process_time()
        done = asyncio.run(_bare_aiohttp(urls) if client == "aiohttp" else _bare_httpx(urls))
        CPU_PER_LINK.setdefault(f"bare {client}", []).append(
            (time.process_time() - cpu) / len(urls) * 1e6)
        return len(urls) / (time.perf_counter() - started), done
    finally:
        os.sched_setaffinity(0, before)


def summarize_profile(path: Path, top: int = 18) -> str:
    """py-spy's raw (collapsed) stacks -> where the worker's samples went."""
    own: dict[str, int] = {}
    inside: dict[str, int] = {}
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        frames = [f.split(" (")[0] for f in stack.split(";")]
        if any(f in ("select", "epoll_wait", "poll", "wait", "_wait_for_tstate_lock")
               for f in frames[-1:]):
            continue  # idle: waiting on sockets or locks
        total += n
        own[frames[-1]] = own.get(frames[-1], 0) + n
        for frame in set(frames):
            inside[frame] = inside.get(frame, 0) + n
    lines = [f"busy samples: {total}", "self time (top):"]
    for name, n in sorted(own.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"  {100 * n / total:5.1f}%  {name}")
    lines.append("inclusive, chosen steps:")
    for name in ("check_link", "read_page", "main_text_hash", "classify", "record",
                 "lease_due", "renew", "_update_links", "_insert_history", "fetch_document",
                 "extract", "find_date", "document_fromstring", "flush"):
        if name in inside:
            lines.append(f"  {100 * inside[name] / total:5.1f}%  {name}")
    return "\n".join(lines)


def run_linkchecker(urls: list[str], workdir: Path, cpus: str | None = None) -> tuple[float, int]:
    config = workdir / "linkcheckerrc"
    config.write_text(
        "[checking]\nthreads=100\nmaxrequestspersecond=1000\nrecursionlevel=0\n"
        "timeout=15\nrobotstxt=0\n[output]\nstatus=0\nwarnings=0\n"
    )
    # The same fixed name table, installed before linkchecker starts.
    wrapper = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); from bench.links import "
        "pin_getaddrinfo; pin_getaddrinfo(); from linkcheck.command.linkchecker import "
        "linkchecker; sys.argv[0] = 'linkchecker'; sys.exit(linkchecker())"
    )
    started = time.perf_counter()
    cpu = os.times()
    # CSV on stdout: linkchecker drops root privileges, so it may not open our files.
    done = subprocess.run(
        [*pinned(cpus), sys.executable, "-c", wrapper, "-f", str(config), "--stdin",
         "--no-status",
         "--no-warnings", "--verbose", "-o", "csv"],
        input="\n".join(urls).encode(), cwd=workdir, capture_output=True,
        env={**os.environ, "HOME": str(workdir)},
    )
    elapsed = time.perf_counter() - started
    after = os.times()
    CPU_PER_LINK.setdefault("linkchecker", []).append(
        (after.children_user + after.children_system - cpu.children_user
         - cpu.children_system) / len(urls) * 1e6)
    (workdir / "linkchecker.log").write_bytes(done.stderr)
    checked = sum(1 for line in done.stdout.decode(errors="replace").splitlines()
                  if line.startswith("http://"))
    return len(urls) / elapsed, checked


def forget_checks(*, keep_pages: bool = False) -> None:
    """Every link due again, as never checked (or, with keep_pages, with what the last pass
    learned of its page: a running system's repeat pass). One reset for every links bench,
    so that none forgets a column a later cut adds (body_hash: a page whose hash is kept
    is not read again, which would flatter a "first" pass)."""
    from django.db import connection
    from django.utils import timezone

    from sources.models import Link, LinkCheck

    LinkCheck.objects.all().delete()
    if keep_pages:
        Link.objects.update(last_checked_at=None, next_check_at=timezone.now(),
                            lease_until=None, lease_token=None)
    else:
        Link.objects.update(
            health="unchecked", last_checked_at=None, next_check_at=timezone.now(),
            content_hash="", body_hash="", etag="", last_modified="", title="",
            http_status=None, consecutive_failures=0, first_failure_at=None,
            check_interval=None, lease_until=None, lease_token=None, content_changed_at=None,
        )
    # The mass reset leaves a dead row per link and statistics that say nothing is
    # due; autovacuum would fix both on a live system, mid-run here. Every round
    # starts from the same tidy table instead.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE sources_link, sources_linkcheck")


class Project:
    """This project's worker over the bench database and Redis."""

    def __init__(self, services: Services, env: dict) -> None:
        self.services = services
        self.env = env
        self.first_count = 1

    def load(self, urls: list[str]) -> None:
        from sources.models import Link, LinkCheck

        LinkCheck.objects.all().delete()
        Link.objects.all().delete()
        Link.objects.bulk_create(
            [Link(url=u, host=urlsplit(u).hostname) for u in urls], batch_size=2000
        )

    def reset(self, *, keep_pages: bool = False) -> None:
        forget_checks(keep_pages=keep_pages)

    def run(self, total: int, *, processes: int = 2, cpus: str | None = None,
            profile: Path | None = None, repeat_pass: bool = False,
            name: str = "project") -> tuple[float, int, dict]:
        from django.core.cache import cache
        from django.db import connection
        from django.db.models import Count, Q

        from sources.models import Link
        from sources.tasks import refresh_due_links

        self.reset(keep_pages=repeat_pass)
        cache.clear()
        # One wake-up per worker process, so every process claims from the lease table.
        env = {**self.env, "LINKS_WAKE_TASKS": str(processes)}
        worker = self.services.start(
            [*pinned(cpus), sys.executable, "-m", "celery", "-A", "factcheck", "worker",
             "--concurrency", str(processes), "--without-mingle", "--without-gossip", "-l",
             "INFO", "-n", f"bench-{time.monotonic_ns()}@localhost"],
            env=env, log=f"worker-{time.monotonic_ns()}.log", ready=" ready.",
        )
        time.sleep(1)  # the worker's boot is not the refresh
        spy = None
        if profile is not None:
            spy = subprocess.Popen(
                [str(Path(sys.executable).parent / "py-spy"), "record", "--subprocesses",
                 "--nonblocking", "-r", "200", "-f", "raw", "-o", str(profile),
                 "-p", str(worker.pid)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started = time.perf_counter()
        cpu = tree_cpu_seconds(worker.pid)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            own_backend = cursor.fetchone()[0]
        db_cpu = DatabaseCPU(urlsplit(self.env["DATABASE_URL"]).path.lstrip("/"),
                             besides=own_backend)
        before = Link.objects.values("next_check_at").order_by("-next_check_at")[0]
        refresh_due_links.delay()  # what beat does every LINKS_BEAT_SECONDS
        processed = 0
        while processed < total:
            time.sleep(0.1)  # the end is seen within 0.1 s: at 2,000 links/s that is 4 %
            db_cpu.sample()
            processed = Link.objects.filter(
                Q(last_checked_at__isnull=False)
                | Q(next_check_at__gt=before["next_check_at"], last_checked_at__isnull=True)
            ).count()
            if time.perf_counter() - started > 600:
                break
        elapsed = time.perf_counter() - started
        CPU_PER_LINK.setdefault(name, []).append(
            (tree_cpu_seconds(worker.pid) - cpu) / max(processed, 1) * 1e6)
        DATABASE_CPU_PER_LINK.setdefault(name, []).append(
            db_cpu.seconds() / max(processed, 1) * 1e6)
        if spy is not None:
            spy.send_signal(signal.SIGINT)
            spy.wait(60)
        self.services.stop(worker)
        outcomes = dict(
            Link.objects.values_list("last_outcome").annotate(n=Count("id")).order_by()
        )
        return processed / elapsed, processed, outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--urls", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-linkchecker", action="store_true")
    parser.add_argument("--cpus", default=None,
                        help="Pin every measured side (worker, bare loop, linkchecker) to "
                             "these cores, e.g. 1; the farm then runs on the others.")
    parser.add_argument("--processes", default="2",
                        help="Worker processes for the project, e.g. 1,2,4 (scale-out).")
    parser.add_argument("--repeat-pass", action="store_true",
                        help="After each project run, a second pass over the same, unchanged "
                             "pages, keeping what the first learned (a running system's usual "
                             "pass), reported as 'project, again'.")
    parser.add_argument("--profile", action="store_true",
                        help="Record the worker with py-spy during the first project run.")
    args = parser.parse_args()
    process_counts = [int(p) for p in args.processes.split(",")]
    farm_cpus = other_cpus(args.cpus)
    base_db = require_postgres()
    workdir = Path(tempfile.mkdtemp(prefix="bench-links-"))
    services = Services(workdir)
    # A timeout's SIGTERM still stops the servers and the worker this run started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        farm_port = free_port()
        services.start([*pinned(farm_cpus), sys.executable, "-m", "bench.fastfarm",
                        str(farm_port),
                        *ADDRESSES.values()], log="farm.log", ready='"port"')
        redis_port = start_redis(services, workdir)
        # Only the tables a refresh touches: the bench measures links, nothing else.
        db_url = fresh_database(base_db, apps=("sources",))
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "LINKS_STATIC_HOSTS": ",".join(f"{n}={a}" for n, a in ADDRESSES.items()),
            "LINKS_ALLOWED_PRIVATE_HOSTS": ",".join(ADDRESSES),
            "LINKS_ALLOWED_PORTS": f"80,443,{farm_port}",
            "LINKS_ARCHIVE_ENDPOINT": f"http://{HOSTS[0]}:{farm_port}/wayback",
            "LINKS_CHECK_ON_COMMIT": "0",
            "LINKS_CONCURRENCY": str(CONCURRENCY),
            "LOG_LEVEL": "WARNING",
            # As deployed (docker-compose.yml): with DEBUG on, Django records every
            # query the worker sends (CursorDebugWrapper), which no desk pays.
            "DEBUG": "0",
        }
        setup_django(env)
        pin_getaddrinfo()

        urls = build_urls(farm_port, args.urls)
        project = Project(services, env)
        project.first_count = process_counts[0]
        project.load(urls)
        results: dict[str, list[float]] = {}
        notes: dict[str, str] = {}
        for round_ in range(args.repeat):
            rate, done = run_bare(urls, "aiohttp", args.cpus)
            results.setdefault("bare aiohttp", []).append(rate)
            notes["bare aiohttp"] = f"{done} answers"
            sample = urls[: min(len(urls), 1000)]
            rate, done = run_bare(sample, "httpx", args.cpus)
            results.setdefault("bare httpx", []).append(rate)
            notes["bare httpx"] = f"{done} answers (first {len(sample)} URLs)"
            if not args.skip_linkchecker:
                rate, done = run_linkchecker(urls, workdir, args.cpus)
                results.setdefault("linkchecker", []).append(rate)
                notes["linkchecker"] = f"{done} results"
            for count in process_counts:
                name = "project" if count == process_counts[0] else f"project ×{count}"
                profiling = args.profile and round_ == 0 and count == process_counts[0]
                passes = [(name, False)]
                if args.repeat_pass:
                    passes.append((f"{name}, again", True))
                for side, repeat_pass in passes:
                    profile = workdir / f"worker-{int(repeat_pass)}.pyspy" if profiling else None
                    rate, done, outcomes = project.run(
                        len(urls), processes=count, cpus=args.cpus, profile=profile,
                        repeat_pass=repeat_pass, name=side)
                    results.setdefault(side, []).append(rate)
                    notes[side] = f"{count} process(es), {done} links recorded: " + ", ".join(
                        f"{k or 'deferred'} {v}"
                        for k, v in sorted(outcomes.items(), key=lambda kv: -kv[1])[:4])
                    if profile is not None and profile.exists():
                        print(f"{side}, py-spy:", summarize_profile(profile), sep="\n",
                              flush=True)
            print(f"round {round_ + 1}: " + ", ".join(
                f"{k} {v[-1]:.0f}/s" for k, v in results.items()), flush=True)

        median = {k: statistics.median(v) for k, v in results.items()}
        print()
        print(f"# bench/links.py — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
              f"{os.cpu_count()} cores, {platform.python_version()}, {len(urls)} URLs on "
              f"{len(ADDRESSES)} hosts, median of {args.repeat}, measured sides pinned to "
              f"cores {args.cpus or 'any'}, load average {os.getloadavg()[0]:.2f}")
        cpu_median = {k: statistics.median(v) for k, v in CPU_PER_LINK.items()}
        db_median = {k: statistics.median(v) for k, v in DATABASE_CPU_PER_LINK.items()}
        for name, value in median.items():
            cpu_text = f"{cpu_median[name]:6.0f} µs CPU/link" if name in cpu_median else ""
            if name in db_median:
                cpu_text += f" + {db_median[name]:.0f} µs in PostgreSQL"
            print(f"{name:<14} {value:8.0f} links/s  {cpu_text}  ({notes[name]})")
        print()
        if "linkchecker" in median:
            print(f"project / linkchecker   {median['project'] / median['linkchecker']:.2f}x"
                  "   (target ≥ 3)")
        print(f"project / bare aiohttp  {median['project'] / median['bare aiohttp']:.2f}x"
              "   (target ≥ 0.5)")
        if "project, again" in median:
            print(f"project, again / bare aiohttp  "
                  f"{median['project, again'] / median['bare aiohttp']:.2f}x"
                  "   (a repeat pass over unchanged pages)")
        print(f"CPU per link, bare / project  "
              f"{cpu_median['bare aiohttp'] / cpu_median['project']:.2f}x"
              "   (the same ratio by CPU spent, steadier under load)")
        for count in process_counts[1:]:
            ratio = median[f"project ×{count}"] / median["project"]
            print(f"{count} processes / {process_counts[0]}    {ratio:.2f}x")
        print(f"aiohttp / httpx         {median['bare aiohttp'] / median['bare httpx']:.2f}x"
              "   (why the client is aiohttp)")
        print(json.dumps({"median_links_per_s": {k: round(v) for k, v in median.items()},
                          "median_cpu_us_per_link": {k: round(v) for k, v in cpu_median.items()},
                          "median_postgresql_cpu_us_per_link": {
                              k: round(v) for k, v in db_median.items()},
                          "load_average": os.getloadavg()}))
    finally:
        services.stop_all()


if __name__ == "__main__":
    main()
