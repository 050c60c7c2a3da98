"""Which claims need vectors, and the worker loop that computes them.

The queue is a table (`PendingEmbedding`), written in the transaction that
changes a claim. Workers lease rows with SELECT … FOR UPDATE SKIP LOCKED, so
two workers never embed the same claim at once, and a worker that dies lets
its leases expire for the next one. A row is removed only under its lease and
only if nobody asked again meanwhile. Everything here is safe to run twice:
a claim whose text has not changed since its vector was stored is skipped.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from claims.models import Claim

from . import embedding, storedfacts
from .models import ClaimVector, EmbeddedField, PendingEmbedding


@dataclass
class Summary:
    claims: int = 0
    embedded: int = 0  # texts actually run through the model
    unchanged: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def request(claim_ids: Iterable[int]) -> int:
    """Queue these claims for (re-)embedding; call inside the transaction that changed them."""
    ids = sorted(set(claim_ids))
    if not ids:
        return 0
    now = timezone.now()
    PendingEmbedding.objects.bulk_create(
        [PendingEmbedding(claim_id=pk, requested_at=now) for pk in ids],
        update_conflicts=True, unique_fields=["claim"], update_fields=["requested_at"],
    )
    return len(ids)


@dataclass(frozen=True)
class Lease:
    claim_id: int
    requested_at: datetime
    token: uuid.UUID


def take(limit: int, lease_seconds: int | None = None) -> list[Lease]:
    """Lease up to `limit` due rows, oldest request first."""
    now = timezone.now()
    token = uuid.uuid4()
    until = now + timedelta(seconds=lease_seconds or settings.SIMILARITY_LEASE_SECONDS)
    with transaction.atomic():
        rows = list(
            PendingEmbedding.objects.select_for_update(skip_locked=True)
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))
            .order_by("requested_at", "claim_id")
            .values_list("claim_id", "requested_at")[:limit]
        )
        if not rows:
            return []
        PendingEmbedding.objects.filter(claim_id__in=[r[0] for r in rows]).update(
            lease_until=until, lease_token=token,
        )
    return [Lease(claim_id, requested_at, token) for claim_id, requested_at in rows]


def _texts(claim: dict) -> dict[str, str]:
    texts = {EmbeddedField.TEXT: claim["text"], EmbeddedField.SUMMARY_EN: claim["summary_en"]}
    return {name: text.strip()[: embedding.MAX_CHARS] for name, text in texts.items()
            if text and text.strip()}


def store_vectors(ids: list[int]) -> Summary:
    """Compute and store the vectors (and text facts) of these claims whose text changed
    (idempotent).

    Raises ModelUnavailable, having written nothing, if the model cannot load.
    """
    summary = Summary(claims=len(ids))
    model = embedding.model_name()
    claims = {row["id"]: row for row in
              Claim.objects.filter(pk__in=ids).values("id", "text", "summary_en")}
    stored = {(v.claim_id, v.field): v.text_hash for v in
              ClaimVector.objects.filter(claim_id__in=ids, model=model)
              .only("claim_id", "field", "text_hash")}
    wanted: list[tuple[int, str, str, str]] = []  # claim, field, text, hash
    keep: set[tuple[int, str]] = set()
    for pk, claim in claims.items():
        for name, text in _texts(claim).items():
            keep.add((pk, name))
            digest = embedding.text_hash(text)
            if stored.get((pk, name)) == digest:
                summary.unchanged += 1
            else:
                wanted.append((pk, name, text, digest))
    vectors = embedding.embed([w[2] for w in wanted])
    summary.embedded = len(wanted)
    now = timezone.now()
    with transaction.atomic():
        ClaimVector.objects.bulk_create(
            [ClaimVector(claim_id=pk, field=name, model=model, text_hash=digest,
                         vector=embedding.to_bytes(vec), updated_at=now)
             for (pk, name, _, digest), vec in zip(wanted, vectors, strict=True)],
            update_conflicts=True, unique_fields=["claim", "field", "model"],
            update_fields=["vector", "text_hash", "updated_at"],
        )
        gone = [key for key in stored if key not in keep]
        for pk, name in gone:  # a summary emptied: its old vector must not match any more
            ClaimVector.objects.filter(claim_id=pk, field=name, model=model).delete()
        # What the ranking reads from each text, with its vectors (storedfacts.py): an
        # edited text gets its facts again here; an unchanged one (same key) is skipped.
        storedfacts.store({pk: claim["text"] for pk, claim in claims.items()})
    return summary


def embed_leased(leases: list[Lease]) -> Summary:
    """Compute and store the vectors of leased claims, then retire their rows."""
    if not leases:
        return Summary()
    try:
        summary = store_vectors([lease.claim_id for lease in leases])
    except embedding.ModelUnavailable as exc:
        _give_back(leases, str(exc))
        return Summary(claims=len(leases), failed=len(leases), errors=[str(exc)])
    _retire(leases)
    return summary


def _retire(leases: list[Lease]) -> None:
    """Delete each row under our lease unless the claim was requested again meanwhile."""
    for lease in leases:
        deleted, _ = PendingEmbedding.objects.filter(
            claim_id=lease.claim_id, lease_token=lease.token, requested_at=lease.requested_at,
        ).delete()
        if not deleted:  # asked again while we worked: due again at once
            PendingEmbedding.objects.filter(
                claim_id=lease.claim_id, lease_token=lease.token,
            ).update(lease_until=None, lease_token=None)


def _give_back(leases: list[Lease], error: str) -> None:
    from django.db.models import F

    PendingEmbedding.objects.filter(
        claim_id__in=[lease.claim_id for lease in leases], lease_token=leases[0].token,
    ).update(lease_until=None, lease_token=None, attempts=F("attempts") + 1,
             last_error=error[:500])


def run(budget_seconds: float | None = None, batch: int | None = None,
        progress=None) -> Summary:
    """Embed due claims until none is left, the budget is spent or the model is unavailable."""
    batch = batch or settings.SIMILARITY_BATCH_SIZE
    deadline = time.monotonic() + budget_seconds if budget_seconds else None
    total = Summary()
    while deadline is None or time.monotonic() < deadline:
        leases = take(batch)
        if not leases:
            break
        done = embed_leased(leases)
        total.claims += done.claims
        total.embedded += done.embedded
        total.unchanged += done.unchanged
        total.failed += done.failed
        total.errors += done.errors
        if progress is not None:
            progress(done)
        if done.failed:
            break
    return total


def due_count() -> int:
    return PendingEmbedding.objects.count()
