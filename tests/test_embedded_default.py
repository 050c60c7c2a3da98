"""`make run`'s embedded default: SQLite and in-process tasks, nothing else needed."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SEED = ROOT / "tests" / "data" / "seed_article_az.txt"  # the product's seed article
ACCEPT_SEED_TWICE = f"""
from pathlib import Path
from claims.models import Claim
from importer import extract
from importer.accept import accepted_from_proposal, file_once
result = extract(Path({str(SEED)!r}).read_text(), "az")
accepted = [accepted_from_proposal(p) for p in result.claims
            if any(a.role == "claimant" for a in p.attributions)]
before = Claim.objects.count()
first = file_once(accepted, language="az", article_url="https://example.org/seed")
again = file_once(accepted, language="az", article_url="https://example.org/seed")
made = Claim.objects.filter(pk__in=[c.pk for c in first.created])
print("FILED", len(accepted), len(first.created), len(again.created),
      Claim.objects.count() - before,
      made.filter(attributions__role="claimant").distinct().count(),
      made.filter(evidence__isnull=False).distinct().count())
"""

SIMILAR = """
from claims.models import Claim
from similarity import finder, queue, storedfacts, tasks
from similarity.models import ClaimTextFacts
queue.run()
ClaimTextFacts.objects.update(rules="before a deploy")  # the sweep reads them again
swept = tasks.sweep_stale_text_facts(), storedfacts.stale_count()
claim = Claim.objects.order_by("pk").first()
print("SIMILAR", ClaimTextFacts.objects.count(), len(finder.similar_to_claim(claim, 5)),
      len(finder.similar_to_text(claim.text, claim.language, 5)), *swept)
"""


@pytest.mark.slow
def test_the_embedded_default_migrates_loads_the_demo_and_serves_the_admin(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    manage = [sys.executable, str(ROOT / "manage.py")]

    def run(*args: str) -> str:
        done = subprocess.run([*manage, *args], env=env, cwd=tmp_path, capture_output=True,
                              text=True, timeout=180)
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("migrate", "--noinput")
    assert "13 claims created" in run("load_demo")
    assert "0 claims created, 13 already there" in run("load_demo")
    assert "factcheck-demo" in run("create_demo_editor")
    count = run("shell", "-c", "from claims.models import Claim; print(Claim.objects.count())")
    assert count.strip().splitlines()[-1] == "13"

    # Similar claims on SQLite: the candidates' facts (stored by the worker, which runs
    # in process here) read with their ids as a plain list, not PostgreSQL's array.
    similar = run("shell", "-c", SIMILAR).strip().splitlines()[-1].split()
    assert similar[0] == "SIMILAR" and int(similar[1]) == 13 and int(similar[2]) > 0
    assert int(similar[3]) > 0
    assert similar[4:] == ["1", "0"]  # the stale-facts sweep on SQLite, in process

    # The importer's bulk path on SQLite: ids come back from bulk inserts, the seed's
    # claims already in the demo are left out, and the same article twice files nothing.
    filed = run("shell", "-c", ACCEPT_SEED_TWICE).strip().splitlines()[-1].split()
    accepted, created, again, added, with_claimant, with_evidence = map(int, filed[1:])
    assert filed[0] == "FILED" and accepted >= 8
    assert 0 < created < accepted and again == 0 and added == created
    assert with_claimant == created == with_evidence

    port = free_port()
    server = subprocess.Popen([*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
                              env=env, cwd=tmp_path, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login/") as resp:
                    assert resp.status == 200
                    assert b"Fact-claim tracker" in resp.read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=10)
