"""The desk's webhooks admin: endpoints through the action module, the delivery log, Replay."""

from __future__ import annotations

import pytest

from claims.publication import publish
from newsrooms.models import Newsroom
from webhooks.models import Delivery, DeliveryState, Endpoint

from . import webhooks_data
from .factories import ClaimFactory, UserFactory
from .webhooks_data import endpoint_for, run_due

receiver = webhooks_data.receiver  # fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return client


def test_adding_an_endpoint_in_the_admin_goes_through_the_ssrf_guard(admin_client, receiver,
                                                                     settings):
    newsroom = Newsroom.objects.create(name="Daily")
    form = {"newsroom": newsroom.pk, "events": ["claim.published"], "active": "on",
            "description": "", "deliveries-TOTAL_FORMS": 0, "deliveries-INITIAL_FORMS": 0}
    refused = admin_client.post("/admin/webhooks/endpoint/add/",
                                {**form, "url": "http://169.254.169.254/latest"})
    assert refused.status_code == 200 and "cloud metadata" in refused.content.decode()
    assert not Endpoint.objects.exists()
    made = admin_client.post("/admin/webhooks/endpoint/add/",
                             {**form, "url": receiver.url("/ok/admin")})
    assert made.status_code == 302, made.content.decode()[-2000:]
    endpoint = Endpoint.objects.get()
    assert endpoint.secret.startswith("whsec_") and endpoint.events == ["claim.published"]


def test_the_endpoint_page_shows_the_log_and_a_delivery_replays(admin_client, receiver):
    endpoint = endpoint_for(Newsroom.objects.create(name="Daily"),
                            receiver.url("/status/410/admin"))
    publish(ClaimFactory(), actor=None)
    run_due()
    page = admin_client.get(f"/admin/webhooks/endpoint/{endpoint.pk}/change/").content.decode()
    delivery = Delivery.objects.get()
    assert delivery.webhook_id in page and "410" in page and "Replay" in page
    detail = admin_client.get(f"/admin/webhooks/delivery/{delivery.pk}/change/")
    assert 'name="_replay"' in detail.content.decode()
    assert admin_client.get(f"/admin/webhooks/delivery/{delivery.pk}/replay/").status_code == 405
    replayed = admin_client.post(f"/admin/webhooks/delivery/{delivery.pk}/replay/")
    assert replayed.status_code == 302
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING


def test_an_editor_without_webhook_permissions_cannot_replay(client, editor, receiver):
    endpoint = endpoint_for(Newsroom.objects.create(name="Daily"), receiver.url("/ok/p"))
    publish(ClaimFactory(), actor=None)
    delivery = Delivery.objects.get(endpoint=endpoint)
    client.force_login(editor)
    assert client.post(f"/admin/webhooks/delivery/{delivery.pk}/replay/").status_code == 403
