"""Nearest claim vectors, in memory, rebuilt from the ClaimVector table.

Two backends behind one interface, chosen by SIMILARITY_INDEX (docs/matching.md
has the measurements that set the default):
- `ExactIndex`: one float32 matrix and a matrix-vector product. Exact; fine
  up to some tens of thousands of vectors; the only backend on SQLite.
- `HnswIndex`: usearch's HNSW graph (half-precision vectors). Approximate,
  milliseconds at a million vectors.

The table is the record. Each process loads it on first use and then, at most
once a second, reads the rows changed since (`updated_at`), so the vectors the
embedding task writes reach every web process without a message. Rows deleted
from the table (a claim deleted, a summary emptied) may linger in memory until
the next full reload; `similar()` drops candidates whose row is gone.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

import numpy as np
from django.conf import settings
from django.db import connection

from . import embedding
from .models import ClaimVector

# Rows with the same updated_at as the watermark are read again (upserts are
# idempotent), so rows committed in the same microsecond are never skipped.
REFRESH_SECONDS = 1.0
FULL_RELOAD_SECONDS = 600.0
# A vector stamped before the watermark but committed after it (a slow
# transaction) is still read: each refresh looks this far back. Rows already
# read with the same stamp are skipped.
SLACK = timedelta(seconds=120)


class ExactIndex:
    name = "exact"

    def __init__(self, dim: int = embedding.DIMENSIONS) -> None:
        self.matrix = np.zeros((0, dim), dtype=np.float32)
        self.size = 0

    def _grow(self, need: int) -> None:
        if need > len(self.matrix):
            grown = np.zeros((max(need, 2 * len(self.matrix), 1024), self.matrix.shape[1]),
                             dtype=np.float32)
            grown[: self.size] = self.matrix[: self.size]
            self.matrix = grown

    def put(self, rows: np.ndarray, vectors: np.ndarray) -> None:
        if len(rows):
            self._grow(int(rows.max()) + 1)
            self.matrix[rows] = vectors
            self.size = max(self.size, int(rows.max()) + 1)

    def search(self, queries: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
        """Row numbers and cosines, best first, of the `count` nearest rows to any query."""
        if not self.size:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        scores = self.matrix[: self.size] @ queries.T
        best = scores.max(axis=1) if scores.ndim == 2 else scores
        count = min(count, self.size)
        top = np.argpartition(-best, count - 1)[:count]
        top = top[np.argsort(-best[top], kind="stable")]
        return top.astype(np.int64), best[top]


class HnswIndex:
    name = "hnsw"

    def __init__(self, dim: int = embedding.DIMENSIONS) -> None:
        from usearch.index import Index

        # f16 halves memory against f32 at no measurable loss of recall here.
        self.index = Index(ndim=dim, metric="cos", dtype="f16", connectivity=16,
                           expansion_add=128, expansion_search=96)

    @property
    def size(self) -> int:
        return len(self.index)

    def put(self, rows: np.ndarray, vectors: np.ndarray) -> None:
        if not len(rows):
            return
        present = np.array([row in self.index for row in rows.tolist()], dtype=bool)
        for row in rows[present].tolist():
            self.index.remove(row)
        self.index.add(rows.astype(np.uint64), vectors.astype(np.float32),
                       threads=settings.SIMILARITY_THREADS)

    def search(self, queries: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
        if not self.size:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        count = min(count, self.size)
        best: dict[int, float] = {}
        for query in np.atleast_2d(queries):
            found = self.index.search(query, count)
            for key, distance in zip(found.keys.tolist(), found.distances.tolist(),
                                     strict=True):
                score = 1.0 - float(distance)
                if score > best.get(key, -2.0):
                    best[key] = score
        order = sorted(best.items(), key=lambda kv: -kv[1])[:count]
        return (np.array([k for k, _ in order], dtype=np.int64),
                np.array([s for _, s in order], dtype=np.float32))


def backend_name(vectors: int) -> str:
    choice = settings.SIMILARITY_INDEX
    if choice in ("exact", "hnsw"):
        return "exact" if connection.vendor != "postgresql" and choice == "hnsw" else choice
    if connection.vendor == "postgresql" and vectors >= settings.SIMILARITY_HNSW_MIN:
        return "hnsw"
    return "exact"


class ClaimIndex:
    """Claim vectors of the current model, by row: which claim and field each row holds."""

    def __init__(self, backend: str | None = None) -> None:
        self._fixed_backend = backend
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self.backend = None
        self.row_of: dict[tuple[int, str], int] = {}
        self.claim_ids = np.zeros(0, dtype=np.int64)
        self.watermark: datetime | None = None
        self.recent: dict[tuple[int, str], datetime] = {}
        self.checked_at = 0.0
        self.loaded_at = 0.0
        self.model = embedding.model_name()

    def _new_backend(self, expected: int):
        name = self._fixed_backend or backend_name(expected)
        return HnswIndex() if name == "hnsw" else ExactIndex()

    def add(self, claim_ids, fields, vectors: np.ndarray) -> None:
        """Put vectors for (claim, field) pairs; the same pair again replaces its vector."""
        if self.backend is None:
            self.backend = self._new_backend(len(claim_ids))
        rows = np.empty(len(claim_ids), dtype=np.int64)
        new_ids = []
        for i, key in enumerate(zip(claim_ids, fields, strict=True)):
            row = self.row_of.get(key)
            if row is None:
                row = len(self.row_of)
                self.row_of[key] = row
                new_ids.append(key[0])
            rows[i] = row
        if new_ids:
            self.claim_ids = np.concatenate([self.claim_ids, np.asarray(new_ids, np.int64)])
        self.backend.put(rows, vectors)

    def refresh(self, force: bool = False) -> None:
        """Read what changed in the table since last time (everything, on first use)."""
        now = time.monotonic()
        if not force and now - self.checked_at < REFRESH_SECONDS:
            return
        with self._lock:
            if (self.model != embedding.model_name()
                    or now - self.loaded_at > FULL_RELOAD_SECONDS):
                self._reset()
                self.loaded_at = now
            rows = ClaimVector.objects.filter(model=self.model)
            if self.watermark is not None:
                rows = rows.filter(updated_at__gte=self.watermark - SLACK)
            elif self.backend is None:
                self.backend = self._new_backend(rows.count())
            batch: list[tuple[int, str, bytes, datetime]] = []
            for row in rows.order_by("updated_at").values_list(
                "claim_id", "field", "vector", "updated_at"
            ).iterator(chunk_size=5000):
                batch.append(row)
                if len(batch) >= 5000:
                    self._absorb(batch)
                    batch = []
            self._absorb(batch)
            self.checked_at = now

    def _absorb(self, batch) -> None:
        batch = [row for row in batch if self.recent.get((row[0], row[1])) != row[3]]
        if not batch:
            return
        if self.watermark is not None:
            floor = self.watermark - SLACK
            self.recent = {k: v for k, v in self.recent.items() if v >= floor}
        self.recent.update({(row[0], row[1]): row[3] for row in batch})
        vectors = np.vstack([embedding.from_bytes(v) for _, _, v, _ in batch])
        self.add([b[0] for b in batch], [b[1] for b in batch], vectors)
        self.watermark = max(self.watermark or batch[-1][3], batch[-1][3])

    def nearest(self, queries: np.ndarray, count: int) -> list[tuple[int, float]]:
        """Up to `count` claims nearest to any query vector, best first: (claim id, cosine)."""
        if self.backend is None or not self.row_of:
            return []
        # Rows per claim: up to two (text, summary), so ask for twice as many.
        rows, scores = self.backend.search(np.atleast_2d(queries), count * 2)
        best: dict[int, float] = {}
        for row, score in zip(rows.tolist(), scores.tolist(), strict=True):
            claim_id = int(self.claim_ids[row])
            if claim_id not in best:
                best[claim_id] = float(score)
        return list(best.items())[:count]


_shared: ClaimIndex | None = None
_shared_lock = threading.Lock()


def shared_index() -> ClaimIndex:
    """This process's index, caught up with the table."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = ClaimIndex()
    _shared.refresh()
    return _shared


def reset_shared_index() -> None:
    """Forget this process's index (tests; a changed model)."""
    global _shared
    with _shared_lock:
        _shared = None
