"""/api/v1/webhooks/endpoints/: a newsroom's write key manages its own endpoints, nobody else."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from standardwebhooks import Webhook

from claims.publication import publish
from newsrooms.keys import issue_key, revoke
from newsrooms.models import ApiKey
from webhooks.models import Delivery, Endpoint

from . import webhooks_data
from .factories import ClaimFactory, UserFactory
from .webhooks_data import run_due

receiver = webhooks_data.receiver  # fixture

pytestmark = pytest.mark.django_db
BASE = "/api/v1/webhooks/endpoints/"


def _calls(endpoint_id: int, delivery_id: int, url: str):
    """(name, method, path, body, success status)."""
    one = f"{BASE}{endpoint_id}/"
    return [
        ("list", "get", BASE, None, 200),
        ("create", "post", BASE, {"url": url, "events": ["claim.published"]}, 201),
        ("get", "get", one, None, 200),
        ("patch", "patch", one, {"description": "desk"}, 200),
        ("put", "put", one, {"url": url, "events": ["link.broken"]}, 200),
        ("rotate", "post", f"{one}rotate-secret/", {}, 200),
        ("deliveries", "get", f"{one}deliveries/", None, 200),
        ("replay", "post", f"{one}deliveries/{delivery_id}/replay/", None, 202),
        ("delete", "delete", one, None, 204),
    ]


NAMES = [c[0] for c in _calls(0, 0, "")]


@pytest.fixture
def world(receiver, editor):
    """A newsroom's endpoint with one delivery, and its write key."""
    key, raw = issue_key("Test newsroom", scope="write", user=editor)
    from webhooks import endpoints

    endpoint = endpoints.register(key.newsroom, url=receiver.url("/ok/api"),
                                  events=["claim.published"], key=key)
    publish(ClaimFactory(), actor=None)
    return {"key": raw, "endpoint": endpoint, "delivery": Delivery.objects.get(),
            "url": receiver.url("/ok/new"), "editor": editor}


def _run(client, world, name):
    _, method, path, body, ok = next(
        c for c in _calls(world["endpoint"].pk, world["delivery"].pk, world["url"])
        if c[0] == name)
    return getattr(client, method)(path, body, format="json"), ok


@pytest.mark.parametrize("name", NAMES)
def test_the_newsrooms_write_key_may_do_everything(api_client, world, name):
    response, ok = _run(api_client(world["key"]), world, name)
    assert response.status_code == ok, response.content


@pytest.mark.parametrize("name", NAMES)
def test_no_key_gets_401(api_client, world, name):
    response, _ = _run(api_client(), world, name)
    assert response.status_code == 401


@pytest.mark.parametrize("name", NAMES)
def test_a_read_key_of_the_same_newsroom_may_neither_see_nor_create(api_client, world, name):
    _, raw = issue_key("Test newsroom", scope="read")
    response, _ = _run(api_client(raw), world, name)
    assert response.status_code == 403
    assert "read key" in response.json()["detail"]
    assert Endpoint.objects.count() == 1


@pytest.mark.parametrize("name", ["list", "get", "create", "rotate"])
def test_a_revoked_key_gets_401(api_client, world, name):
    revoke(ApiKey.objects.get(newsroom__name="Test newsroom"))
    response, _ = _run(api_client(world["key"]), world, name)
    assert response.status_code == 401


@pytest.mark.parametrize("name", ["list", "get", "create", "rotate"])
def test_a_deactivated_editors_key_gets_401(api_client, world, name):
    world["editor"].is_active = False
    world["editor"].save()
    response, _ = _run(api_client(world["key"]), world, name)
    assert response.status_code == 401


@pytest.mark.parametrize("name", ["list", "get", "create", "rotate"])
def test_a_key_whose_editor_left_the_editors_group_is_suspended(api_client, world, name):
    world["editor"].groups.clear()
    response, _ = _run(api_client(world["key"]), world, name)
    assert response.status_code == 403
    assert "suspended" in response.json()["detail"]


@pytest.mark.parametrize("name", ["get", "patch", "put", "rotate", "deliveries", "replay",
                                  "delete"])
