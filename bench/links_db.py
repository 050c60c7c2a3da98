"""PostgreSQL's CPU per link of the claim + record loop alone: no network, no worker.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fc_links .venv/bin/python bench/links_db.py

Makes a fresh `<name>_bench` database (sources only), loads --links links on 40
hosts, then per round: every link due, and `lease_due` / `record` in a loop (each
result an OK page with metadata, as most of bench/links.py's are) until none is
left. Prints the CPU the database backend spent per link (from /proc: the
server must run on this machine), the loop's own CPU, and the tables' insert /
update / HOT-update counts. bench/links.py measures the same PostgreSQL work
inside a real refresh, where the farm and the worker share the machine with it;
this one isolates it (docs/benchmarks.md, issue 14).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.links import forget_checks  # noqa: E402
from bench.stack import fresh_database, require_postgres, setup_django  # noqa: E402


def backend_cpu_seconds() -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_round(batch: int) -> tuple[int, float, float]:
    """(links recorded, database CPU seconds, this process's CPU seconds)."""
    from sources.checking import CheckResult, PageMetadata
    from sources.models import Outcome
    from sources.scheduling import lease_due, record

    database, own = backend_cpu_seconds(), time.process_time()
    done = 0
    while leased := lease_due(batch, per_host=batch * 10):
        results = []
        for item in leased:
            n = item.state.id
            page = PageMetadata(title=f"Story {n}", site_name="News", language="en",
                                content_hash=f"{n:064x}")
            results.append((item, CheckResult(outcome=Outcome.OK, http_status=200,
                                              final_url=item.state.url, latency_ms=12,
                                              metadata=page)))
        done += len(record(results))
    return done, backend_cpu_seconds() - database, time.process_time() - own


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--links", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=100, help="Links per claim.")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    url = fresh_database(require_postgres(), apps=("sources",))
    setup_django({"DATABASE_URL": url, "LOG_LEVEL": "WARNING", "DEBUG": "0"})  # as deployed
    from django.db import connection

    from sources.models import Link

    hosts = [f"news-{i:02d}.bench.test" for i in range(40)]
    Link.objects.bulk_create(
        [Link(url=f"http://{hosts[n % 40]}/ok/{n}", host=hosts[n % 40])
         for n in range(args.links)], batch_size=5000)
    per_link = []
    for round_ in range(args.repeat):
        forget_checks()
        done, database, own = one_round(args.batch)
        per_link.append(database / done * 1e6)
        print(f"round {round_ + 1}: {done} links, PostgreSQL {per_link[-1]:.0f} µs/link, "
              f"this process {own / done * 1e6:.0f} µs/link", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd FROM"
                       " pg_stat_user_tables WHERE relname LIKE 'sources_link%' ORDER BY 1")
        for name, inserted, updated, hot in cursor.fetchall():
            print(f"{name}: {inserted} inserted, {updated} updated ({hot} HOT)")
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {args.links} links, "
          f"claims of {args.batch}, median of {args.repeat}: PostgreSQL "
          f"{statistics.median(per_link):.0f} µs CPU per link; load average "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
