"""A real Celery worker and beat on their own Redis deliver webhooks; one is killed mid-POST.

The receiver stalls the first request, so the worker's batch is in flight, leased
and unrecorded, when it gets SIGKILL (as the OOM killer would send: no cleanup).
A new worker takes the deliveries once the lease lapses and sends them again:
every event arrives at least once, a redelivery carries the webhook-id the first
try did, and no log row is written twice.
"""

import os
import signal

import pytest
from django.db.models import Count
from standardwebhooks import Webhook

from claims.publication import publish
from newsrooms.models import Newsroom
from webhooks import endpoints
from webhooks.models import Attempt, Delivery, DeliveryState

from .factories import ClaimFactory
from .services import CeleryStack, RedisServer, database_url
from .services import wait_until as _wait_until
from .webhook_receiver import Receiver

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

EVENTS = 12


@pytest.fixture
def stack(tmp_path, settings):
    settings.LINKS_CHECK_ON_COMMIT = False
    redis = RedisServer(tmp_path)
    redis.start()
    with Receiver() as receiver:
        settings.LINKS_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
        settings.LINKS_ALLOWED_PORTS = [80, 443, receiver.port]
        env = {
            **os.environ,
            "DATABASE_URL": database_url(settings.DATABASES["default"]),
            "REDIS_URL": redis.url,
            "LINKS_ALLOWED_PRIVATE_HOSTS": "127.0.0.1",
            "LINKS_ALLOWED_PORTS": f"80,443,{receiver.port}",
            "LINKS_CHECK_ON_COMMIT": "0",
            # A POST may take 8 s; the lease outlives it, and lapses soon after a death.
            "WEBHOOKS_TIMEOUT": "8",
            "WEBHOOKS_LEASE_SECONDS": "10",
            "WEBHOOKS_SWEEP_SECONDS": "1",
            "DB_CONN_MAX_AGE": "0",
        }
        celery = CeleryStack(env, tmp_path)
        yield type("Stack", (), {"receiver": receiver, "start": celery.start,
                                 "logs": celery.logs})
        celery.stop_all()
    redis.kill()


def test_a_worker_killed_mid_delivery_loses_no_event_and_redelivers_with_the_same_id(stack):
    receiver = stack.receiver
    newsroom = Newsroom.objects.create(name="Fault newsroom")
    endpoint = endpoints.register(newsroom, url=receiver.url("/stall/hook"),
                                  events=["claim.published"])
    for _ in range(EVENTS):
        publish(ClaimFactory(), actor=None)
    assert Delivery.objects.count() == EVENTS

    worker = stack.start("worker")
    stack.start("beat")
    _wait_until(lambda: len(receiver.received) >= EVENTS, 60,
                "the batch to be in flight (the first POST stalls)", stack.logs)
    assert Delivery.objects.filter(lease_token__isnull=False).count() == EVENTS
    worker.signal(signal.SIGKILL)  # mid-POST: leases held, nothing recorded
    assert not Delivery.objects.filter(state=DeliveryState.DELIVERED).exists()
    first_ids = receiver.ids()

    stack.start("worker")  # as compose's restart policy would
    took = _wait_until(
        lambda: Delivery.objects.filter(state=DeliveryState.DELIVERED).count() == EVENTS,
        90, "every delivery recorded after the restart", stack.logs)
    print(f"all {EVENTS} delivered {took:.1f}s after the new worker started")

    owed = set(Delivery.objects.values_list("webhook_id", flat=True))
    got = receiver.ids()
    assert set(got) == owed, "every event arrived, under its own id"
    assert set(first_ids) == owed
    redelivered = [i for i in owed if got.count(i) >= 2]
    assert len(redelivered) == EVENTS, "the killed batch went out again, ids unchanged"
    for request in receiver.received:
        assert Webhook(endpoint.secret).verify(request.body, request.headers)
    per_delivery = Attempt.objects.values("delivery").annotate(n=Count("id"))
    assert {row["n"] for row in per_delivery} == {1}, "the dead worker logged nothing"
