"""Turn claim and link changes into events, written in the change's own transaction.

Registered in apps.py with the claims and sources hooks that run *inside* the
change's transaction (claims/workflow.on_status_change, claims/publication.
on_publication_change, sources/scheduling.on_health_change): the Event and its
Delivery rows commit with the change or not at all, so a broker outage or a
crash after commit loses nothing. Only the wake-up is sent on commit, and a
lost wake-up costs a delay until the beat sweep.

Events tell what a read key could see: changes to published claims, and link
health for links a published claim cites. Drafts never leave through a webhook,
and a retracted claim, which read keys lose as if unpublished, is announced by
its id and status only.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from claims.models import (
    VERDICTS,
    Attribution,
    Claim,
    Evidence,
    PublicationChange,
    Status,
    StatusChange,
)
from sources.models import Link, LinkHealth

from .models import Delivery, Endpoint, Event, EventType

log = logging.getLogger(__name__)

_VERDICT_VALUES = frozenset(str(v) for v in VERDICTS)


def _verdict(status: str) -> str | None:
    return status if status in _VERDICT_VALUES else None


def claim_data(claim: Claim) -> dict:
    """What a read key sees of a published claim, enough to decide whether to fetch it."""
    return {
        "id": claim.pk,
        "url": f"/api/v1/claims/{claim.pk}/",
        "text": claim.text,
        "language": claim.language,
        "status": claim.status,
        "verdict": _verdict(claim.status),
        "published": claim.published,
    }


def taken_back(claim: Claim) -> dict:
    """A claim read keys no longer see (unpublished, retracted): where it was, nothing more."""
    return {"id": claim.pk, "url": f"/api/v1/claims/{claim.pk}/", "status": claim.status,
            "published": claim.published}


def record(event_type: str, data: dict) -> Event | None:
    """Write the event and one delivery per active endpoint that wants it; None if none does.

    Call inside the transaction of the change. The wake-up goes out on commit.
    """
    wanting = [pk for pk, events in Endpoint.objects.filter(active=True)
               .values_list("pk", "events") if event_type in (events or [])]
    if not wanting:
        return None
    now = timezone.now()
    event = Event.objects.create(type=event_type, created_at=now, payload={
        "type": event_type, "timestamp": now.isoformat().replace("+00:00", "Z"), "data": data,
    })
    until = now + timedelta(seconds=settings.WEBHOOKS_RETRY_FOR_SECONDS)
    Delivery.objects.bulk_create([
        Delivery(endpoint_id=pk, event=event, webhook_id=Delivery.new_webhook_id(),
                 next_attempt_at=now, created_at=now, retry_until=until)
        for pk in wanting
    ])
    transaction.on_commit(wake)
    return event


def wake() -> None:
    """Ask a worker to deliver now (in-process on the embedded default). Best effort."""
    from .tasks import deliver_due

    try:
        deliver_due.delay()
    except Exception:  # the broker is away (or an eager run failed): the sweep delivers
        log.warning("webhook wake-up not sent; the beat sweep will deliver", exc_info=True)


# --- The hooks (registered in apps.py) -----------------------------------------


def status_changed(claim: Claim, change: StatusChange) -> None:
    if not claim.published:
        return
    shown = taken_back(claim) if change.to_status == Status.RETRACTED else claim_data(claim)
    record(EventType.CLAIM_STATUS_CHANGED, {
        "claim": shown, "status": change.to_status, "previous_status": change.from_status,
    })
    before, after = _verdict(change.from_status), _verdict(change.to_status)
    if before != after:
        record(EventType.CLAIM_VERDICT_CHANGED, {
            "claim": shown, "verdict": after, "previous_verdict": before,
            "rationale": claim.verdict_rationale if after else "",
        })


def publication_changed(claim: Claim, change: PublicationChange) -> None:
    if change.published:
        if claim.status != Status.RETRACTED:  # read keys would not see it
            record(EventType.CLAIM_PUBLISHED, {"claim": claim_data(claim)})
    else:
        # Taken down: the claim is no longer public, so only where it was.
        record(EventType.CLAIM_UNPUBLISHED, {"claim": taken_back(claim)})


_LINK_EVENTS = {LinkHealth.BROKEN: EventType.LINK_BROKEN,
                LinkHealth.CHANGED: EventType.LINK_CHANGED}


def health_changed(changes: list[tuple[int, str, str]]) -> None:
    wanted = {link_id: (before, after) for link_id, before, after in changes
              if after in _LINK_EVENTS}
    if not wanted:
        return
    citing: dict[int, set[int]] = {}
    for model in (Evidence, Attribution):
        for link_id, claim_id in model.objects.filter(
                link_id__in=wanted, claim__published=True).exclude(
                claim__status=Status.RETRACTED).values_list("link_id", "claim_id"):
            citing.setdefault(link_id, set()).add(claim_id)
    for link in Link.objects.filter(pk__in=citing):
        before, after = wanted[link.pk]
        record(_LINK_EVENTS[after], {
            "link": {"id": link.pk, "url": link.url, "health": after,
                     "previous_health": before, "http_status": link.http_status,
                     "checked_at": link.last_checked_at.isoformat().replace("+00:00", "Z")
                     if link.last_checked_at else None},
            "claims": [{"id": pk, "url": f"/api/v1/claims/{pk}/"}
                       for pk in sorted(citing[link.pk])],
        })
