"""Redis gone or hanging: the API keeps reading and writing, tasks wait in the outbox,
/healthz says so. A Redis of our own on a free port is killed or stopped (SIGSTOP);
the shared one is never touched."""

import os
import signal
import time

import pytest

from claims.models import Claim
from factcheck.celery import app
from factcheck.outbox.models import Message
from newsrooms import throttles

from .api_data import claim_body, kcna
from .services import RedisServer

# A request while Redis is away may spend the cache's socket timeout (0.25 s) once per
# throttle retry period and the broker's (about 2 s: a connect and one retry) once
# per send-retry period; the rest go straight on. Before, one write waited 16 s on a
# hung Redis (three sends on commit) and a stopped Redis held it forever. Liveness
# bounds, generous for a loaded machine, not speed measurements.
SLOW = 6.0
ALL_REQUESTS = 25.0


def _point_at(url: str, settings) -> None:
    settings.REDIS_URL = url
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
        "KEY_PREFIX": "outage-test",
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
    }}
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None
    throttles.counter.redis_down_until = 0.0
    app.broker_down_until = 0.0


@pytest.fixture
def own_redis(tmp_path, settings):
    server = RedisServer(tmp_path)
    server.start()
    before = app.conf.broker_url
    _point_at(server.url, settings)
    yield server
    if server.proc and server.proc.poll() is None:
        os.kill(server.proc.pid, signal.SIGCONT)
    server.kill()
    app.conf.broker_url = before
    app._pool = None
    app.amqp._producer_pool = None
    throttles.counter.redis_down_until = 0.0
    app.broker_down_until = 0.0


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def exercise(read_api, write_api) -> None:
    """Reads and writes through the API, each answered, none slow."""
    spent = 0.0
    kcna()
    for call, ok in [
        (lambda: read_api.get("/api/v1/claims/"), 200),
        (lambda: write_api.get("/api/v1/claims/?q=Seul"), 200),
        (lambda: write_api.post("/api/v1/claims/", claim_body(), format="json"), 201),
    ] * 3:
        response, seconds = timed(call)
        spent += seconds
        assert response.status_code == ok, response.content
        assert seconds < SLOW, seconds
    claim = Claim.objects.latest("id")
    for call in [
        lambda: write_api.patch(f"/api/v1/claims/{claim.pk}/", {"summary_en": "edited"},
                                format="json", HTTP_IF_MATCH=f'"{claim.version}"'),
        lambda: write_api.post(f"/api/v1/claims/{claim.pk}/status/", {"to": "in_review"},
                               format="json"),
        lambda: read_api.get("/api/v1/sources/"),
    ]:
        response, seconds = timed(call)
        spent += seconds
        assert response.status_code == 200, response.content
        assert seconds < SLOW, seconds
    assert spent < ALL_REQUESTS, spent


def health(client, server):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    text = response.content.decode()
    assert str(server.port) not in text and "127.0.0.1" not in text and "Error" not in text
    return body


@pytest.mark.django_db(transaction=True)
def test_with_redis_refusing_connections_reads_and_writes_go_on(
        own_redis, read_api, write_api, client):
    assert health(client, own_redis)["checks"]["redis"] == {"ok": True}
    own_redis.kill()
    exercise(read_api, write_api)
    # The tasks the writes needed wait in PostgreSQL for the sweep: none lost.
    assert Message.objects.exists()
    body = health(client, own_redis)
    assert body["degraded"] is True and body["status"] == "degraded"
    assert body["checks"]["redis"]["ok"] is False and body["checks"]["database"]["ok"]


@pytest.mark.django_db(transaction=True)
def test_with_redis_hanging_reads_and_writes_go_on(own_redis, read_api, write_api, client):
    os.kill(own_redis.proc.pid, signal.SIGSTOP)
    exercise(read_api, write_api)
    assert Message.objects.exists()
    body, seconds = timed(lambda: health(client, own_redis))
    assert body["checks"]["redis"]["ok"] is False and seconds < SLOW


@pytest.mark.django_db
def test_throttling_still_holds_per_process_while_redis_is_away(own_redis, api_key, api_client):
    client = api_client(api_key("read", rate_per_minute=3))
    own_redis.kill()
    codes = [client.get("/api/v1/sources/").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]


def test_the_local_fallback_table_stays_bounded():
    table = throttles.LocalCounter(max_keys=100)
    for i in range(1000):
        table.incr(f"api-throttle:k{i}:7", 7)
    assert len(table.counts) <= 100
    assert table.incr("api-throttle:k999:7", 7) == 2
