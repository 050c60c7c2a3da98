"""Celery tasks: wake-ups over the deliveries table; the work is in delivery.py.

Both are safe to run twice: deliveries are leased in PostgreSQL, so two tasks
never send the same one at once, and a lost message costs a delay until the
next sweep, never a webhook.
"""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError

from factcheck.wakeslots import WakeSlots

from . import delivery
from .models import Delivery

# One outstanding beat wake-up per slot, as the link queue has (factcheck/wakeslots.py).
SLOTS = WakeSlots("webhooks")


@shared_task(
    ignore_result=True, acks_late=True, reject_on_worker_lost=True,
    soft_time_limit=settings.WEBHOOKS_TASK_BUDGET + 60,
    autoretry_for=(OperationalError, InterfaceError), retry_backoff=5, max_retries=5,
)
def deliver_due(slot: int | None = None) -> dict:
    """Deliver what is due until nothing is, or the time budget is spent."""
    with SLOTS.held(slot, lease_seconds=settings.WEBHOOKS_LEASE_SECONDS) as alive:
        try:
            return delivery.deliver_due(alive=alive)
        except SoftTimeLimitExceeded:
            return {"stopped": "soft time limit"}


@shared_task(ignore_result=True)
def sweep() -> int:
    """Beat: wake up to WEBHOOKS_WAKE_TASKS workers if any delivery is due. Returns how many."""
    if not Delivery.objects.due().exists():
        return 0
    return SLOTS.wake(deliver_due, slots=settings.WEBHOOKS_WAKE_TASKS,
                      lease_seconds=settings.WEBHOOKS_LEASE_SECONDS)
