"""Celery tasks for claims: thin, idempotent, safe to run twice."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .relations import refresh_automatic_relations


@shared_task(
    ignore_result=True, acks_late=True, reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, retry_jitter=True,
    max_retries=5, soft_time_limit=120, time_limit=180,
)
def find_related_claims(claim_ids: list[int]) -> dict:
    """Recompute the automatic conflicts of these claims after they changed."""
    return refresh_automatic_relations(claim_ids)
