"""A task sent from the outbox that succeeds deletes its row (see sending.py)."""

import logging

from celery.signals import task_success

from .sending import finished

log = logging.getLogger(__name__)


@task_success.connect(dispatch_uid="outbox_task_succeeded")
def task_succeeded(sender=None, **kwargs) -> None:
    try:
        finished(sender.request.id)
    except Exception:  # the database is away: the sweep sends it again; the task is idempotent
        log.warning("could not mark outbox task %s done", sender.request.id, exc_info=True)
