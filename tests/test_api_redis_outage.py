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


# --- a real outage under load: our own Redis, gunicorn and Celery, killed and restarted ---

OUTAGE_SECONDS = float(os.environ.get("REDIS_OUTAGE_SECONDS", "30"))
CLIENTS = 4


class Load:
    """Newsroom clients hammering a live server with reads and writes, counting answers."""

    def __init__(self, base: str, read_key: str, write_key: str) -> None:
        import threading

        self.base, self.read_key, self.write_key = base, read_key, write_key
        self.stop = threading.Event()
        self.phase = "before"
        self.answers: list[tuple[str, str, int]] = []  # (phase, request, status)
        self.lock = threading.Lock()

    def note(self, what: str, status: int) -> None:
        with self.lock:
            self.answers.append((self.phase, what, status))

    def client(self, n: int) -> None:
        import requests

        read = requests.Session()
        read.headers["Authorization"] = f"Bearer {self.read_key}"
        write = requests.Session()
        write.headers["Authorization"] = f"Bearer {self.write_key}"
        while not self.stop.is_set():
            for what, call in [
                ("list", lambda: read.get(f"{self.base}/api/v1/claims/", timeout=30)),
                ("search", lambda: write.get(f"{self.base}/api/v1/claims/?q=Seul", timeout=30)),
                ("create", lambda: write.post(f"{self.base}/api/v1/claims/",
                                              json=claim_body(), timeout=30)),
                ("sources", lambda: read.get(f"{self.base}/api/v1/sources/", timeout=30)),
            ]:
                response = call()
                self.note(what, response.status_code)
                if what == "create" and response.status_code == 201:
                    claim = response.json()
                    edited = write.patch(f"{self.base}/api/v1/claims/{claim['id']}/",
                                         json={"summary_en": f"edited by {n}"},
                                         headers={"If-Match": f'"{claim["version"]}"'},
                                         timeout=30)
                    self.note("edit", edited.status_code)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_redis_outage_under_a_load_of_reads_and_writes_loses_nothing(
        tmp_path, settings, api_key):
    """Redis killed for OUTAGE_SECONDS (the issue's 30 s) while four clients read and write
    through gunicorn: no 5xx, /healthz says degraded and then ok, and every task the
    writes queued (outbox rows) runs on the worker once Redis is back."""
    import subprocess
    import sys
    import threading

    import requests

    from .linkfarm import free_port
    from .services import ROOT, CeleryProcess, database_url, wait_for_port, wait_until

    kcna()
    read_key, write_key = api_key("read"), api_key("write")
    redis = RedisServer(tmp_path)
    redis.start()
    port = free_port()
    env = {
        **os.environ, "DATABASE_URL": database_url(settings.DATABASES["default"]),
        "REDIS_URL": redis.url, "LINKS_CHECK_ON_COMMIT": "0", "DB_CONN_MAX_AGE": "0",
        "OUTBOX_RETRY_SECONDS": "1", "OUTBOX_RETRY_MAX_SECONDS": "3",
        "OUTBOX_SWEEP_SECONDS": "1", "LINKS_BEAT_SECONDS": "600",
        "API_RATE_READ": "100000", "API_RATE_WRITE": "100000",
    }
    web_log = tmp_path / "gunicorn.log"
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "factcheck.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "2", "--threads", "4", "--timeout", "120"],
        cwd=ROOT, env=env, stdout=web_log.open("ab"), stderr=subprocess.STDOUT,
        start_new_session=True)
    worker = CeleryProcess("worker", env, tmp_path)
    beat = CeleryProcess("beat", env, tmp_path)
    base = f"http://127.0.0.1:{port}"
    load = Load(base, read_key, write_key)
    clients = [threading.Thread(target=load.client, args=(n,)) for n in range(CLIENTS)]
    logs = [web_log, worker.log, beat.log]
    try:
        wait_for_port(port, timeout=60)
        worker.start()
        beat.start()
        assert requests.get(f"{base}/healthz", timeout=30).json()["checks"]["redis"]["ok"]
        for thread in clients:
            thread.start()
        time.sleep(5)

        load.phase = "outage"
        redis.kill()
        outage_started = time.monotonic()
        health_during = []
        while time.monotonic() - outage_started < OUTAGE_SECONDS:
            response = requests.get(f"{base}/healthz", timeout=30)
            health_during.append((response.status_code, response.json()))
            time.sleep(3)
        # What the writes during the outage left for the workers (and what was
        # queued in the Redis that died with it).
        queued_in_outage = set(Message.objects.values_list("pk", flat=True))

        redis.start()  # same port, empty: whatever it held is gone
        load.phase = "after"
        time.sleep(10)
        load.stop.set()
        for thread in clients:
            thread.join(60)

        wait_until(lambda: not Message.objects.filter(pk__in=queued_in_outage).exists(), 120,
                   "every task queued during the outage to run", logs)
        health_after = requests.get(f"{base}/healthz", timeout=30).json()
    finally:
        load.stop.set()
        worker.stop()
        beat.stop()
        if web.poll() is None:
            os.killpg(web.pid, signal.SIGTERM)
            web.wait(30)
        redis.kill()

    server_errors = [a for a in load.answers if a[2] >= 500]
    assert server_errors == [], server_errors[:20]
    during = [a for a in load.answers if a[0] == "outage"]
    assert {what for _, what, _ in during} >= {"list", "create", "edit"}
    assert all(status in (200, 201) for _, _, status in load.answers), \
        sorted({a for a in load.answers if a[2] not in (200, 201)})
    assert queued_in_outage, "the writes during the outage queued no task: nothing was tested"
    assert health_during and all(code == 200 for code, _ in health_during)
    assert all(body["degraded"] and not body["checks"]["redis"]["ok"]
               for _, body in health_during), health_during
    assert health_after["checks"]["redis"]["ok"] and not health_after["degraded"], health_after
    counts = {phase: sum(1 for a in load.answers if a[0] == phase)
              for phase in ("before", "outage", "after")}
    print(f"redis outage {OUTAGE_SECONDS:.0f} s: requests {counts}, "
          f"tasks queued during it {len(queued_in_outage)}, all ran, 0 5xx")
