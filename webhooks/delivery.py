"""Deliveries: leased from PostgreSQL, POSTed through the SSRF guard, recorded under the lease.

The pattern of sources/scheduling.py: a worker takes due deliveries by giving
them a lease (token + expiry) in one UPDATE over `FOR UPDATE SKIP LOCKED` rows,
sends them, and writes each outcome only while its lease still holds, with the
attempt's log row in the same transaction. A worker killed mid-send leaves its
leases to expire (WEBHOOKS_LEASE_SECONDS, longer than one POST may take), and
the next worker sends the same deliveries again, with the same webhook-id.

Retries: exponential backoff with full jitter, a 429/503's Retry-After
honoured, for WEBHOOKS_RETRY_FOR_SECONDS (three days) after the first try. A 410
disables the endpoint at once; so does failing without a success for
WEBHOOKS_DISABLE_AFTER_SECONDS and WEBHOOKS_DISABLE_AFTER_FAILURES attempts.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from sources.checking import retry_after_seconds
from sources.safehttp import FetchError, Policy, SafeClient, UnsafeURL

from . import signing
from .models import Attempt, Delivery, DeliveryState, Endpoint

EXCERPT_BYTES = 1000
RETRY_AFTER_STATUSES = frozenset({429, 503})


@dataclass(frozen=True)
class Leased:
    """A leased delivery: what the POST needs, and the token its outcome must show."""

    id: int
    token: uuid.UUID
    webhook_id: str
    endpoint_id: int
    url: str
    secrets: tuple[str, ...]
    body: bytes
    attempts: int
    retry_until: datetime | None


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    excerpt: str
    error: str
    duration_ms: int
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def body_of(payload: dict) -> bytes:
    """The same bytes for the same event on every retry."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"),
                      sort_keys=True).encode("utf-8")


def secrets_in_use(endpoint: Endpoint, now: datetime) -> tuple[str, ...]:
    if endpoint.previous_secret and endpoint.previous_secret_until \
            and endpoint.previous_secret_until > now:
        return (endpoint.secret, endpoint.previous_secret)
    return (endpoint.secret,)


# --- Leasing --------------------------------------------------------------------


def lease_due(limit: int | None = None, *, lease_seconds: int | None = None) -> list[Leased]:
    """Lease up to `limit` due deliveries of active endpoints, oldest due first."""
    limit = limit or settings.WEBHOOKS_BATCH_SIZE
    lease = timedelta(seconds=lease_seconds or settings.WEBHOOKS_LEASE_SECONDS)
    token = uuid.uuid4()
    table = Delivery._meta.db_table
    if connection.vendor == "postgresql":
        # Few endpoints are disabled: naming them keeps the scan on the due index,
        # in order, stopping at the LIMIT (a join made the planner sort the backlog).
        disabled = list(Endpoint.objects.filter(active=False).values_list("pk", flat=True))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"""
                UPDATE {table} d SET lease_until = statement_timestamp() + %(lease)s,
                                     lease_token = %(token)s
                WHERE d.id IN (
                    SELECT d2.id FROM {table} d2
                    WHERE d2.state = 'pending'
                      AND d2.next_attempt_at <= statement_timestamp()
                      AND (d2.lease_until IS NULL OR d2.lease_until <= statement_timestamp())
                      AND NOT (d2.endpoint_id = ANY(%(disabled)s))
                    ORDER BY d2.next_attempt_at, d2.id
                    LIMIT %(limit)s
                    FOR UPDATE SKIP LOCKED
                )
                RETURNING d.id
            """, {"lease": lease, "token": token, "limit": limit, "disabled": disabled})
            ids = [row[0] for row in cursor.fetchall()]
    else:
        # SQLite: one writer at a time; the UPDATE re-checks the lease itself.
        now = timezone.now()
        with transaction.atomic():
            ids = list(Delivery.objects.due(now).order_by("next_attempt_at", "id")
                       .values_list("id", flat=True)[:limit])
            Delivery.objects.filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now),
                                    pk__in=ids).update(lease_until=now + lease,
                                                       lease_token=token)
            ids = list(Delivery.objects.filter(lease_token=token).values_list("id", flat=True))
    if not ids:
        return []
    now = timezone.now()
    rows = Delivery.objects.filter(pk__in=ids, lease_token=token).select_related(
        "endpoint", "event").order_by("next_attempt_at", "id")
    return [
        Leased(id=d.pk, token=token, webhook_id=d.webhook_id, endpoint_id=d.endpoint_id,
               url=d.endpoint.url, secrets=secrets_in_use(d.endpoint, now),
               body=body_of(d.event.payload), attempts=d.attempts, retry_until=d.retry_until)
        for d in rows
    ]


