"""Webhook endpoints a newsroom registers, the events we owe them, and each delivery.

An event is written in the same transaction as the change it reports, together
with one Delivery row per endpoint that wants it: the deliveries table is the
queue (taken like the link queue, delivery.py), so a broker outage delays a
webhook but never loses one. A delivery keeps its `webhook_id` through every
retry and replay, as the Standard Webhooks specification asks, so receivers can
drop duplicates.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from newsrooms.models import ApiKey, Newsroom


class EventType(models.TextChoices):
    CLAIM_PUBLISHED = "claim.published", "A claim was published"
    CLAIM_UNPUBLISHED = "claim.unpublished", "A published claim was taken down"
    CLAIM_VERDICT_CHANGED = "claim.verdict_changed", "A published claim's verdict changed"
    CLAIM_STATUS_CHANGED = "claim.status_changed", "A published claim's status changed"
    LINK_BROKEN = "link.broken", "A link cited by a published claim broke"
    LINK_CHANGED = "link.changed", "A page cited by a published claim changed"


class Endpoint(models.Model):
    """A newsroom's URL that receives signed POSTs for the events it chose."""

    newsroom = models.ForeignKey(Newsroom, on_delete=models.CASCADE,
                                 related_name="webhook_endpoints")
    url = models.URLField(max_length=2048)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(help_text="The event types it receives, e.g. [\"claim.published\"].")
    secret = models.CharField(max_length=100, help_text="whsec_… signing secret.")
    previous_secret = models.CharField(max_length=100, blank=True, default="")
    previous_secret_until = models.DateTimeField(
        null=True, blank=True, help_text="Until then, deliveries are signed with both secrets.")
    active = models.BooleanField(default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=500, blank=True, default="")
    consecutive_failures = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    created_by_key = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["newsroom", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(url__startswith="https://") | Q(url__startswith="http://"),
                name="webhook_endpoint_url_http"),
            models.CheckConstraint(condition=Q(secret__startswith="whsec_"),
                                   name="webhook_endpoint_secret_whsec"),
            # A disabled endpoint says why and when; an active one carries no reason.
            models.CheckConstraint(
                condition=(Q(active=True, disabled_at__isnull=True, disabled_reason="")
                           | (Q(active=False) & Q(disabled_at__isnull=False)
                              & ~Q(disabled_reason=""))),
                name="webhook_endpoint_disabled_has_reason"),
            models.CheckConstraint(
                condition=Q(previous_secret="") | Q(previous_secret_until__isnull=False),
                name="webhook_endpoint_previous_secret_has_end"),
        ]

    def __str__(self) -> str:
        return f"{self.newsroom}: {self.url}"


class Event(models.Model):
    """Something that happened, as the payload every endpoint wanting it receives."""

    type = models.CharField(max_length=40, choices=EventType.choices)
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(type__in=EventType.values),
                                   name="webhook_event_type_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.type} #{self.pk}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed for good"


class DeliveryQuerySet(models.QuerySet):
    def due(self, now=None) -> DeliveryQuerySet:
        now = now or timezone.now()
        return self.filter(
            Q(lease_until__isnull=True) | Q(lease_until__lte=now),
            state=DeliveryState.PENDING, next_attempt_at__lte=now, endpoint__active=True,
        )


class Delivery(models.Model):
    """One event owed to one endpoint: the queue row workers lease, and its outcome."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    webhook_id = models.CharField(max_length=40, unique=True, editable=False,
                                  help_text="The webhook-id header, the same on every retry.")
    state = models.CharField(max_length=10, choices=DeliveryState.choices,
                             default=DeliveryState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    lease_token = models.UUIDField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True, default="")
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Retries stop this long after the first try (or after a replay).
    retry_until = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="webhook_delivery_once"),
            models.CheckConstraint(condition=Q(state__in=DeliveryState.values),
                                   name="webhook_delivery_state_valid"),
            models.CheckConstraint(
                condition=~Q(state=DeliveryState.DELIVERED) | Q(delivered_at__isnull=False),
                name="webhook_delivery_delivered_has_time"),
        ]
        indexes = [
            # The lease walks this in order and stops at its LIMIT: no sort of the backlog.
            models.Index(fields=["next_attempt_at", "id"], name="webhook_delivery_due_order",
                         condition=Q(state="pending")),
        ]

    def __str__(self) -> str:
        return f"{self.webhook_id} → {self.endpoint_id}"

    @staticmethod
    def new_webhook_id() -> str:
        return f"msg_{uuid.uuid4().hex}"


class Attempt(models.Model):
    """The delivery log: one row per POST tried, kept for the newsroom and the desk."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log")
    number = models.PositiveIntegerField()
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=1000, blank=True, default="")
    error = models.CharField(max_length=500, blank=True, default="")
    duration_ms = models.PositiveIntegerField(default=0)
    succeeded = models.BooleanField(default=False)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="webhook_attempt_once"),
        ]

    def __str__(self) -> str:
        return f"{self.delivery.webhook_id} attempt {self.number}"
