"""The one way endpoints are registered, changed, rotated, disabled, and deliveries replayed.

The API and the admin both call these; nothing else writes an Endpoint. An
endpoint's URL passes the static half of the links' SSRF guard here (scheme,
port allow-list, literal and local addresses); the connect-time half runs on
every delivery (delivery.py), so a name that later resolves to 127.0.0.1 is
refused then.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from newsrooms.models import ApiKey, Newsroom
from sources.url_policy import UnsafeURL, check_url

from . import signing
from .models import Delivery, DeliveryState, Endpoint, EventType


def check_endpoint_url(url: str) -> str:
    """The URL as stored, or ValidationError naming why the guard refuses it."""
    from .delivery import policy

    url = (url or "").strip()
    if not url:
        raise ValidationError({"url": ["An endpoint needs a URL."]}, code="required")
    if len(url) > 2048:
        raise ValidationError({"url": ["At most 2048 characters."]}, code="max_length")
    try:
        check_url(url, policy())
    except UnsafeURL as exc:
        raise ValidationError({"url": [f"Refused: {exc.reason}."]}, code="unsafe_url") from None
    return url


def check_events(events: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(events or []))
    unknown = [e for e in chosen if e not in EventType.values]
    if unknown or not chosen:
        raise ValidationError(
            {"events": [f"Choose one or more of: {', '.join(EventType.values)}"
                        + (f" (unknown: {', '.join(map(str, unknown))})." if unknown else ".")]},
            code="invalid_choice")
    return chosen


def register(newsroom: Newsroom, *, url: str, events: Iterable[str], description: str = "",
             key: ApiKey | None = None) -> Endpoint:
    """A new active endpoint with a fresh secret (read it from `endpoint.secret`)."""
    now = timezone.now()
    return Endpoint.objects.create(
        newsroom=newsroom, url=check_endpoint_url(url), events=check_events(events),
        description=description or "", secret=signing.new_secret(), created_by_key=key,
        created_at=now, updated_at=now)


@transaction.atomic
def update(endpoint: Endpoint, **changes) -> Endpoint:
    """Change url, events, description or active (re-enabling clears the disabled reason)."""
    locked = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    if "url" in changes:
        locked.url = check_endpoint_url(changes["url"])
    if "events" in changes:
        locked.events = check_events(changes["events"])
    if "description" in changes:
        locked.description = changes["description"] or ""
    if "active" in changes and bool(changes["active"]) != locked.active:
        if changes["active"]:
            locked.active, locked.disabled_at, locked.disabled_reason = True, None, ""
            locked.consecutive_failures, locked.failing_since = 0, None
        else:
            locked.active, locked.disabled_at = False, timezone.now()
            locked.disabled_reason = "Disabled by the newsroom."
    locked.updated_at = timezone.now()
    locked.save()
    endpoint.refresh_from_db()
    if locked.active:
        transaction.on_commit(_wake)
    return endpoint


@transaction.atomic
def rotate_secret(endpoint: Endpoint, *, overlap_seconds: int | None = None) -> Endpoint:
    """A new secret; the old one keeps signing alongside it for the overlap (default 24 h)."""
    overlap = settings.WEBHOOKS_ROTATION_OVERLAP_SECONDS if overlap_seconds is None \
        else overlap_seconds
    locked = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    now = timezone.now()
    if overlap > 0:
        locked.previous_secret = locked.secret
        locked.previous_secret_until = now + timedelta(seconds=overlap)
    else:
        locked.previous_secret, locked.previous_secret_until = "", None
    locked.secret = signing.new_secret()
    locked.updated_at = now
    locked.save()
    endpoint.refresh_from_db()
    return endpoint


def remove(endpoint: Endpoint) -> None:
    """Delete an endpoint with its deliveries and their log (events other endpoints share stay)."""
    Endpoint.objects.filter(pk=endpoint.pk).delete()


def disable(endpoint_id: int, reason: str) -> bool:
    """Stop deliveries to an endpoint, saying why; False if it already was disabled."""
    now = timezone.now()
    return bool(Endpoint.objects.filter(pk=endpoint_id, active=True).update(
        active=False, disabled_at=now, disabled_reason=reason[:500], updated_at=now))


@transaction.atomic
def replay(delivery: Delivery) -> Delivery:
    """Send a delivery again now (same webhook-id), with a fresh retry window.

    A replay supersedes an attempt in flight: its lease is revoked, so that
    attempt's outcome is not recorded (a worker writes only under its lease) and
    cannot mark the delivery delivered over the editor's request; the delivery
    goes out again. The receiver may then see both POSTs, under one webhook-id,
    which is what that id is for. Replaying to a disabled endpoint queues it for
    when the endpoint is enabled.
    """
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.PENDING, next_attempt_at=now, delivered_at=None,
        lease_until=None, lease_token=None,
        retry_until=now + timedelta(seconds=settings.WEBHOOKS_RETRY_FOR_SECONDS))
    delivery.refresh_from_db()
    transaction.on_commit(_wake)
    return delivery


def _wake() -> None:
    from .events import wake

    wake()
