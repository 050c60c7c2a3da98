"""Shared set-up for the webhook tests: a receiver the SSRF guard lets through, a newsroom,
claims that can move, and the lease/deliver loop run in this process."""

from __future__ import annotations

import pytest
from django.utils import timezone

from claims.models import Role
from newsrooms.models import Newsroom
from webhooks import endpoints
from webhooks.delivery import deliver_due
from webhooks.models import Delivery, DeliveryState

from .factories import AttributionFactory, ClaimFactory
from .webhook_receiver import Receiver


@pytest.fixture
def receiver(settings):
    with Receiver() as r:
        # As tests/linkfarm.py does for links: loopback named, its port allowed.
        settings.LINKS_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
        settings.LINKS_ALLOWED_PORTS = [80, 443, r.port]
        settings.LINKS_CHECK_ON_COMMIT = False
        settings.WEBHOOKS_TIMEOUT = 3
        yield r


@pytest.fixture
def newsroom(db):
    return Newsroom.objects.create(name="Daily Planet")


def endpoint_for(newsroom, url: str, events=("claim.published",)):
    return endpoints.register(newsroom, url=url, events=list(events))


def claim_ready_to_review(**kwargs):
    """A claim with a claimant, so the workflow lets it leave "unverified"."""
    claim = ClaimFactory(**kwargs)
    AttributionFactory(claim=claim, role=Role.CLAIMANT)
    return claim


def run_due() -> dict:
    """One worker pass, as the task runs it."""
    return deliver_due(budget_seconds=30)


def make_due(delivery: Delivery) -> None:
    """Skip the backoff wait: the retry is due now."""
    Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.PENDING).update(
        next_attempt_at=timezone.now())
