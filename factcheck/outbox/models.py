"""A task that must run, kept in the database until it has run.

Sending a Celery message when a transaction commits is fast but not durable: with
Redis down the message is dropped, and with Redis restarted without its data a
queued one is gone. So each task that matters is first a row written in the same
transaction as the change that needs it; the message sent on commit is only the
fast path. The row is deleted when the task succeeds; a beat sweep re-sends the
rows still here (factcheck/outbox/sending.py). Tasks therefore must be safe to
run twice, which every task sent this way already is.
"""

from django.db import models
from django.utils import timezone


class MessageQuerySet(models.QuerySet):
    def due(self, now=None):
        return self.filter(gave_up_at=None, due_at__lte=now or timezone.now())


class Message(models.Model):
    task = models.CharField(max_length=200, help_text="The Celery task's registered name.")
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(
        help_text="When the sweep sends it (again) unless it has succeeded by then.")
    attempts = models.PositiveIntegerField(default=0, help_text="Sends by the sweep.")
    last_error = models.CharField(max_length=500, blank=True, default="")
    gave_up_at = models.DateTimeField(null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["due_at"], name="outbox_due",
                         condition=models.Q(gave_up_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)} #{self.pk}"
