"""Where a link check's CPU goes: the same URLs through more and more of the project's code.

    .venv/bin/python bench/links_layers.py --urls 5000 --repeat 3 --cpus 1

One process on the measured core (the farm of bench/links.py on the others), no
database, no Celery; every layer runs the same URLs, 100 at a time, and prints
the CPU it spent per link (process_time), in rounds, then the median:

  bare      the bare aiohttp loop of bench/links.py (the ceiling)
  session   the guarded SafeClient's aiohttp session: GET and read, nothing else
  fetch     SafeClient.fetch: the URL policy per hop, the overall timeout, redirects
            followed by hand, the body read within the size limit, a Document
  check     sources.checking.check_link: fetch plus classify (the page read, soft 404)

What bench/links.py's worker spends beyond `check` is the refresh itself: leases,
results, the database thread (docs/benchmarks.md, "Where a link's CPU goes").
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import links as bench_links  # noqa: E402
from bench.stack import Services, free_port, other_cpus, pinned, setup_django, uptime  # noqa: E402

LAYERS = ("bare", "session", "fetch", "check")


async def _through(layer: str, urls: list[str]) -> None:
    from sources.checking import LinkState, check_link
    from sources.safehttp import FetchError, Policy, SafeClient, UnsafeURL

    slots = asyncio.Semaphore(bench_links.CONCURRENCY)
    async with SafeClient(Policy.from_settings()) as client:

        async def one(n: int, url: str) -> None:
            async with slots:
                if layer == "session":
                    async with client._session.get(url) as response:
                        await response.read()
                elif layer == "fetch":
                    with contextlib.suppress(FetchError, UnsafeURL):
                        await client.fetch(url, truncate=True)
                else:
                    await check_link(client, LinkState(id=n, url=url))

        await asyncio.gather(*(one(n, url) for n, url in enumerate(urls)))


def cpu_per_link(layer: str, urls: list[str]) -> tuple[float, float]:
    """(links per second, CPU microseconds per link) for one pass of `layer`."""
    started, cpu = time.perf_counter(), time.process_time()
    if layer == "bare":
        asyncio.run(bench_links._bare_aiohttp(urls))
    else:
        asyncio.run(_through(layer, urls))
    elapsed = time.perf_counter() - started
    return len(urls) / elapsed, (time.process_time() - cpu) / len(urls) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--urls", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cpus", default="1",
                        help="The measured core(s); the farm gets the others.")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-layers-"))
    services = Services(workdir)
    print(f"# uptime before: {uptime()}", flush=True)
    try:
        port = free_port()
        services.start([*pinned(other_cpus(args.cpus)), sys.executable, "-m", "bench.fastfarm",
                        str(port), *bench_links.ADDRESSES.values()],
                       log="farm.log", ready='"port"')
        setup_django({
            # Settings only: nothing here opens the database.
            "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://localhost/unused"),
            "LINKS_STATIC_HOSTS": ",".join(f"{n}={a}" for n, a in bench_links.ADDRESSES.items()),
            "LINKS_ALLOWED_PRIVATE_HOSTS": ",".join(bench_links.ADDRESSES),
            "LINKS_ALLOWED_PORTS": f"80,443,{port}",
            "LINKS_CONCURRENCY": str(bench_links.CONCURRENCY),
        })
        bench_links.pin_getaddrinfo()  # the bare loop resolves through the same table
        if args.cpus:
            os.sched_setaffinity(0, {int(c) for c in args.cpus.split(",")})
        urls = bench_links.build_urls(port, args.urls)
        gc.collect()
        gc.freeze()  # as a worker process does at boot (factcheck/celery.py)
        cpu: dict[str, list[float]] = {layer: [] for layer in LAYERS}
        rate: dict[str, list[float]] = {layer: [] for layer in LAYERS}
        for round_ in range(args.repeat):
            for layer in LAYERS:
                links_per_s, us = cpu_per_link(layer, urls)
                rate[layer].append(links_per_s)
                cpu[layer].append(us)
            print(f"round {round_ + 1}: " + ", ".join(
                f"{layer} {cpu[layer][-1]:.0f} µs" for layer in LAYERS), flush=True)
        print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
              f"{len(urls)} URLs, median of {args.repeat}, pinned to cores {args.cpus}; "
              f"uptime after: {uptime()}")
        previous = None
        for layer in LAYERS:
            us = statistics.median(cpu[layer])
            added = f"   ({us - previous:+.0f})" if previous is not None else ""
            print(f"{layer:<8} {statistics.median(rate[layer]):7.0f} links/s "
                  f"{us:6.0f} µs CPU/link{added}")
            previous = us
    finally:
        services.stop_all()


if __name__ == "__main__":
    main()
