"""The in-memory index: exact and HNSW agree, and it catches up with the table."""

import numpy as np
import pytest

from similarity import queue
from similarity.index import ClaimIndex, ExactIndex, HnswIndex, backend_name

from .factories import ClaimFactory
from .similarity_data import NK_KILLED, UNRELATED_EN, fresh_index  # noqa: F401


def _unit(rows: int, seed: int = 1) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((rows, 384)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@pytest.mark.parametrize("backend", [ExactIndex, HnswIndex])
def test_each_backend_finds_the_nearest_rows(backend):
    data = _unit(2000)
    index = backend()
    index.put(np.arange(2000), data)
    query = data[[17]] + 0.05 * _unit(1, seed=2)
    rows, scores = index.search(query / np.linalg.norm(query), 5)
    truth = np.argsort(-(data @ query[0]))[:5]
    assert rows[0] == 17
    assert len(set(rows.tolist()) & set(truth.tolist())) >= 4
    assert list(scores) == sorted(scores, reverse=True)


@pytest.mark.parametrize("backend", [ExactIndex, HnswIndex])
def test_putting_a_row_again_replaces_its_vector(backend):
    data = _unit(50)
    index = backend()
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
@pytest.mark.parametrize("backend", ["exact", "hnsw"])
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
    settings.SIMILARITY_INDEX = "hnsw"
    from django.db import connection

    assert backend_name(10) == ("hnsw" if connection.vendor == "postgresql" else "exact")
