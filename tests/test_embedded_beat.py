"""The embedded default's beat: periodic work runs in the web process without a broker.

`make run` has no `celery beat`. These start `manage.py runserver` on SQLite with
no Redis, as `make run` does, and send it no request at all: a link that comes
due is checked, and a webhook whose receiver failed is retried and delivered,
by the schedule alone. The negative control (EMBEDDED_BEAT=0) leaves both
undone, so the tests fail if the thread does not run.
"""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from factcheck import embedded_beat

from .linkfarm import FarmThread, free_port
from .webhook_receiver import Receiver

ROOT = Path(__file__).resolve().parent.parent

SETUP = """
from claims.models import Claim
from claims.publication import publish
from newsrooms.models import Newsroom
from sources.models import Link
from webhooks import endpoints
from tests.factories import ClaimFactory
Link.objects.create(url={link!r})
newsroom = Newsroom.objects.create(name="Embedded desk")
endpoints.register(newsroom, url={hook!r}, events=["claim.published"])
publish(ClaimFactory(), actor=None)  # delivered in-process on commit: the receiver fails
print("READY")
"""


def _env(tmp_path: Path, port: int, beat: bool) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update({
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PYTHONPATH": str(ROOT),
        "LINKS_ALLOWED_PRIVATE_HOSTS": "127.0.0.1",
        "LINKS_ALLOWED_PORTS": f"80,443,{port}",
        "LINKS_CHECK_ON_COMMIT": "0",
        "LINKS_BEAT_SECONDS": "1",
        "WEBHOOKS_SWEEP_SECONDS": "1",
        "WEBHOOKS_RETRY_BASE_SECONDS": "1",
        "WEBHOOKS_RETRY_MAX_SECONDS": "2",
        "EMBEDDED_BEAT": "1" if beat else "0",
    })
    return env


def _state(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db, timeout=20) as conn:
        checked = conn.execute(
            "SELECT count(*) FROM sources_link WHERE last_checked_at IS NOT NULL").fetchone()[0]
        delivered = conn.execute(
            "SELECT count(*) FROM webhooks_delivery WHERE state = 'delivered'").fetchone()[0]
    return checked, delivered


def _serve_without_requests(tmp_path: Path, beat: bool, seconds: float):
    with FarmThread() as farm, Receiver() as receiver:
        port = farm.port
        env = _env(tmp_path, port, beat)
        env["LINKS_ALLOWED_PORTS"] += f",{receiver.port}"
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, cwd=tmp_path,
                       check=True, timeout=180)
        setup = SETUP.format(link=farm.url("/ok/1"), hook=receiver.url("/flaky/1/hook"))
        done = subprocess.run([*manage, "shell", "-c", setup], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)
        assert "READY" in done.stdout, done.stderr
        assert len(receiver.received) == 1, "the first try went out on commit, and failed"
        assert _state(tmp_path / "db.sqlite3") == (0, 0)

        log = (tmp_path / "server.log").open("wb")
        server = subprocess.Popen(
            [*manage, "runserver", "--noreload", f"127.0.0.1:{free_port()}"],
            env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + seconds
            state = (0, 0)
            while time.monotonic() < deadline and state != (1, 1):
                time.sleep(0.5)
                state = _state(tmp_path / "db.sqlite3")
            return state, [r.webhook_id for r in receiver.received]
        finally:
            server.terminate()
            server.wait(timeout=20)


@pytest.mark.slow
def test_runserver_without_a_broker_checks_due_links_and_retries_webhooks_by_itself(tmp_path):
    (checked, delivered), ids = _serve_without_requests(tmp_path, beat=True, seconds=60)
    assert checked == 1, "the due link was checked with no request and no broker"
    assert delivered == 1, "the failed webhook was retried and delivered"
    assert len(ids) == 2 and ids[0] == ids[1], "the retry carries the first try's webhook-id"


@pytest.mark.slow
def test_without_the_embedded_beat_nothing_periodic_happens(tmp_path):
    (checked, delivered), ids = _serve_without_requests(tmp_path, beat=False, seconds=8)
    assert (checked, delivered) == (0, 0)
    assert len(ids) == 1


def test_only_runservers_serving_process_beats(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMBEDDED_BEAT = True
    serve = ["manage.py", "runserver"]
    assert embedded_beat.should_start(serve, {"RUN_MAIN": "true"})
    assert not embedded_beat.should_start(serve, {}), "the autoreloader's watcher"
    assert embedded_beat.should_start([*serve, "--noreload"], {})
    assert not embedded_beat.should_start(["pytest"], {})
    assert not embedded_beat.should_start(["manage.py", "shell"], {})
    settings.EMBEDDED_BEAT = False
    assert not embedded_beat.should_start(serve, {"RUN_MAIN": "true"})
    settings.EMBEDDED_BEAT = True
    settings.CELERY_TASK_ALWAYS_EAGER = False  # a broker: `celery beat` runs instead
    assert not embedded_beat.should_start(serve, {"RUN_MAIN": "true"})


@pytest.mark.django_db
def test_the_schedule_runs_each_entry_when_due_and_survives_a_failing_task(caplog):
    embedded_beat.log.addHandler(caplog.handler)  # the project's logging does not propagate
    from datetime import timedelta

    from django.utils import timezone

    from factcheck.celery import app

    app.loader.import_default_modules()
    schedule = embedded_beat.entries({
        "fails": {"task": "no.such.task", "schedule": 10.0},
        "reports": {"task": "reports.tasks.compact_rollups", "schedule": timedelta(seconds=30)},
    })
    now = timezone.now()
    assert embedded_beat.run_due(schedule, now) == ["fails", "reports"]
    assert "embedded beat: fails failed" in caplog.text
    assert embedded_beat.run_due(schedule, now + timedelta(seconds=5)) == []
    assert embedded_beat.run_due(schedule, now + timedelta(seconds=11)) == ["fails"]
    assert embedded_beat.run_due(schedule, now + timedelta(seconds=31)) == ["fails", "reports"]
    embedded_beat.log.removeHandler(caplog.handler)
