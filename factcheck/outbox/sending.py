"""Write a task's row with the change that needs it; send it on commit; re-send what is left.

A message carries its row's id as the Celery task id (`outbox-<id>`); when the
task succeeds, receivers.py deletes the row. Whatever is still there when it
falls due — the broker was down at commit, Redis lost the queued message, a
worker died mid-task, the task failed for good — the beat sweep sends again,
backing off, until it succeeds or `OUTBOX_MAX_ATTEMPTS` is spent.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Message

log = logging.getLogger(__name__)

TASK_ID_PREFIX = "outbox-"


def task_id(message_id: int) -> str:
    return f"{TASK_ID_PREFIX}{message_id}"


def message_id(celery_task_id: str | None) -> int | None:
    """The outbox row behind a Celery task id, if it came from the outbox."""
    if celery_task_id and celery_task_id.startswith(TASK_ID_PREFIX):
        tail = celery_task_id[len(TASK_ID_PREFIX):]
        if tail.isdigit():
            return int(tail)
    return None


def enqueue(task: str, args: list | None = None, kwargs: dict | None = None) -> Message:
    """Run `task` once the current transaction commits, even if the broker is away now.

    Call it inside the transaction that makes the task necessary: the row commits
    or rolls back with it.
    """
    message = Message.objects.create(
        task=task, args=list(args or []), kwargs=dict(kwargs or {}),
        due_at=timezone.now() + timedelta(seconds=settings.OUTBOX_RETRY_SECONDS),
    )
    _send_on_commit(message.pk)
    return message


# One message per task name per transaction, its item list growing as signals fire:
# a claim saved with three attributions and evidence is six signals but one task.
_batches = threading.local()


def add_to_batch(task: str, items: Iterable) -> None:
    """Add items to this transaction's one message for `task` (called as `task(items)`)."""
    new = set(items)
    if not new:
        return
    open_batches: dict[str, tuple[int, set]] = _batches.__dict__.setdefault("open", {})
    current = open_batches.get(task)
    if current is not None:
        row_id, known = current
        if new <= known:
            return
        # A rolled-back transaction (or savepoint) took its row with it, and with it
        # the changes that wanted those ids: then this change starts a new row.
        if Message.objects.filter(pk=row_id).update(args=[sorted(known | new)]):
            known |= new
            return
    message = Message.objects.create(
        task=task, args=[sorted(new)],
        due_at=timezone.now() + timedelta(seconds=settings.OUTBOX_RETRY_SECONDS),
    )
    open_batches[task] = (message.pk, set(new))

    def close() -> None:
        if open_batches.get(task, (None,))[0] == message.pk:
            del open_batches[task]

    transaction.on_commit(close)
    _send_on_commit(message.pk)


def _send_on_commit(row_id: int) -> None:
    def send() -> None:
        row = Message.objects.filter(pk=row_id).values("task", "args", "kwargs").first()
        if row is not None:  # an eager task may already have run and deleted it
            send_message(row_id, row["task"], row["args"], row["kwargs"])

    transaction.on_commit(send)


def send_message(row_id: int, task: str, args: list, kwargs: dict) -> bool:
    """Publish one message without retrying: if it fails, the row is still due later."""
    try:
        found = _task(task)
    except (KeyError, ImportError):
        log.error("outbox message %s names no known task %r", row_id, task)
        return False
    try:
        found.apply_async(args, kwargs, task_id=task_id(row_id), retry=False)
    except Exception as exc:  # broker away, or an eager task failing: the row stays
        log.warning("outbox message %s (%s) not sent now, the sweep will: %r",
                    row_id, task, exc)
        return False
    return True


def _task(name: str):
    from factcheck.celery import app

    if name not in app.tasks:
        # Outside a worker nothing has imported the task modules yet; names are
        # "module.function", so importing the module registers it.
        importlib.import_module(name.rpartition(".")[0])
    return app.tasks[name]


def _backoff(attempts: int) -> timedelta:
    seconds = settings.OUTBOX_RETRY_SECONDS * 2 ** min(attempts, 12)
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


def send_due(limit: int = 500) -> int:
    """Send again every message due now; return how many were sent.

    Rows are taken FOR UPDATE SKIP LOCKED and pushed forward before anything is
    sent, so two sweeps never send the same row in the same round.
    """
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            Message.objects.due(now).order_by("due_at")
            .select_for_update(skip_locked=True)[:limit]
        )
        for row in rows:
            row.attempts += 1
            row.due_at = now + _backoff(row.attempts)
            if row.attempts > settings.OUTBOX_MAX_ATTEMPTS:
                row.gave_up_at = now
                log.error("outbox message %s (%s) given up after %d sends",
                          row.pk, row.task, row.attempts - 1)
        Message.objects.bulk_update(rows, ["attempts", "due_at", "gave_up_at"])
    sent = 0
    for row in rows:
        if row.gave_up_at is not None:
            continue
        if not send_message(row.pk, row.task, row.args, row.kwargs):
            Message.objects.filter(pk=row.pk).update(last_error="not sent: see the logs")
            if not settings.CELERY_TASK_ALWAYS_EAGER:
                break  # the broker is away: the rest stay due for the next sweep
            continue
        sent += 1
    return sent


def finished(celery_task_id: str | None) -> None:
    """The task behind this id succeeded: its row is done."""
    row_id = message_id(celery_task_id)
    if row_id is not None:
        Message.objects.filter(pk=row_id).delete()
