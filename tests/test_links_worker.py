"""Real Celery worker and beat processes, on their own Redis, against the test database.

Each test starts its own redis-server on a free port, so killing and restarting
it touches nothing shared; the worker and beat are `celery -A factcheck`
subprocesses; the pages come from a local web server in this process.
"""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.db.models import Count

from sources.models import Link, LinkCheck, LinkHealth

from .factories import ClaimFactory, EvidenceFactory
from .linkfarm import FarmThread
from .services import CeleryStack, RedisServer, database_url
from .services import wait_until as _wait_until

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stack(tmp_path, settings):
    """Own Redis + a local web farm + the environment a worker needs to use them."""
    # This process's broker is the shared Redis; the beat finds new links instead.
    settings.LINKS_CHECK_ON_COMMIT = False
    redis = RedisServer(tmp_path)
    redis.start()
    db = settings.DATABASES["default"]  # the test database, which the worker must use
    with FarmThread(("127.0.0.1",)) as farm:
        env = {
            **os.environ,
            "DATABASE_URL": database_url(db),
            "REDIS_URL": redis.url,
            "LINKS_ALLOWED_PRIVATE_HOSTS": "127.0.0.1",
            "LINKS_ALLOWED_PORTS": f"80,443,{farm.port}",
            "LINKS_ARCHIVE_ENDPOINT": farm.url("/wayback"),
            # Leases and beat as deployed (12 s, 5 s): recovery is measured, not staged.
            "LINKS_BATCH_SIZE": "20",
            "LINKS_PER_HOST_CONCURRENCY": "10",
            "LINKS_ARCHIVE_PER_MINUTE": "1000",
            "DB_CONN_MAX_AGE": "0",
        }
        celery = CeleryStack(env, tmp_path)
        yield type("Stack", (), {"redis": redis, "farm": farm, "start": celery.start,
                                 "logs": celery.logs})
        celery.stop_all()
        redis.kill()


def _cite(farm, paths):
    claim = ClaimFactory()
    for path in paths:
        EvidenceFactory(claim=claim, link=Link.objects.create(url=farm.url(path)))
    return claim


def _checked() -> int:
    return Link.objects.filter(last_checked_at__isnull=False).count()


def _no_duplicate_history() -> None:
    per_link = LinkCheck.objects.values("link").annotate(n=Count("id"))
    assert {row["n"] for row in per_link} == {1}


def test_a_worker_on_redis_checks_a_claims_links_with_health_metadata_history_and_archive(stack):
    paths = [f"/ok/{n}" for n in range(20)] + ["/moved/1", "/gone/1", "/soft404/1",
                                                "/forbidden/1"]
    claim = _cite(stack.farm, paths)
    archived = stack.farm.url("/ok/3")
    stack.farm.farm.archived[archived] = "https://web.archive.org/web/20240101000000/x"
    stack.start("worker")
    stack.start("beat")

    _wait_until(lambda: _checked() == len(paths), 60, "every link checked", stack.logs)

    links = Link.objects.filter(evidence__claim=claim)
    assert links.filter(health=LinkHealth.OK).count() == 20
    assert links.get(url=stack.farm.url("/moved/1")).health == LinkHealth.REDIRECTED
    assert links.get(url=stack.farm.url("/forbidden/1")).health == LinkHealth.BLOCKED
    assert links.get(url=stack.farm.url("/gone/1")).last_outcome == "gone"
    assert links.get(url=stack.farm.url("/soft404/1")).last_outcome == "soft_404"
    assert links.get(url=stack.farm.url("/ok/7")).title == "Story 7"
    _wait_until(lambda: Link.objects.exclude(archive_checked_at=None).count() == len(paths),
                30, "archive lookups", stack.logs)
    assert links.get(url=archived).archive_url.startswith("https://web.archive.org/")
    _no_duplicate_history()
    assert not Link.objects.leased().exists()


def test_a_worker_killed_mid_batch_loses_no_link_duplicates_no_history_and_recovers_fast(stack):
    paths = [f"/slow/{n}?ms=250" for n in range(150)]
    _cite(stack.farm, paths)
    worker = stack.start("worker")
    stack.start("beat")

    _wait_until(lambda: _checked() >= 15 and Link.objects.leased().exists(), 60,
                "the batch to be under way", stack.logs)
    worker.signal(signal.SIGKILL)  # as the OOM killer would: no cleanup, leases left held
    at_kill = _checked()
    assert at_kill < len(paths), "killed mid-batch, with work left"

    stack.start("worker")  # as compose's restart policy would
    recovery = _wait_until(lambda: _checked() > at_kill, 60, "checking to resume", stack.logs)
    print(f"checking resumed {recovery:.1f}s after the kill")
    assert recovery <= 30, f"checking resumed {recovery:.1f}s after the kill"
    _wait_until(lambda: _checked() == len(paths), 90, "every link checked after restart",
                stack.logs)
    assert LinkCheck.objects.count() == len(paths)
    _no_duplicate_history()


