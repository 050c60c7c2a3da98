from celery import shared_task

from .snapshots import take_snapshot


@shared_task(ignore_result=True)
def take_weekly_snapshot() -> int:
    """Store this week's report figures (Celery beat, weekly); a second run changes nothing."""
    snapshot, _created = take_snapshot()
    return snapshot.pk
