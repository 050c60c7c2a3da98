import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


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
