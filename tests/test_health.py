import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.django_db
def test_healthz_answers_200_and_reports_each_dependency_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["redis"] == {"ok": True}
    # No worker runs in this test process: degraded, not down.
    assert body["checks"]["workers"]["ok"] is False
    assert (body["status"], body["degraded"]) == ("degraded", True)
    assert set(body["checks"]["outbox"]) == {"due", "oldest_due_seconds"}


@pytest.mark.django_db
def test_healthz_is_ok_when_a_worker_answers(client, monkeypatch):
    from factcheck import health
    from factcheck.celery import app

    monkeypatch.setattr(health, "_workers_seen", {"at": -1e9, "count": 0})
    monkeypatch.setattr(app.control, "ping", lambda timeout: [{"w1@host": {"ok": "pong"}}])
    body = client.get("/healthz").json()
    assert body["checks"]["workers"] == {"ok": True, "count": 1}
    assert (body["status"], body["degraded"]) == ("ok", False)


def test_healthz_says_unhealthy_when_the_database_is_unreachable():
    # A real unreachable server (nothing listens on port 9), in its own process.
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:9/none"}
    probe = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code, r.json()['status'])"
    )
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent, timeout=60)
    assert done.stdout.split() == ["503", "unhealthy"], done.stderr


def test_healthz_names_no_host_port_or_driver_error_when_the_database_is_down():
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:9/secretdb"}
    probe = ("import django; django.setup(); from django.test import Client; "
             "print(Client().get('/healthz').content.decode())")
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent, timeout=60)
    body = done.stdout.strip().splitlines()[-1]
    assert "unreachable" in body, done.stderr
    for secret in ("127.0.0.1", ":9", "secretdb", "connection", "refused"):
        assert secret not in body
