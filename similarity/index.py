"""Nearest claim vectors, in memory, rebuilt from the ClaimVector table.

Two backends behind one interface, chosen by SIMILARITY_INDEX (docs/matching.md
has the measurements that set the default):
- `ExactIndex`: one float32 matrix and a matrix-vector product. Exact; fine
  up to some tens of thousands of vectors; the only backend on SQLite.
- `IvfIndex` (similarity/ivf.py): faiss's inverted file, 8-bit vectors.
  Approximate, milliseconds at a million vectors; trained and written to disk
  by a worker (`build`), loaded by web processes, never built on a request.

The table is the record. Each process loads it on first use and then, at most
once a second, reads the rows changed since (`updated_at`), so the vectors the
embedding task writes reach every web process without a message. Rows deleted
from the table (a claim deleted, a summary emptied) may linger in memory until
the next full reload; `similar()` drops candidates whose row is gone.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta

import numpy as np
from django.conf import settings
from django.db import connection, connections
from django.db.models.functions import Mod

from factcheck import gcpolicy

from . import embedding, ivf
from .ivf import IvfIndex
from .models import ClaimVector

# Rows with the same updated_at as the watermark are read again (upserts are
# idempotent), so rows committed in the same microsecond are never skipped.
REFRESH_SECONDS = 1.0
FULL_RELOAD_SECONDS = 600.0
# A vector stamped before the watermark but committed after it (a slow
# transaction) is still read: each refresh looks this far back. Rows already
# read with the same stamp are skipped.
SLACK = timedelta(seconds=120)
CHUNK = 5000  # rows read (and vectors absorbed) at a time

logger = logging.getLogger(__name__)


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


def backend_name(vectors: int, built: bool = False) -> str:
    """Which backend a process starts with.

    "auto" takes the inverted file only where a worker has built one: training
    it inside a web request would stall that request for minutes at scale.
    """
    choice = settings.SIMILARITY_INDEX
    if connection.vendor != "postgresql":
        return "exact"  # the embedded default is small by nature: exact, same answers
    if choice in ("exact", "ivf"):
        return choice
    if vectors >= settings.SIMILARITY_IVF_MIN and built:
        return "ivf"
    return "exact"


class ClaimIndex:
    """Claim vectors of the current model, by row: which claim and field each row holds."""

    def __init__(self, backend: str | None = None, rebuild: bool = False,
                 reload_in_place: bool = True) -> None:
        self._fixed_backend = backend
        self._rebuild = rebuild  # train afresh instead of taking the last build (`build`)
        # False for the process's shared index: `shared_index` reloads it beside
        # the one in use, so no request waits for a full reload.
        self._reload_in_place = reload_in_place
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

    def _new_backend(self, vectors: np.ndarray, expected: int):
        name = self._fixed_backend or backend_name(expected)
        if name == "ivf":
            # Trained on what is at hand: right for tests and small tables; a
            # large desk loads a worker's build instead (`_start`).
            return IvfIndex.trained(vectors, expected)
        return ExactIndex()

    def _start(self) -> None:
        """Choose the backend on first use: a worker's build when there is one to take."""
        expected = ClaimVector.objects.filter(model=self.model).count()
        choice = self._fixed_backend or backend_name(
            expected, built=ivf.built_path(self.model).exists())
        if choice != "ivf":
            self.backend = ExactIndex()
            return
        built = None if self._rebuild else ivf.load(self.model)
        if built is not None:
            self._take(built)
        elif self._fixed_backend == "ivf":
            sample = [embedding.from_bytes(v) for v in sampled_vectors(self.model, expected)]
            if sample:
                self.backend = IvfIndex.trained(np.vstack(sample), expected)
        else:
            self.backend = ExactIndex()  # the build went missing or is torn: exact, not slow-built

    def _take(self, built: ivf.BuiltIndex) -> None:
        self.backend = built.backend
        self.claim_ids = built.claim_ids
        self.row_of = {key: row for row, key in
                       enumerate(zip(built.claim_ids.tolist(), built.fields, strict=True))}
        self.watermark = built.watermark

    def add(self, claim_ids, fields, vectors: np.ndarray) -> None:
        """Put vectors for (claim, field) pairs; the same pair again replaces its vector."""
        if self.backend is None:
            self.backend = self._new_backend(vectors, len(claim_ids))
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
            if self.model != embedding.model_name() or (
                    self._reload_in_place and self.reload_due(now)):
                self._reset()
            if self.backend is None:
                self.loaded_at = now
                self._start()
            rows = ClaimVector.objects.filter(model=self.model)
            columns = ("claim_id", "field", "vector", "updated_at")
            if self.watermark is None:
                batch: list[tuple[int, str, bytes, datetime]] = []
                for row in rows.order_by("updated_at").values_list(*columns).iterator(
                        chunk_size=CHUNK):
                    batch.append(row)
                    if len(batch) >= CHUNK:
                        self._absorb(batch)
                        batch = []
                self._absorb(batch)
            else:
                changed = self._changed_since_watermark(rows)
                for start in range(0, len(changed), CHUNK):
                    self._absorb(list(rows.filter(pk__in=changed[start:start + CHUNK])
                                      .order_by("updated_at").values_list(*columns)))
            self.checked_at = now

    def _changed_since_watermark(self, rows) -> list[int]:
        """The rows in the look-back window not read yet with their current stamp.

        The window (SLACK) holds every vector written in the last two minutes:
        during a backfill, tens of thousands. Their stamps are read first and
        only the rows this process has not absorbed are fetched with their
        vector bytes, so a refresh costs what changed, not the whole window.
        """
        stamps = rows.filter(updated_at__gte=self.watermark - SLACK).order_by(
            "updated_at").values_list("pk", "claim_id", "field", "updated_at")
        return [pk for pk, claim_id, field, stamp in stamps.iterator(chunk_size=CHUNK)
                if self.recent.get((claim_id, field)) != stamp]

    def reload_due(self, now: float | None = None) -> bool:
        """Time to read everything again (rows deleted meanwhile, a newer build)."""
        return (self.backend is not None
                and (now or time.monotonic()) - self.loaded_at > FULL_RELOAD_SECONDS)

    def fields_by_row(self) -> list[str]:
        fields = [""] * len(self.row_of)
        for (_, field), row in self.row_of.items():
            fields[row] = field
        return fields

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


