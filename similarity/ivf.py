"""The approximate index for large desks: faiss's inverted file, built offline.

Why IVF and not a graph: on this project's 2-core machine usearch's HNSW took
about five minutes per 100,000 vectors to build (docs/benchmarks.md), too slow
to build in a web process and slow even for a worker. An inverted file trains
k-means on a sample, then files each vector under its nearest centroid: a
million vectors build in minutes, a query reads `nprobe` lists instead of the
whole matrix. Vectors are kept in half precision (~770 MB a million, half the
float32 matrix): 8-bit quantisation would halve that again, but it learns each
dimension's range from the training sample, and a desk that starts small
trains on a handful of vectors whose ranges clip everything written later.
docs/matching.md has the measurements.

The ClaimVector table stays the record. A worker (`manage.py
build_similarity_index`, or the beat task) writes one file per model holding
the trained index, the rows' claims and fields, and the table watermark it was
built up to; each web process loads that file and catches up from the table,
as the exact index does. The file is replaced atomically, so a reader never
sees half of one.
"""

from __future__ import annotations

import io
import math
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from django.conf import settings

from . import embedding

# k-means needs a few dozen points per list to place its centroids; past ~64k
# points the centroids stop moving but training keeps costing.
TRAINING_SAMPLE = 65_536
MAX_LISTS = 4096


def lists_for(vectors: int) -> int:
    """How many inverted lists for this many vectors (about 4·√n, faiss's rule of thumb)."""
    return max(1, min(MAX_LISTS, int(4 * math.sqrt(max(vectors, 1))), vectors))


class IvfIndex:
    name = "ivf"

    def __init__(self, index) -> None:
        self.index = index
        self.index.nprobe = min(settings.SIMILARITY_NPROBE, self.index.nlist)
        # Rows are numbered densely by ClaimIndex; a row below this was put before.
        self.rows_seen = 0

    @classmethod
    def trained(cls, sample: np.ndarray, expected: int) -> IvfIndex:
        """An empty index whose lists are placed by k-means over `sample`."""
        import faiss

        sample = np.ascontiguousarray(sample, dtype=np.float32)
        lists = max(1, min(lists_for(expected), len(sample)))
        quantizer = faiss.IndexFlatIP(embedding.DIMENSIONS)
        index = faiss.IndexIVFScalarQuantizer(
            quantizer, embedding.DIMENSIONS, lists, faiss.ScalarQuantizer.QT_fp16,
            faiss.METRIC_INNER_PRODUCT,
        )
        index.cp.seed = 7  # the same sample gives the same lists
        index.train(sample)
        return cls(index)

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    def put(self, rows: np.ndarray, vectors: np.ndarray) -> None:
        if not len(rows):
            return
        rows = np.asarray(rows, dtype=np.int64)
        again = rows[rows < self.rows_seen]
        if len(again):
            self.index.remove_ids(again)
        self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), rows)
        self.rows_seen = max(self.rows_seen, int(rows.max()) + 1)

    def search(self, queries: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
        if not self.size:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        count = min(count, self.size)
        scores, rows = self.index.search(
            np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32), count)
        best: dict[int, float] = {}
        for row, score in zip(rows.ravel().tolist(), scores.ravel().tolist(), strict=True):
            if row >= 0 and score > best.get(row, -2.0):
                best[row] = score
        order = sorted(best.items(), key=lambda kv: -kv[1])[:count]
        return (np.array([r for r, _ in order], dtype=np.int64),
                np.array([s for _, s in order], dtype=np.float32))


@dataclass
class BuiltIndex:
    """What a build wrote: the index, which (claim, field) each row is, and how far it read."""

    backend: IvfIndex
    claim_ids: np.ndarray
    fields: list[str]
    watermark: datetime | None
    model: str


def built_path(model: str) -> Path:
    """One file per model: a new model means new vectors, so a new index."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", model).strip("-") or "model"
    return Path(settings.SIMILARITY_INDEX_DIR) / f"claims-{slug}.npz"


def save(built: BuiltIndex) -> Path:
    """Write the build next to its final name, then rename over it (readers see whole files)."""
    import faiss

    path = built_path(built.model)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    np.savez(
        buffer,
        index=faiss.serialize_index(built.backend.index),
        claim_ids=built.claim_ids.astype(np.int64),
        fields=np.array(built.fields, dtype=np.str_),
        watermark=np.array(built.watermark.isoformat() if built.watermark else ""),
        model=np.array(built.model),
    )
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".building-", suffix=".npz")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(buffer.getbuffer())
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def load(model: str) -> BuiltIndex | None:
    """The last build for this model, or None when there is none (or it is unreadable)."""
    import faiss

    path = built_path(model)
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["model"]) != model:
                return None
            index = faiss.deserialize_index(data["index"])
            claim_ids = data["claim_ids"].astype(np.int64)
            fields = data["fields"].tolist()
            stamp = str(data["watermark"])
    except (OSError, ValueError, KeyError, RuntimeError, zipfile.BadZipFile):
        return None  # a torn or foreign file: fall back to the exact scan, never fail a request
    backend = IvfIndex(index)
    backend.rows_seen = len(claim_ids)
    return BuiltIndex(backend, claim_ids, fields,
                      datetime.fromisoformat(stamp) if stamp else None, model)
