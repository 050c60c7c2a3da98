"""/healthz for load balancers, docker-compose and people: each dependency on its own.

    200 {"status": "ok", "degraded": false, "checks": {"database": {"ok": true},
         "redis": {"ok": true}, "workers": {"ok": true, "count": 2},
         "outbox": {"due": 0, "oldest_due_seconds": 0}}}

Only the database makes the app unusable (503). Without Redis the API still
reads and writes (throttling counts per process, tasks wait as outbox rows in
PostgreSQL), and without workers the outbox grows: both are 200 with
"degraded": true, so a load balancer keeps the app in service while the
dashboard says what is wrong. The answer is public, so it names no host, port
or driver error: operators read those in the logs.
"""

import logging
import time

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone

log = logging.getLogger(__name__)

PROBE_TIMEOUT = 0.5
WORKERS_CACHE_SECONDS = 10.0
_workers_seen: dict[str, float | int] = {"at": -1e9, "count": 0}


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any failure at all means "not reachable"
        log.exception("healthz: the database is unreachable")
        return {"ok": False, "error": "unreachable"}
    return {"ok": True}


def _redis() -> dict:
    if not settings.REDIS_URL:
        return {"ok": True, "note": "not configured: tasks run in-process"}
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=PROBE_TIMEOUT,
                                  socket_connect_timeout=PROBE_TIMEOUT)
    try:
        client.ping()
    except Exception:
        log.warning("healthz: Redis is unreachable", exc_info=True)
        return {"ok": False, "error": "unreachable"}
    finally:
        client.close()
    return {"ok": True}


def _workers(redis_ok: bool) -> dict:
    if not settings.REDIS_URL:
        return {"ok": True, "note": "in-process"}
    if not redis_ok:
        return {"ok": False, "error": "unknown: the broker is unreachable"}
    now = time.monotonic()
    # A broadcast ping waits its whole timeout for replies; answering every
    # load-balancer probe with a fresh one would make /healthz slow.
    if now - _workers_seen["at"] > WORKERS_CACHE_SECONDS:
        from factcheck.celery import app

        try:
            replies = app.control.ping(timeout=PROBE_TIMEOUT)
        except Exception:
            log.warning("healthz: worker ping failed", exc_info=True)
            replies = []
        _workers_seen.update(at=now, count=len(replies))
    count = int(_workers_seen["count"])
    return {"ok": count > 0, "count": count} if count else \
        {"ok": False, "count": 0, "error": "no worker answered"}


def _outbox() -> dict:
    from factcheck.outbox.models import Message

    due = Message.objects.due()
    oldest = due.order_by("due_at").values_list("due_at", flat=True).first()
    return {"due": due.count(),
            "oldest_due_seconds": int((timezone.now() - oldest).total_seconds()) if oldest else 0}


def healthz(request: HttpRequest) -> JsonResponse:
    database = _database()
    if not database["ok"]:
        return JsonResponse({"status": "unhealthy", "degraded": True,
                             "checks": {"database": database}}, status=503)
    redis_state = _redis()
    checks = {"database": database, "redis": redis_state,
              "workers": _workers(redis_state["ok"]), "outbox": _outbox()}
    degraded = not (checks["redis"]["ok"] and checks["workers"]["ok"])
    return JsonResponse({"status": "degraded" if degraded else "ok", "degraded": degraded,
                         "checks": checks})
