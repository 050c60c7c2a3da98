"""Celery tasks: wake-ups over the PendingEmbedding table (similarity/queue.py).

A lost message costs a delay until the next beat, nothing more: the rows are
in PostgreSQL. acks_late is safe here because embedding is idempotent (a
claim whose text is unchanged is skipped) and rows are retired under a lease.
"""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import queue

# Work over rows claimed in PostgreSQL: redelivered if the worker dies (idempotent),
# retried through a database blip, stopped by its own budget before the hard limit.
_BATCH_WORK = dict(
    ignore_result=True, acks_late=True, reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, retry_jitter=True,
    max_retries=5, soft_time_limit=settings.SIMILARITY_TASK_SOFT_LIMIT,
    time_limit=settings.SIMILARITY_TASK_SOFT_LIMIT + 60,
)


@shared_task(**_BATCH_WORK)
def embed_due_claims() -> dict:
    """Embed what is due (new and edited claims), within a time budget."""
    try:
        done = queue.run(budget_seconds=max(10, settings.SIMILARITY_TASK_SOFT_LIMIT - 30))
    except SoftTimeLimitExceeded:
        return {"stopped": "soft time limit"}
    return {"claims": done.claims, "embedded": done.embedded, "failed": done.failed}


@shared_task(ignore_result=True)
def sweep_due_embeddings() -> int:
    """Beat: wake a worker if anything is due (covers lost messages and expired leases)."""
    if queue.due_count():
        embed_due_claims.delay()
        return 1
    return 0


@shared_task(ignore_result=True, autoretry_for=(OperationalError, InterfaceError),
             retry_backoff=True, max_retries=3)
def rebuild_index() -> str:
    """Beat: rebuild the inverted file where "auto" would search it; else nothing.

    Safe to run twice: each build replaces the file in one rename. The table is
    the record, so a lost run only leaves the web processes catching up from an
    older build (the rows since its watermark are read from the table).
    """
    from django.db import connection

    from . import index, ivf
    from .models import ClaimVector

    stored = ClaimVector.objects.filter(model=index.embedding.model_name()).count()
    if (connection.vendor != "postgresql" or settings.SIMILARITY_INDEX == "exact"
            or (settings.SIMILARITY_INDEX == "auto" and stored < settings.SIMILARITY_IVF_MIN)):
        return "not needed"
    return str(ivf.save(index.build()))


@shared_task(**_BATCH_WORK)
def refresh_text_facts() -> dict:
    """Read again the stored text facts a rules change made stale, within a time budget.

    Each batch is claimed (FOR UPDATE SKIP LOCKED) and rewritten in one transaction,
    so workers running this at once share the rows and a lost run loses nothing:
    the next beat finds what is left (storedfacts.refresh_stale).
    """
    import time

    from . import storedfacts

    deadline = time.monotonic() + max(10, settings.SIMILARITY_TASK_SOFT_LIMIT - 30)
    done = 0
    try:
        while time.monotonic() < deadline:
            claimed = storedfacts.refresh_stale(settings.SIMILARITY_FACTS_BATCH)
            done += claimed
            if not claimed:
                break
    except SoftTimeLimitExceeded:
        return {"refreshed": done, "stopped": "soft time limit"}
    return {"refreshed": done}


@shared_task(ignore_result=True)
def sweep_stale_text_facts() -> int:
    """Beat: wake a worker if stored text facts are stale (after a deploy that changed
    the text rules, or rows owed since the `rules` column came)."""
    from . import storedfacts

    if storedfacts.any_stale():
        refresh_text_facts.delay()
        return 1
    return 0
