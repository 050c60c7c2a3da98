"""Claim vectors: queued in the claim's transaction, computed by the worker loop, resumable."""

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from django.db import connection

from claims.models import Claim
from similarity import embedding, queue
from similarity.models import ClaimVector, EmbeddedField, PendingEmbedding

from .factories import ClaimFactory
from .similarity_data import NK_KILLED, fresh_index  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def test_a_new_claim_is_queued_in_its_own_transaction():
    claim = ClaimFactory(text=NK_KILLED["ru"], language="ru", summary_en=NK_KILLED["en"])
    assert PendingEmbedding.objects.filter(claim=claim).exists()


def test_the_worker_embeds_text_and_summary_then_retires_the_row():
    claim = ClaimFactory(text=NK_KILLED["ru"], language="ru", summary_en=NK_KILLED["en"])
    done = queue.run()
    assert done.embedded == 2
    vectors = {v.field: embedding.from_bytes(v.vector)
               for v in ClaimVector.objects.filter(claim=claim)}
    assert set(vectors) == {EmbeddedField.TEXT, EmbeddedField.SUMMARY_EN}
    assert all(abs(np.linalg.norm(v) - 1) < 1e-4 for v in vectors.values())
    # A Russian sentence and its English summary are near each other.
    assert float(vectors["text"] @ vectors["summary_en"]) > 0.85
    assert not PendingEmbedding.objects.exists()


def test_running_twice_embeds_nothing_the_second_time():
    ClaimFactory(text=NK_KILLED["ko"], language="ko", summary_en="")
    assert queue.run().embedded == 1
    queue.request(Claim.objects.values_list("pk", flat=True))
    again = queue.run()
    assert (again.embedded, again.unchanged) == (0, 1)


def test_an_edit_during_embedding_keeps_the_claim_due():
    claim = ClaimFactory(text=NK_KILLED["en"], summary_en="")
    leases = queue.take(10)
    Claim.objects.filter(pk=claim.pk).update(text=NK_KILLED["az"])
    queue.request([claim.pk])  # what the save signal does
    queue.embed_leased(leases)
    assert PendingEmbedding.objects.filter(claim=claim, lease_token__isnull=True).exists()
    queue.run()
    stored = ClaimVector.objects.get(claim=claim, field="text")
    assert stored.text_hash == embedding.text_hash(NK_KILLED["az"])


def test_emptying_the_summary_removes_its_vector():
    claim = ClaimFactory(text=NK_KILLED["ru"], language="ru", summary_en=NK_KILLED["en"])
    queue.run()
    claim.summary_en = ""
    claim.save()
    queue.run()
    assert list(ClaimVector.objects.filter(claim=claim).values_list("field", flat=True)) == [
        "text"]


def test_leases_do_not_overlap():
    ClaimFactory.create_batch(6, summary_en="")
    first, second = queue.take(4), queue.take(4)
    assert len(first) == 4 and len(second) == 2
    assert not {x.claim_id for x in first} & {x.claim_id for x in second}


def test_a_broken_model_loses_nothing(settings, tmp_path):
    broken = tmp_path / "model.bin"
    broken.write_bytes(b"not a model at all")
    settings.SIMILARITY_MODEL_PATH = str(broken)
    claim = ClaimFactory(text=NK_KILLED["en"], summary_en="")
    done = queue.run()
    assert done.failed == 1 and "could not be loaded" in done.errors[0]
    row = PendingEmbedding.objects.get(claim=claim)
    assert row.attempts == 1 and row.lease_token is None and "could not be loaded" in row.last_error
    settings.SIMILARITY_MODEL_PATH = ""
    assert queue.run().embedded == 1
    assert not PendingEmbedding.objects.exists()


def _command_env() -> dict:
    db = connection.settings_dict
    return {**os.environ, "DB_CONN_MAX_AGE": "0",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"}


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_embed_claims_killed_half_way_finishes_on_the_next_run_without_repeating():
    languages = list(NK_KILLED)
    for i in range(40):
        lang = languages[i % 4]
        ClaimFactory(text=f"{NK_KILLED[lang]} ({i})", language=lang, summary_en="")
    PendingEmbedding.objects.all().delete()  # nobody else embeds: only the command
    args = [sys.executable, "manage.py", "embed_claims", "--batch", "2"]
    proc = subprocess.Popen(args, cwd=ROOT, env=_command_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # Generous: on a loaded 2-core machine loading the model alone can take a minute.
    deadline = time.monotonic() + 300
    while (ClaimVector.objects.count() < 6 and proc.poll() is None
           and time.monotonic() < deadline):
        time.sleep(0.05)
    died = proc.poll() is not None
    proc.kill()
    _, stderr = proc.communicate()
    assert not died, f"embed_claims ended by itself: {stderr.decode()[-2000:]}"
    first = dict(ClaimVector.objects.values_list("claim_id", "updated_at"))
    assert 6 <= len(first) < 40, "kill the command while it is half-way"
    out = subprocess.run([*args, "--no-progress"], cwd=ROOT, env=_command_env(),
                         capture_output=True, text=True, timeout=300, check=True).stdout
    assert f"{40 - len(first)} claims to embed" in out
    after = dict(ClaimVector.objects.values_list("claim_id", "updated_at"))
    assert len(after) == 40 == ClaimVector.objects.count()
    assert all(after[pk] == stamp for pk, stamp in first.items())  # none done twice