# --- Sending --------------------------------------------------------------------


def policy() -> Policy:
    """The links' SSRF guard (ports, private hosts, pinned names), a webhook's patience."""
    return Policy.from_settings(
        user_agent=settings.WEBHOOKS_USER_AGENT,
        connect_timeout=min(5.0, settings.WEBHOOKS_TIMEOUT),
        read_timeout=settings.WEBHOOKS_TIMEOUT,
        max_bytes=EXCERPT_BYTES,
    )


async def _post(client: SafeClient, item: Leased) -> Outcome:
    started = time.monotonic()
    timestamp = int(time.time())
    headers = signing.headers(item.secrets, item.webhook_id, timestamp, item.body)

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        async with asyncio.timeout(settings.WEBHOOKS_TIMEOUT):
            doc = await client.fetch(item.url, method="POST", headers=headers, data=item.body,
                                     follow_redirects=False, truncate=True,
                                     max_bytes=EXCERPT_BYTES)
    except UnsafeURL as exc:
        return Outcome(None, "", f"Refused by the SSRF guard: {exc.reason}"[:500], took())
    except FetchError as exc:
        return Outcome(None, "", f"{exc.kind}: {exc.message}"[:500], took())
    except TimeoutError:
        return Outcome(None, "", f"timeout: no answer in {settings.WEBHOOKS_TIMEOUT:g}s", took())
    retry_after = (retry_after_seconds(doc.headers.get("retry-after"))
                   if doc.status in RETRY_AFTER_STATUSES else None)
    return Outcome(doc.status, doc.text()[:EXCERPT_BYTES], "", took(), retry_after)


async def send(batch: list[Leased]) -> list[tuple[Leased, Outcome]]:
    async with SafeClient(policy()) as client:
        outcomes = await asyncio.gather(*(_post(client, item) for item in batch))
    return list(zip(batch, outcomes, strict=True))


# --- What an outcome does ---------------------------------------------------------


def backoff(attempt: int) -> float:
    """Full jitter: uniform between 0 and the exponential ceiling, at least a second."""
    ceiling = min(settings.WEBHOOKS_RETRY_MAX_SECONDS,
                  settings.WEBHOOKS_RETRY_BASE_SECONDS * 2 ** min(attempt - 1, 30))
    return max(1.0, random.uniform(0, ceiling))


def next_state(item: Leased, outcome: Outcome, now: datetime) -> dict:
    """The delivery's new field values (pure: no database)."""
    attempt = item.attempts + 1
    fields: dict = {"attempts": attempt, "lease_until": None, "lease_token": None,
                    "last_status_code": outcome.status_code,
                    "last_error": outcome.error or ("" if outcome.ok else
                                                    f"HTTP {outcome.status_code}")}
    if outcome.ok:
        fields.update(state=DeliveryState.DELIVERED, delivered_at=now)
    elif outcome.status_code == 410:
        fields["state"] = DeliveryState.FAILED
    else:
        wait = outcome.retry_after if outcome.retry_after is not None else backoff(attempt)
        wait = min(wait, settings.WEBHOOKS_RETRY_AFTER_MAX_SECONDS)
        due = now + timedelta(seconds=wait)
        if item.retry_until is not None and due > item.retry_until:
            fields["state"] = DeliveryState.FAILED
            fields["last_error"] = (fields["last_error"] + "; retries exhausted")[:500]
        else:
            fields["next_attempt_at"] = due
    return fields


