"""Run in a `manage.py shell` on a fresh SQLite file with no broker (the embedded default):
webhooks are delivered in-process right after the commit, and retries lease through the ORM.
tests/test_webhooks.py::test_the_embedded_default... runs this and reads its JSON."""

from __future__ import annotations

import json


def main() -> None:
    from django.conf import settings
    from django.db import connection, transaction
    from standardwebhooks import Webhook

    from claims.publication import publish
    from newsrooms.models import Newsroom
    from webhooks import endpoints
    from webhooks.delivery import deliver_due
    from webhooks.models import Delivery

    from .factories import ClaimFactory
    from .webhook_receiver import Receiver

    out: dict = {"vendor": connection.vendor, "eager": settings.CELERY_TASK_ALWAYS_EAGER}
    with Receiver() as receiver:
        settings.LINKS_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
        settings.LINKS_ALLOWED_PORTS = [80, 443, receiver.port]
        newsroom = Newsroom.objects.create(name="Embedded")
        endpoint = endpoints.register(newsroom, url=receiver.url("/flaky/1/x"),
                                      events=["claim.published"])
        with transaction.atomic():
            publish(ClaimFactory(), actor=None)
        # The first try ran in-process on commit and got the 500.
        out["after_commit"] = len(receiver.received)
        Delivery.objects.update(next_attempt_at=Delivery.objects.get().created_at)
        deliver_due(budget_seconds=10)
        out["after_retry"] = len(receiver.received)
        out["state"] = Delivery.objects.get().state
        out["same_id"] = len(set(receiver.ids())) == 1
        last = receiver.received[-1]
        out["verified"] = Webhook(endpoint.secret).verify(last.body, last.headers)["type"]
    print(json.dumps(out))
