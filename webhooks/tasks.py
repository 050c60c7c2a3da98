"""Celery tasks: wake-ups over the deliveries table; the work is in delivery.py.

Both are safe to run twice: deliveries are leased in PostgreSQL, so two tasks
never send the same one at once, and a lost message costs a delay until the
next sweep, never a webhook.
"""

from __future__ import annotations

import contextlib

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError

from . import delivery
from .models import Delivery

# One outstanding beat wake-up per slot, as the link queue does: a long backlog
# does not pile up duplicate tasks in the broker. The slot lives a lease long and
# each batch renews it, so a killed worker's slot lapses within seconds.
WAKE_KEY = "webhooks:wake:{slot}"


@shared_task(
    ignore_result=True, acks_late=True, reject_on_worker_lost=True,
    soft_time_limit=settings.WEBHOOKS_TASK_BUDGET + 60,
    autoretry_for=(OperationalError, InterfaceError), retry_backoff=5, max_retries=5,
)
def deliver_due(slot: int | None = None) -> dict:
    """Deliver what is due until nothing is, or the time budget is spent."""
    key = WAKE_KEY.format(slot=slot) if slot is not None else None

    def alive() -> None:
        if key:
            with contextlib.suppress(Exception):  # a Redis blip must not stop deliveries
                cache.touch(key, timeout=settings.WEBHOOKS_LEASE_SECONDS)

    try:
        return delivery.deliver_due(alive=alive)
    except SoftTimeLimitExceeded:
        return {"stopped": "soft time limit"}
    finally:
        if key:
            with contextlib.suppress(Exception):  # the slot expires by itself anyway
                cache.delete(key)


@shared_task(ignore_result=True)
def sweep() -> int:
    """Beat: wake up to WEBHOOKS_WAKE_TASKS workers if any delivery is due. Returns how many."""
    if not Delivery.objects.due().exists():
        return 0
    woken = 0
    for slot in range(settings.WEBHOOKS_WAKE_TASKS):
        if cache.add(WAKE_KEY.format(slot=slot), 1, timeout=settings.WEBHOOKS_LEASE_SECONDS):
            deliver_due.delay(slot)
            woken += 1
    return woken