def record(results: list[tuple[Leased, Outcome]]) -> list[int]:
    """Write outcomes whose lease still holds, each with its log row; the ids written.

    A batch is a handful of statements, not a few per delivery: the rows still
    leased are locked and read once, the successes updated per status code in
    one UPDATE each, the log written in one INSERT. Failures (rarer, each with
    its own next try) are updated one by one.
    """
    if not results:
        return []
    now = timezone.now()
    with transaction.atomic():
        held = set(Delivery.objects.select_for_update().filter(
            pk__in=[item.id for item, _ in results],
            lease_token__in={item.token for item, _ in results},
        ).values_list("id", "lease_token"))
        mine = [(item, outcome) for item, outcome in results if (item.id, item.token) in held]
        delivered: dict[int, list[int]] = {}
        log: list[Attempt] = []
        for item, outcome in mine:
            fields = next_state(item, outcome, now)
            if outcome.ok:
                delivered.setdefault(outcome.status_code, []).append(item.id)
            else:
                Delivery.objects.filter(pk=item.id).update(**fields)
            log.append(Attempt(
                delivery_id=item.id, number=item.attempts + 1, at=now,
                status_code=outcome.status_code, response_excerpt=outcome.excerpt,
                error=outcome.error, duration_ms=outcome.duration_ms, succeeded=outcome.ok))
        for status_code, ids in delivered.items():
            Delivery.objects.filter(pk__in=ids).update(
                state=DeliveryState.DELIVERED, delivered_at=now, attempts=F("attempts") + 1,
                lease_until=None, lease_token=None, last_status_code=status_code,
                last_error="")
        Attempt.objects.bulk_create(log)
        succeeded = {item.endpoint_id for item, outcome in mine if outcome.ok}
        if succeeded:
            Endpoint.objects.filter(pk__in=succeeded, consecutive_failures__gt=0).update(
                consecutive_failures=0, failing_since=None)
        for item, outcome in mine:
            if not outcome.ok:
                _endpoint_failed(item.endpoint_id, outcome, now)
    return [item.id for item, _ in mine]


def _endpoint_failed(endpoint_id: int, outcome: Outcome, now: datetime) -> None:
    from .endpoints import disable

    endpoints = Endpoint.objects.filter(pk=endpoint_id)
    if outcome.status_code == 410:
        disable(endpoint_id, "The endpoint answered 410 Gone: it asked for no more deliveries.")
        return
    endpoints.update(consecutive_failures=F("consecutive_failures") + 1)
    endpoints.filter(failing_since__isnull=True).update(failing_since=now)
    endpoint = endpoints.values("consecutive_failures", "failing_since", "active").first()
    if (endpoint and endpoint["active"]
            and endpoint["consecutive_failures"] >= settings.WEBHOOKS_DISABLE_AFTER_FAILURES
            and now - endpoint["failing_since"]
            >= timedelta(seconds=settings.WEBHOOKS_DISABLE_AFTER_SECONDS)):
        disable(endpoint_id, f"{endpoint['consecutive_failures']} failed attempts in a row "
                             f"since {endpoint['failing_since']:%Y-%m-%d %H:%M} UTC, "
                             f"the last: {outcome.error or f'HTTP {outcome.status_code}'}")


# --- A worker's pass ------------------------------------------------------------


def deliver_due(budget_seconds: float | None = None, alive=None) -> dict:
    """Lease, send and record due deliveries until none is left or the budget is spent.

    `alive` is called before each batch (the task renews its wake-up slot with it)."""
    budget = budget_seconds if budget_seconds is not None else settings.WEBHOOKS_TASK_BUDGET
    started = time.monotonic()
    sent = delivered = 0
    while time.monotonic() - started < budget:
        if alive is not None:
            alive()
        batch = lease_due()
        if not batch:
            break
        results = asyncio.run(send(batch))
        record(results)
        sent += len(results)
        delivered += sum(1 for _, outcome in results if outcome.ok)
    return {"sent": sent, "delivered": delivered}
