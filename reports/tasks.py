from celery import shared_task

from . import rollups
from .snapshots import take_snapshot


@shared_task(ignore_result=True)
def take_weekly_snapshot() -> int:
    """Store this week's report figures (Celery beat, weekly); a second run changes nothing."""
    snapshot, _created = take_snapshot()
    return snapshot.pk


@shared_task(ignore_result=True)
def compact_rollups() -> None:
    """Fold the running counts' +1/-1 rows (Celery beat, every few minutes); idempotent."""
    rollups.compact()
