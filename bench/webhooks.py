"""Webhook delivery: latency from commit to a local receiver, and throughput.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fc_webhooks .venv/bin/python bench/webhooks.py

Starts, all its own and on loopback: a Redis, a fresh PostgreSQL database, a
receiver (bench/webhook_sink.py, answers 200 to every POST and notes when each
webhook-id first arrived) and real `celery -A factcheck` worker and beat processes.

  latency     one endpoint, an idle worker: claims published one at a time
              (`claims.publication.publish`, the event written in its transaction,
              the wake-up sent on commit); the time from the commit returning to
              the receiver seeing the POST. p50 / p95 / max.
  throughput  --events events, each owed to --endpoints endpoints (rows written as
              the hooks write them, in bulk), delivered by a worker with 1 and then
              2 processes, side by side in one run; deliveries/s, events/s, ratio.

The machine is shared: print `uptime` with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stack import (  # noqa: E402
    Services,
    free_port,
    fresh_database,
    other_cpus,
    pinned,
    require_postgres,
    setup_django,
    start_redis,
    uptime,
)


def arrivals(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/arrivals", timeout=30) as answer:
        return json.loads(answer.read())


def start_worker(services: Services, env: dict, processes: int, cpus: str | None):
    return services.start(
        [*pinned(cpus), sys.executable, "-m", "celery", "-A", "factcheck", "worker",
         "--concurrency", str(processes), "--without-mingle", "--without-gossip", "-l",
         "INFO", "-n", f"bench-{time.monotonic_ns()}@localhost"],
        env={**env, "WEBHOOKS_WAKE_TASKS": str(processes)},
        log=f"worker-{time.monotonic_ns()}.log", ready=" ready.")


def measure_latency(services: Services, env: dict, sink_port: int, count: int,
                    gap: float, cpus: str | None) -> dict:
    from claims.models import Claim
    from claims.publication import publish
    from newsrooms.models import Newsroom
    from webhooks import endpoints
    from webhooks.models import Delivery

    newsroom = Newsroom.objects.create(name="Latency")
    endpoint = endpoints.register(newsroom, url=f"http://127.0.0.1:{sink_port}/latency",
                                  events=["claim.published"])
    worker = start_worker(services, env, 2, cpus)
    beat = services.start([sys.executable, "-m", "celery", "-A", "factcheck", "beat", "-s",
                           str(services.workdir / "beat-schedule"), "-l", "INFO"],
                          env=env, log="beat.log")
    time.sleep(2)  # boot is not delivery
    committed: dict[str, float] = {}
    for n in range(count):
        claim = Claim.objects.create(text=f"Latency claim {n}", language="en")
        publish(claim, actor=None)  # autocommit: committed when this returns
        done = time.time()
        webhook_id = Delivery.objects.filter(endpoint=endpoint).order_by("-id").values_list(
            "webhook_id", flat=True)[0]
        committed[webhook_id] = done
        time.sleep(gap)  # the worker is idle again before the next one
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        seen = arrivals(sink_port)["first"]
        if all(i in seen for i in committed):
            break
        time.sleep(0.5)
    services.stop(beat)
    services.stop(worker)
    seen = arrivals(sink_port)["first"]
    waits = sorted(seen[i] - t for i, t in committed.items() if i in seen)
    missing = len(committed) - len(waits)
    return {
        "events": count, "arrived": len(waits), "missing": missing,
        "p50_ms": round(statistics.median(waits) * 1000, 1),
        "p95_ms": round(waits[int(0.95 * (len(waits) - 1))] * 1000, 1),
        "max_ms": round(waits[-1] * 1000, 1),
    }


def load_backlog(sink_port: int, events: int, endpoint_count: int) -> int:
    """`events` events each owed to every one of `endpoint_count` endpoints, as the hooks write."""
    from datetime import timedelta

    from django.utils import timezone

    from newsrooms.models import Newsroom
    from webhooks import endpoints
    from webhooks.models import Delivery, Event

    newsroom = Newsroom.objects.create(name="Throughput")
    hooks = [endpoints.register(newsroom, url=f"http://127.0.0.1:{sink_port}/hook/{n}",
                                events=["claim.published"]) for n in range(endpoint_count)]
    now = timezone.now()
    made = Event.objects.bulk_create([
        Event(type="claim.published", created_at=now, payload={
            "type": "claim.published", "timestamp": now.isoformat(),
            "data": {"claim": {"id": n, "url": f"/api/v1/claims/{n}/",
                               "text": f"Bench claim {n}: the ministry said 600 were sent.",
                               "language": "en", "status": "unverified", "verdict": None,
                               "published": True}}})
        for n in range(events)], batch_size=5000)
    until = now + timedelta(days=3)
    rows = [Delivery(endpoint=hook, event=event, webhook_id=Delivery.new_webhook_id(),
                     next_attempt_at=now, created_at=now, retry_until=until)
            for event in made for hook in hooks]
    Delivery.objects.bulk_create(rows, batch_size=5000)
    from django.db import connection

    with connection.cursor() as cursor:  # as autovacuum would, after a bulk load
        cursor.execute("ANALYZE webhooks_delivery")
    return len(rows)


def reset_backlog() -> None:
    from django.utils import timezone

    from webhooks.models import Attempt, Delivery

    Attempt.objects.all().delete()
    Delivery.objects.filter(endpoint__newsroom__name="Throughput").update(
        state="pending", attempts=0, next_attempt_at=timezone.now(), delivered_at=None,
        lease_until=None, lease_token=None, last_status_code=None, last_error="")


def measure_throughput(services: Services, env: dict, total: int, processes: int,
                       cpus: str | None) -> dict:
    from webhooks.models import Delivery
    from webhooks.tasks import deliver_due

    reset_backlog()
    worker = start_worker(services, env, processes, cpus)
    time.sleep(1)
    started = time.perf_counter()
    for _ in range(processes):  # one wake-up per process, as the sweep sends
        deliver_due.delay()
    done = 0
    while done < total and time.perf_counter() - started < 1800:
        time.sleep(1)
        done = Delivery.objects.filter(state="delivered",
                                       endpoint__newsroom__name="Throughput").count()
    elapsed = time.perf_counter() - started
    services.stop(worker)
    return {"processes": processes, "delivered": done, "seconds": round(elapsed, 1),
            "deliveries_per_s": round(done / elapsed, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--endpoints", type=int, default=20)
    parser.add_argument("--latency-events", type=int, default=100)
    parser.add_argument("--gap", type=float, default=0.3,
                        help="Seconds between published claims in the latency run.")
    parser.add_argument("--cpus", default=None,
                        help="Pin the workers (both sides) to these cores, e.g. 1; the "
                             "receiver then runs on the others.")
    parser.add_argument("--skip-throughput", action="store_true")
    args = parser.parse_args()
    sink_cpus = other_cpus(args.cpus)
    base_db = require_postgres()
    workdir = Path(tempfile.mkdtemp(prefix="bench-webhooks-"))
    services = Services(workdir)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        sink_port = free_port()
        services.start([*pinned(sink_cpus), sys.executable, "-m", "bench.webhook_sink",
                        str(sink_port)], log="sink.log", ready='"port"')
        redis_port = start_redis(services, workdir)
        db_url = fresh_database(base_db)
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "LINKS_ALLOWED_PRIVATE_HOSTS": "127.0.0.1",
            "LINKS_ALLOWED_PORTS": f"80,443,{sink_port}",
            "LINKS_CHECK_ON_COMMIT": "0",
            "WEBHOOKS_TASK_BUDGET": "1800",
            "LOG_LEVEL": "WARNING",
            # As deployed (docker-compose.yml): with DEBUG on, Django records every
            # query the worker sends (CursorDebugWrapper), which no desk pays.
            "DEBUG": "0",
        }
        setup_django(env)

        print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores; "
              f"load before: {uptime()}")
        latency = measure_latency(services, env, sink_port, args.latency_events, args.gap,
                                  args.cpus)
        print(f"latency, commit → receiver, idle worker (2 processes): {json.dumps(latency)}")
        if not args.skip_throughput:
            total = load_backlog(sink_port, args.events, args.endpoints)
            print(f"throughput: {args.events} events × {args.endpoints} endpoints = "
                  f"{total} deliveries")
            runs = [measure_throughput(services, env, total, n, args.cpus) for n in (1, 2)]
            for run in runs:
                run["events_per_s"] = round(run["deliveries_per_s"] / args.endpoints, 1)
                print(f"  {json.dumps(run)}")
            print(f"  2 processes / 1 process: "
                  f"{runs[1]['deliveries_per_s'] / runs[0]['deliveries_per_s']:.2f}×")
        print(f"load after: {uptime()}")
    finally:
        services.stop_all()


if __name__ == "__main__":
    main()
