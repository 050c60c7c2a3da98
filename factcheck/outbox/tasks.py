"""Beat: send again what the outbox still holds (a wake-up; the work is in sending.py)."""

from celery import shared_task

from .sending import send_due


@shared_task(ignore_result=True)
def send_outbox() -> int:
    return send_due()