def sampled_vectors(model: str, expected: int) -> list[bytes]:
    """About ivf.TRAINING_SAMPLE stored vectors, spread over the table by id."""
    stride = max(1, expected // ivf.TRAINING_SAMPLE)
    rows = ClaimVector.objects.filter(model=model)
    if stride > 1:
        rows = rows.annotate(slot=Mod("pk", stride)).filter(slot=0)
    return list(rows.values_list("vector", flat=True)[: ivf.TRAINING_SAMPLE])


def build(model: str | None = None) -> ivf.BuiltIndex:
    """Train an inverted file on the table's vectors and file them all (a worker's job)."""
    index = ClaimIndex(backend="ivf", rebuild=True)
    index.loaded_at = time.monotonic()  # one pass; no full reload halfway
    index.model = model or embedding.model_name()
    index.refresh(force=True)
    if index.backend is None:  # an empty table: nothing to train on
        raise ValueError(f"No stored vectors for model {index.model!r}; run embed_claims first.")
    return ivf.BuiltIndex(index.backend, index.claim_ids, index.fields_by_row(),
                          index.watermark, index.model)


_shared: ClaimIndex | None = None
_shared_lock = threading.Lock()
_reloading: threading.Thread | None = None
_generation = 0  # bumped by reset_shared_index: a load started before is not installed
# How long a request waits for its process's first load of a large table before
# it is answered "unavailable, loading" (503) while the load goes on beside it:
# at 1M claims the load takes ~5 s from a build and ~50 s for the exact scan,
# the latter past gunicorn's 30 s timeout, which would kill the worker mid-load.
FIRST_LOAD_WAIT = 5.0


class IndexLoading(embedding.ModelUnavailable):
    """The process is still loading its index: the feature is unavailable for now."""


def _large_table() -> bool:
    """Enough vectors that the first load is worth doing beside the request."""
    return ClaimVector.objects.filter(model=embedding.model_name()).order_by()[
        max(0, settings.SIMILARITY_IVF_MIN - 1):settings.SIMILARITY_IVF_MIN].exists()


def shared_index() -> ClaimIndex:
    """This process's index, caught up with the table.

    Loading a large table (the first time) and the periodic full reload happen
    in a thread: a reload beside the index in use, which keeps answering until
    the new one is ready; a first load while requests wait FIRST_LOAD_WAIT for
    it, then get IndexLoading. A small table loads in the request, as before.
    """
    global _shared, _reloading
    with _shared_lock:
        current, loading = _shared, _reloading
        if current is None and loading is None and not _large_table():
            _shared = current = ClaimIndex(reload_in_place=False)
        elif loading is None and (current is None or current.reload_due()):
            loading = _reloading = threading.Thread(
                target=_reload, args=(current, _generation), daemon=True,
                name="similarity-reload")
            loading.start()
    if current is None:
        loading.join(FIRST_LOAD_WAIT)
        current = _shared
        if current is None:
            raise IndexLoading("The similar-claims index is loading in this process; "
                               "try again in a minute.")
    current.refresh()
    return current


def _reload(stale: ClaimIndex | None, generation: int) -> None:
    global _shared, _reloading
    try:
        fresh = ClaimIndex(reload_in_place=False)
        fresh.refresh(force=True)
        with _shared_lock:
            if generation == _generation and _shared is stale:
                _shared = fresh
        # Its dicts hold an entry per vector, walked by every full collection (~170 ms
        # at 1M claims): it lives until the next reload (factcheck/gcpolicy.py).
        gcpolicy.keep()
    except Exception:
        logger.exception("Loading the similar-claims index failed; keeping the one in use")
        if stale is not None:
            stale.loaded_at = time.monotonic()  # try again after FULL_RELOAD_SECONDS
    finally:
        connections.close_all()  # this thread's own connection
        with _shared_lock:
            if generation == _generation:
                _reloading = None


def reset_shared_index() -> None:
    """Forget this process's index (tests; a changed model)."""
    global _shared, _reloading, _generation
    with _shared_lock:
        _shared = None
        _reloading = None
        _generation += 1