def test_another_newsrooms_write_key_finds_nothing(api_client, world, name):
    other = UserFactory(username="other-editor", is_staff=True)
    other.groups.add(Group.objects.get(name="editors"))
    _, raw = issue_key("Other newsroom", scope="write", user=other)
    client = api_client(raw)
    response, _ = _run(client, world, name)
    assert response.status_code == 404
    assert client.get(BASE).json()["results"] == []
    endpoint = Endpoint.objects.get(pk=world["endpoint"].pk)
    assert endpoint.secret == world["endpoint"].secret and endpoint.events == ["claim.published"]


def test_a_staff_session_uses_the_admin_not_this_api(api_client, world):
    response = api_client(user=world["editor"]).get(BASE)
    assert response.status_code == 403


def test_create_shows_the_secret_once_and_deliveries_verify_with_it(api_client, world,
                                                                    receiver):
    client = api_client(world["key"])
    created = client.post(BASE, {"url": receiver.url("/ok/fresh"),
                                 "events": ["claim.published"], "description": "CMS"},
                          format="json").json()
    assert created["secret"].startswith("whsec_")
    shown = client.get(f"{BASE}{created['id']}/").json()
    assert "secret" not in shown and shown["description"] == "CMS"
    publish(ClaimFactory(), actor=None)
    run_due()
    got = next(r for r in receiver.received if r.path == "/ok/fresh")
    assert Webhook(created["secret"]).verify(got.body, got.headers)["type"] == "claim.published"


def test_rotation_over_the_api_keeps_both_secrets_signing(api_client, world, receiver):
    client = api_client(world["key"])
    old = world["endpoint"].secret
    rotated = client.post(f"{BASE}{world['endpoint'].pk}/rotate-secret/",
                          {"overlap_seconds": 600}, format="json").json()
    assert rotated["secret"] != old and rotated["previous_secret_until"]
    run_due()
    [got] = receiver.received
    assert Webhook(old).verify(got.body, got.headers) == \
        Webhook(rotated["secret"]).verify(got.body, got.headers)


def test_registration_refuses_internal_urls_with_a_clear_error(api_client, world, settings):
    settings.LINKS_ALLOWED_PRIVATE_HOSTS = []
    client = api_client(world["key"])
    for url in ("http://127.0.0.1/x", "http://169.254.169.254/latest", "http://intranet/x"):
        response = client.post(BASE, {"url": url, "events": ["claim.published"]},
                               format="json")
        assert response.status_code == 400
        assert response.json()["fields"]["url"][0].startswith("Refused:")
    bad = client.post(BASE, {"url": "https://example.org/h", "events": ["claim.eaten"]},
                      format="json")
    assert bad.status_code == 400 and "events[0]" in bad.json()["fields"]
    assert Endpoint.objects.count() == 1


def test_the_delivery_log_and_replay_over_the_api(api_client, world, receiver):
    client = api_client(world["key"])
    run_due()
    path = f"{BASE}{world['endpoint'].pk}/deliveries/"
    [delivery] = client.get(path).json()["results"]
    assert delivery["state"] == "delivered" and delivery["event_type"] == "claim.published"
    assert [(a["number"], a["status_code"]) for a in delivery["log"]] == [(1, 200)]
    assert delivery["log"][0]["duration_ms"] >= 0
    replayed = client.post(f"{path}{delivery['id']}/replay/").json()
    assert replayed["state"] == "pending"
    run_due()
    assert receiver.ids() == [delivery["webhook_id"]] * 2
    missing = client.post(f"{path}999999999/replay/")
    assert missing.status_code == 404


def test_a_disabled_endpoint_says_why_and_can_be_enabled_again(api_client, world, receiver):
    client = api_client(world["key"])
    one = f"{BASE}{world['endpoint'].pk}/"
    client.patch(one, {"url": receiver.url("/status/410/gone")}, format="json")
    publish(ClaimFactory(), actor=None)
    Delivery.objects.filter(pk=world["delivery"].pk).delete()
    run_due()
    shown = client.get(one).json()
    assert shown["active"] is False and "410" in shown["disabled_reason"]
    again = client.patch(one, {"active": True, "url": receiver.url("/ok/back")},
                         format="json").json()
    assert again["active"] is True and again["disabled_reason"] == ""


def test_the_schema_lists_the_webhook_endpoints(api_client):
    paths = set(api_client().get("/api/schema/?format=json").json()["paths"])
    assert {BASE, f"{BASE}{{id}}/", f"{BASE}{{id}}/rotate-secret/",
            f"{BASE}{{id}}/deliveries/",
            f"{BASE}{{id}}/deliveries/{{delivery_id}}/replay/"} <= paths
