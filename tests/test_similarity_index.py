"""The in-memory index: exact and the inverted file agree, and it catches up with the table."""

import threading

import numpy as np
import pytest

from similarity import ivf, queue
from similarity.index import ClaimIndex, ExactIndex, backend_name, build
from similarity.ivf import IvfIndex

from .factories import ClaimFactory
from .similarity_data import NK_KILLED, UNRELATED_EN, fresh_index  # noqa: F401


def _unit(rows: int, seed: int = 1) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((rows, 384)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _clustered(rows: int, topics: int, seed: int = 1) -> np.ndarray:
    """Unit vectors around a few hundred topics: neighbours that mean something, as in e5's
    space (uniform noise in 384 dimensions has no near neighbours for any index to find)."""
    rng = np.random.default_rng(seed)
    centres = _unit(topics, seed=seed + 100)
    x = centres[rng.integers(0, topics, rows)] + 0.05 * rng.standard_normal((rows, 384))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def _ivf(data: np.ndarray) -> IvfIndex:
    return IvfIndex.trained(data, len(data))


@pytest.mark.parametrize("backend", ["exact", "ivf"])
def test_each_backend_finds_the_nearest_rows(backend):
    data = _clustered(2000, topics=100)
    index = ExactIndex() if backend == "exact" else _ivf(data)
    index.put(np.arange(2000), data)
    query = data[[17]] + 0.05 * _unit(1, seed=2)
    rows, scores = index.search(query / np.linalg.norm(query), 5)
    truth = np.argsort(-(data @ query[0]))[:5]
    assert rows[0] == 17
    assert len(set(rows.tolist()) & set(truth.tolist())) >= 4
    assert list(scores) == sorted(scores, reverse=True)


@pytest.mark.parametrize("backend", ["exact", "ivf"])
def test_putting_a_row_again_replaces_its_vector(backend):
    data = _unit(50)
    index = ExactIndex() if backend == "exact" else _ivf(data)
    index.put(np.arange(50), data)
    index.put(np.array([3]), data[[40]])
    rows, _ = index.search(data[[40]], 2)
    assert set(rows.tolist()) == {3, 40}


def test_claim_index_dedupes_claims_and_keeps_the_best_field():
    data = _unit(3)
    index = ClaimIndex(backend="exact")
    index.add([1, 1, 2], ["text", "summary_en", "text"], data)
    found = index.nearest(data[[1]], 5)
    assert found[0][0] == 1 and abs(found[0][1] - 1.0) < 1e-5
    assert [pk for pk, _ in found] == [1, 2]


@pytest.mark.django_db
@pytest.mark.parametrize("backend", ["exact", "ivf"])
def test_the_index_catches_up_with_vectors_written_after_it_loaded(backend):
    first = ClaimFactory(text=NK_KILLED["en"], summary_en="")
    queue.run()
    index = ClaimIndex(backend=backend)
    index.refresh(force=True)
    second = ClaimFactory(text=NK_KILLED["ru"], language="ru", summary_en="")
    other = ClaimFactory(text=UNRELATED_EN, summary_en="")
    queue.run()
    index.refresh(force=True)
    from similarity.embedding import embed

    found = [pk for pk, _ in index.nearest(embed([NK_KILLED["ko"]]), 3)]
    assert found[:2] in ([first.pk, second.pk], [second.pk, first.pk])
    assert found[2] == other.pk


def test_sqlite_and_small_tables_scan_exactly(settings):
    settings.SIMILARITY_INDEX = "auto"
    assert backend_name(10) == "exact"
    assert backend_name(10**6, built=True) == ("ivf" if _postgres() else "exact")
    settings.SIMILARITY_INDEX = "ivf"
    assert backend_name(10) == ("ivf" if _postgres() else "exact")


def _postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def test_auto_never_trains_in_a_request_without_a_worker_build(settings):
    # A web process must not spend minutes training at scale: without a build, exact.
    settings.SIMILARITY_INDEX = "auto"
    assert backend_name(10**6, built=False) == "exact"


@pytest.mark.django_db
def test_a_worker_build_is_saved_loaded_and_caught_up(settings, tmp_path):
    settings.SIMILARITY_INDEX_DIR = tmp_path
    settings.SIMILARITY_INDEX = "auto"
    settings.SIMILARITY_IVF_MIN = 1
    first = ClaimFactory(text=NK_KILLED["en"], summary_en="")
    other = ClaimFactory(text=UNRELATED_EN, summary_en="")
    queue.run()
    built = build()
    assert built.backend.size == 2
    assert sorted(built.claim_ids.tolist()) == sorted([first.pk, other.pk])
    path = ivf.save(built)
    assert path.exists() and not list(tmp_path.glob(".building-*"))
    # Written after the build: the web process reads it from the table, past the watermark.
    later = ClaimFactory(text=NK_KILLED["ru"], language="ru", summary_en="")
    queue.run()
    index = ClaimIndex()
    index.refresh(force=True)
    from similarity.embedding import embed

    expected = "ivf" if _postgres() else "exact"
    assert index.backend.name == expected
    found = [pk for pk, _ in index.nearest(embed([NK_KILLED["ko"]]), 3)]
    assert set(found[:2]) == {first.pk, later.pk} and found[2] == other.pk


@pytest.mark.django_db
def test_a_torn_build_falls_back_to_the_exact_scan(settings, tmp_path):
    settings.SIMILARITY_INDEX_DIR = tmp_path
    settings.SIMILARITY_INDEX = "auto"
    settings.SIMILARITY_IVF_MIN = 1
    claim = ClaimFactory(text=NK_KILLED["en"], summary_en="")
    queue.run()
    ivf.built_path(ivf.embedding.model_name()).write_bytes(b"PK\x03\x04 half a file")
    assert ivf.load(ivf.embedding.model_name()) is None
    index = ClaimIndex()
    index.refresh(force=True)
    assert index.backend.name == "exact"
    assert [pk for pk, _ in index.nearest(ivf.embedding.embed([NK_KILLED["ko"]]), 1)] == [claim.pk]


def test_the_inverted_file_agrees_with_the_exact_scan_at_some_scale():
    data = _clustered(20_000, topics=500, seed=3)
    exact, approx = ExactIndex(), _ivf(data)
    exact.put(np.arange(len(data)), data)
    approx.put(np.arange(len(data)), data)
    hits = 0
    for q in range(0, 2000, 40):
        query = data[[q]] + 0.05 * _unit(1, seed=q)
        truth, _ = exact.search(query, 10)
        found, _ = approx.search(query, 10)
        hits += len(set(truth.tolist()) & set(found.tolist()))
    assert hits / (50 * 10) >= 0.9


@pytest.mark.django_db(transaction=True)
def test_the_full_reload_happens_beside_the_index_in_use(monkeypatch):
    # At 1M claims a full reload takes seconds (exact: a minute): the request that finds
    # it due is answered from the index in use; the reloaded one replaces it when ready.
    from similarity import index as index_module
    from similarity.embedding import embed
    from similarity.models import ClaimVector

    kept = ClaimFactory(text=NK_KILLED["en"], summary_en="")
    gone = ClaimFactory(text=NK_KILLED["ru"], language="ru", summary_en="")
    queue.run()
    query = embed([NK_KILLED["ko"]])
    in_use = index_module.shared_index()
    assert {pk for pk, _ in in_use.nearest(query, 5)} == {kept.pk, gone.pk}
    # A deleted row is not seen by the catch-up (it reads updated_at); only a reload drops it.
    ClaimVector.objects.filter(claim=gone).delete()
    go = threading.Event()
    reload = index_module._reload

    def held_reload(*args):  # the reload cannot finish before the answer is checked
        go.wait(30)
        reload(*args)

    monkeypatch.setattr(index_module, "_reload", held_reload)
    monkeypatch.setattr(index_module, "FULL_RELOAD_SECONDS", 0.0)
    answered = index_module.shared_index()
    reloading = index_module._reloading
    assert answered is in_use and reloading is not None
    assert {pk for pk, _ in answered.nearest(query, 5)} == {kept.pk, gone.pk}
    monkeypatch.setattr(index_module, "FULL_RELOAD_SECONDS", 600.0)
    go.set()
    reloading.join(30)
    fresh = index_module.shared_index()
    assert fresh is not in_use
    assert [pk for pk, _ in fresh.nearest(query, 5)] == [kept.pk]


@pytest.mark.django_db(transaction=True)
def test_a_large_tables_first_load_happens_beside_the_request(monkeypatch, settings, client):
    # At 1M claims the first load outlasts gunicorn's timeout (exact scan: ~50 s): the
    # request is answered "unavailable" (503) instead of waiting, and the load goes on.
    from newsrooms.keys import issue_key
    from similarity import index as index_module
    from similarity.embedding import ModelUnavailable

    settings.SIMILARITY_IVF_MIN = 2  # "large": two vectors
    claim = ClaimFactory(text=NK_KILLED["en"], summary_en="", published=True)
    other = ClaimFactory(text=NK_KILLED["ru"], language="ru", summary_en="", published=True)
    queue.run()
    go = threading.Event()
    reload = index_module._reload

    def held_reload(*args):
        go.wait(30)
        reload(*args)

    monkeypatch.setattr(index_module, "_reload", held_reload)
    monkeypatch.setattr(index_module, "FIRST_LOAD_WAIT", 0.05)
    with pytest.raises(ModelUnavailable):
        index_module.shared_index()
    key = issue_key("Loading test", scope="read")[1]
    response = client.get(f"/api/v1/claims/{claim.pk}/similar/",
                          HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 503
    assert response.json()["code"] == "similarity_unavailable"
    loading = index_module._reloading
    go.set()
    loading.join(30)
    response = client.get(f"/api/v1/claims/{claim.pk}/similar/",
                          HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [other.pk]


@pytest.mark.django_db
def test_a_refresh_fetches_the_vectors_of_changed_rows_only():
    """The look-back window is read as stamps; only rows not yet absorbed bring their bytes.

    During a backfill the window holds every vector of the last two minutes: read whole
    once a second by every web process, that was megabytes a second for nothing.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from similarity.models import ClaimVector

    ClaimFactory(text=NK_KILLED["en"], summary_en="")
    ClaimFactory(text=UNRELATED_EN, summary_en="")
    queue.run()
    index = ClaimIndex(backend="exact")
    index.refresh(force=True)
    assert len(index.row_of) == 2

    def vector_reads(queries) -> list[str]:
        return [q["sql"] for q in queries if '"vector"' in q["sql"]]

    with CaptureQueriesContext(connection) as unchanged:
        index.refresh(force=True)
    assert vector_reads(unchanged) == []

    later = ClaimFactory(text=NK_KILLED["ru"], language="ru", summary_en="")
    queue.run()
    with CaptureQueriesContext(connection) as one_new:
        index.refresh(force=True)
    reads = vector_reads(one_new)
    row = ClaimVector.objects.get(claim=later)
    assert len(reads) == 1 and f"IN ({row.pk})" in reads[0]
    assert (later.pk, row.field) in index.row_of and len(index.row_of) == 3


@pytest.mark.django_db(transaction=True)
def test_a_loaded_index_is_out_of_the_collectors_sight():
    # Its dicts hold an entry per vector: at 1M claims every full collection walked them
    # (~170 ms, the p95 of a limit=250 answer; factcheck/gcpolicy.py).
    import gc

    from similarity import index as index_module

    ClaimFactory(text=NK_KILLED["en"], summary_en="")
    queue.run()
    loading = threading.Thread(target=index_module._reload,
                               args=(None, index_module._generation))
    loading.start()
    loading.join(60)
    loaded = index_module._shared
    assert loaded is not None and loaded.row_of
    assert not any(o is loaded.row_of for o in gc.get_objects())
    gc.unfreeze()  # the rest of the test run as it was


def test_the_web_process_freezes_its_boot_heap_and_collects_the_young_less_often():
    import os
    import subprocess
    import sys

    code = ("import gc, factcheck.wsgi; "
            "print(gc.get_freeze_count() > 1000, gc.get_threshold()[0])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ,
                                          "DJANGO_SETTINGS_MODULE": "factcheck.settings"})
    assert out.stdout.split() == ["True", "20000"]