def test_a_redis_restart_during_a_batch_loses_no_link_and_the_busy_worker_rides_it_out(stack):
    # Slow pages and many of them: on a loaded machine the pass must still be
    # running (links leased) when the test gets to look.
    paths = [f"/slow/{n}?ms=500" for n in range(200)]
    _cite(stack.farm, paths)
    worker = stack.start("worker")
    beat = stack.start("beat")

    # The premise, waited for as one condition: a task in flight, the worker busy.
    _wait_until(lambda: _checked() >= 10 and Link.objects.leased().exists(), 60,
                "the batch to start (links checked and others still leased)", stack.logs)
    stack.redis.kill()  # everything queued in Redis is lost: it keeps no data
    time.sleep(1.5)
    stack.redis.start()

    _wait_until(lambda: _checked() == len(paths), 120, "every link checked after the restart",
                stack.logs)
    assert LinkCheck.objects.count() == len(paths)
    _no_duplicate_history()
    log = worker.log.read_text()
    assert "Connection to broker lost" in log, "the blip reached the worker"
    assert "Unrecoverable error" not in log
    assert worker.alive and beat.alive, "no process exited: nothing had to restart them"


# --- PostgreSQL stopped under a running pass -----------------------------------

CREATE_LINKS = """
import django
django.setup()
from sources.models import Link
Link.objects.bulk_create([Link(url=u) for u in {urls!r}])
"""


def test_postgresql_stopped_for_15s_mid_pass_worker_and_beat_recover_without_restarts(
    tmp_path, settings
):
    import psycopg

    from .services import ROOT, PostgresServer

    settings.LINKS_CHECK_ON_COMMIT = False
    pg = PostgresServer()
    redis = RedisServer(tmp_path)
    celery: CeleryStack | None = None
    try:
        pg.init()
        pg.start()
        with psycopg.connect(pg.url("postgres"), autocommit=True) as admin:
            admin.execute("CREATE DATABASE factcheck")
        redis.start()
        with FarmThread(("127.0.0.1",)) as farm:
            env = {
                **os.environ, "DATABASE_URL": pg.url("factcheck"), "REDIS_URL": redis.url,
                "LINKS_ALLOWED_PRIVATE_HOSTS": "127.0.0.1",
                "LINKS_ALLOWED_PORTS": f"80,443,{farm.port}", "LINKS_ARCHIVE_ENABLED": "0",
                "LINKS_PER_HOST_CONCURRENCY": "5", "LINKS_CHECK_ON_COMMIT": "0",
                "DB_CONN_MAX_AGE": "60",
            }

            def manage(*args: str) -> None:
                done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env,
                                      capture_output=True, text=True, timeout=300)
                assert done.returncode == 0, done.stderr[-3000:]

            manage("manage.py", "migrate", "--noinput", "-v0")
            total = 150
            urls = [farm.url(f"/slow/{n}?ms=300") for n in range(total)]
            manage("-c", CREATE_LINKS.format(urls=urls))

            def checked() -> int:
                try:
                    with psycopg.connect(pg.url("factcheck"), connect_timeout=2) as conn:
                        return conn.execute(
                            "SELECT count(*) FROM sources_link WHERE last_checked_at IS NOT NULL"
                        ).fetchone()[0]
                except psycopg.OperationalError:
                    return -1

            celery = CeleryStack(env, tmp_path)
            processes = [celery.start("worker"), celery.start("beat")]
            logs = [p.log for p in processes] + [pg.log]
            _wait_until(lambda: checked() >= 30, 90, "the pass to be under way", logs)

            pg.stop()
            assert checked() == -1, "PostgreSQL is down"
            time.sleep(15)
            pg.start()
            after = _wait_until(lambda: checked() == total, 90, "every link checked", logs)
            print(f"the pass finished {after:.1f}s after PostgreSQL came back")
            assert after <= 30

            with psycopg.connect(pg.url("factcheck")) as conn:
                history, links = conn.execute(
                    "SELECT count(*), count(DISTINCT link_id) FROM sources_linkcheck"
                ).fetchone()
            assert history == links == total, "every link once, none twice"
            assert all(p.alive for p in processes), "no process had to be restarted"
            assert "Unrecoverable error" not in processes[0].log.read_text()
    finally:
        if celery:
            celery.stop_all()
        redis.kill()
        pg.destroy()
