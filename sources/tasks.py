"""Celery tasks: thin wrappers that wake a worker; the work is in sources/refresh.py.

No task carries a schedule: when a link is next due lives in PostgreSQL, so a
lost message, a killed worker or a restarted Redis costs nothing but a delay
until the next beat.
"""

from __future__ import annotations

from collections.abc import Iterable

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_init
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError

from factcheck.wakeslots import WakeSlots

from . import checking, scheduling
from .models import Link
from .refresh import refresh

# Faults worth another try; anything else is a bug and should be seen, not retried.
TRANSIENT = (OperationalError, InterfaceError, BrokerError, RedisConnectionError)
# One outstanding beat wake-up per slot (factcheck/wakeslots.py): a busy queue does
# not pile up duplicates, and a dead worker's slot lapses within a lease.
SLOTS = WakeSlots("links")
RELIABLE = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": TRANSIENT,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


@worker_init.connect
def _load_the_page_readers(**kwargs) -> None:
    """Load trafilatura and htmldate when the worker starts, before its pool forks.

    The checks import them on the first page without landmarks or a date: ~80 ms
    that a fresh worker's first refresh paid in the middle of its pass (8–17 µs a
    link over the benchmark's 5,000–10,000 links, docs/benchmarks.md), and every
    forked process again. Loaded in the parent, the pool's processes share them.
    """
    checking.load_page_readers()


def _budget() -> float:
    # Leave the soft limit room to flush results and hand leases back.
    return max(10.0, settings.LINKS_TASK_SOFT_LIMIT - 30)


@shared_task(ignore_result=True)
def refresh_due_links() -> int:
    """Beat: wake up to LINKS_WAKE_TASKS workers if anything is due. Returns how many."""
    if not Link.objects.due().exists():
        return 0
    return SLOTS.wake(check_due_links, slots=settings.LINKS_WAKE_TASKS,
                      lease_seconds=settings.LINKS_LEASE_SECONDS)


@shared_task(
    bind=True, soft_time_limit=settings.LINKS_TASK_SOFT_LIMIT,
    time_limit=settings.LINKS_TASK_TIME_LIMIT, **RELIABLE,
)
def check_due_links(self, slot: int | None = None) -> dict:
    """Lease and check due links until none is left or the time budget is spent."""
    with SLOTS.held(slot, lease_seconds=settings.LINKS_LEASE_SECONDS) as alive:
        try:
            summary = refresh(budget_seconds=_budget(), alive=alive)
        except SoftTimeLimitExceeded:
            return {"stopped": "soft time limit"}
    return {"checked": summary.checked, "outcomes": dict(summary.outcomes)}


@shared_task(
    bind=True, soft_time_limit=settings.LINKS_TASK_SOFT_LIMIT,
    time_limit=settings.LINKS_TASK_TIME_LIMIT, **RELIABLE,
)
def check_links(self, link_ids: list[int], requested_at: str | None = None) -> dict:
    """Check these links now (new, edited, or an editor's "refresh now").

    A link already checked since `requested_at` is skipped, so a redelivered
    message does not check twice.
    """
    try:
        summary = refresh(
            ids=link_ids, requested_before=parse_datetime(requested_at) if requested_at else None,
            budget_seconds=_budget(),
        )
    except SoftTimeLimitExceeded:
        return {"stopped": "soft time limit"}
    return {"checked": summary.checked, "outcomes": dict(summary.outcomes)}


# --- Wake-ups requested by the admin, the API and signals ---------------------


def request_check(link_ids: Iterable[int], *, asked: bool = True) -> int:
    """Check these links as soon as the current transaction commits.

    The links are made due first, so even if the message is lost the next beat
    pass takes them. An editor's request (`asked`, the default: "refresh now" in
    the admin or the API) is always sent; on the embedded default (no broker)
    that runs the check in-process, leased like any other. A link merely added
    or edited (`asked=False`) is sent only with LINKS_CHECK_ON_COMMIT, so
    loading data without a broker does not fetch the web inline; run
    `manage.py refresh_links --due` for those.
    """
    ids = sorted(set(link_ids))
    if not ids:
        return 0
    count = scheduling.mark_due(ids)
    if asked or settings.LINKS_CHECK_ON_COMMIT:
        requested_at = timezone.now().isoformat()

        def send() -> None:
            for start in range(0, len(ids), settings.LINKS_BATCH_SIZE):
                check_links.delay(ids[start:start + settings.LINKS_BATCH_SIZE], requested_at)

        transaction.on_commit(send, robust=True)
    return count
