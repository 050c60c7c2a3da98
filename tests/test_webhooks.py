"""Signed webhooks: events written with the change, delivered to a real local receiver,
verified with the Standard Webhooks reference library, retried, disabled, refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from standardwebhooks import Webhook, WebhookVerificationError

from claims.publication import publish, unpublish
from claims.workflow import change_status
from sources import scheduling
from sources.checking import CheckResult
from sources.models import LinkHealth, Outcome
from webhooks import endpoints
from webhooks.delivery import backoff
from webhooks.models import Attempt, Delivery, DeliveryState, Endpoint, Event

from . import webhooks_data
from .factories import ClaimFactory, EvidenceFactory, LinkFactory
from .webhooks_data import claim_ready_to_review, endpoint_for, make_due, run_due

receiver, newsroom = webhooks_data.receiver, webhooks_data.newsroom  # fixtures

pytestmark = pytest.mark.django_db


def _verify(secret: str, got) -> dict:
    return Webhook(secret).verify(got.body, got.headers)


def test_a_published_claim_reaches_the_endpoint_signed_as_standard_webhooks_verify(
        receiver, newsroom):
    endpoint = endpoint_for(newsroom, receiver.url("/ok/a"))
    claim = ClaimFactory(text="The ministry said 600 were sent.")
    publish(claim, actor=None)

    delivery = Delivery.objects.get(endpoint=endpoint)
    assert delivery.event.type == "claim.published"
    assert run_due() == {"sent": 1, "delivered": 1}

    [got] = receiver.received
    payload = _verify(endpoint.secret, got)  # the reference library accepts it
    assert payload["type"] == "claim.published"
    assert payload["data"]["claim"]["id"] == claim.pk
    assert payload["data"]["claim"]["text"] == "The ministry said 600 were sent."
    assert got.headers["webhook-id"] == delivery.webhook_id
    assert got.headers["webhook-signature"].startswith("v1,")
    # A tampered body fails the same library: the check above can fail.
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint.secret).verify(got.body.replace(b"600", b"700"), got.headers)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    [attempt] = delivery.log.all()
    assert (attempt.number, attempt.status_code, attempt.succeeded) == (1, 200, True)
    assert attempt.response_excerpt == "thanks"


def test_the_hand_rolled_hmac_check_in_the_docs_agrees(receiver, newsroom):
    endpoint = endpoint_for(newsroom, receiver.url("/ok/b"))
    publish(ClaimFactory(), actor=None)
    run_due()
    [got] = receiver.received
    key = base64.b64decode(endpoint.secret.removeprefix("whsec_"))
    signed = f"{got.headers['webhook-id']}.{got.headers['webhook-timestamp']}.".encode() + got.body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    offered = [s.split(",", 1)[1] for s in got.headers["webhook-signature"].split()]
    assert any(hmac.compare_digest(expected, s) for s in offered)


def test_the_event_commits_with_the_change_or_not_at_all(receiver, newsroom):
    endpoint_for(newsroom, receiver.url("/ok/c"))
    claim = ClaimFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(claim, actor=None)
        assert Event.objects.count() == 1  # written inside the change's transaction
        raise RuntimeError("the change rolls back")
    assert not Event.objects.exists() and not Delivery.objects.exists()


def test_only_subscribed_active_endpoints_get_deliveries_and_drafts_send_nothing(
        receiver, newsroom):
    wants = endpoint_for(newsroom, receiver.url("/ok/wants"), ["claim.status_changed"])
    endpoint_for(newsroom, receiver.url("/ok/other"), ["link.broken"])
    off = endpoint_for(newsroom, receiver.url("/ok/off"), ["claim.status_changed"])
    endpoints.update(off, active=False)
    draft = claim_ready_to_review()
    change_status(draft, "in_review", actor=None)
    assert not Event.objects.exists(), "a draft's status is not news for partners"
    published = claim_ready_to_review(published=True)
    change_status(published, "in_review", actor=None)
    assert list(Delivery.objects.values_list("endpoint", flat=True)) == [wants.pk]


def test_a_verdict_on_a_published_claim_sends_status_and_verdict_events(receiver, newsroom):
    endpoint = endpoint_for(newsroom, receiver.url("/ok/v"),
                            ["claim.status_changed", "claim.verdict_changed",
                             "claim.unpublished"])
    claim = claim_ready_to_review(published=True)
    change_status(claim, "in_review", actor=None)
    change_status(claim, "false", actor=None, rationale="The records show 60, not 600.")
    unpublish(claim, actor=None)
    run_due()
    payloads = [_verify(endpoint.secret, got) for got in receiver.received]
    kinds = sorted(p["type"] for p in payloads)
    assert kinds == ["claim.status_changed", "claim.status_changed", "claim.unpublished",
                     "claim.verdict_changed"]
    verdict = next(p for p in payloads if p["type"] == "claim.verdict_changed")["data"]
    assert (verdict["verdict"], verdict["previous_verdict"]) == ("false", None)
    assert verdict["rationale"] == "The records show 60, not 600."
    gone = next(p for p in payloads if p["type"] == "claim.unpublished")["data"]
    assert "text" not in gone["claim"], "a claim taken down is not repeated"


def test_a_retraction_is_announced_without_the_claims_text(receiver, newsroom):
    endpoint = endpoint_for(newsroom, receiver.url("/ok/retract"),
                            ["claim.status_changed", "claim.published"])
    claim = claim_ready_to_review(published=True, text="Secretly wrong claim")
    change_status(claim, "retracted", actor=None)
    publish(ClaimFactory(status="retracted"), actor=None)  # read keys would not see it
    run_due()
    [got] = receiver.received
    data = _verify(endpoint.secret, got)["data"]
    assert data["status"] == "retracted" and data["claim"]["status"] == "retracted"
    assert b"Secretly" not in got.body


def test_a_link_breaking_under_a_published_claim_is_an_event(receiver, newsroom, settings):
    settings.LINKS_FAILURES_BEFORE_BROKEN = 1
    settings.LINKS_BROKEN_AFTER_SECONDS = 0
    endpoint = endpoint_for(newsroom, receiver.url("/ok/l"), ["link.broken"])
    link = LinkFactory(url="https://example.org/story")
    claim = ClaimFactory(published=True)
    EvidenceFactory(claim=claim, link=link)
    uncited = LinkFactory(url="https://example.org/draft-only")
    EvidenceFactory(claim=ClaimFactory(published=False), link=uncited)
    leased = scheduling.lease_due(ids=[link.pk, uncited.pk])
    scheduling.record([(item, CheckResult(outcome=Outcome.GONE, http_status=404))
                       for item in leased])
    link.refresh_from_db()
    assert link.health == LinkHealth.BROKEN
    run_due()
    [got] = receiver.received  # the draft's link says nothing
    data = _verify(endpoint.secret, got)["data"]
    assert data["link"]["url"] == "https://example.org/story"
    assert (data["link"]["previous_health"], data["link"]["health"]) == ("unchecked", "broken")
    assert data["claims"] == [{"id": claim.pk, "url": f"/api/v1/claims/{claim.pk}/"}]


# --- Rotation ------------------------------------------------------------------


def test_during_a_rotation_both_secrets_verify_and_after_it_only_the_new(receiver, newsroom):
    endpoint = endpoint_for(newsroom, receiver.url("/ok/r"))
    old = endpoint.secret
    endpoints.rotate_secret(endpoint, overlap_seconds=3600)
    new = endpoint.secret
    assert new != old and new.startswith("whsec_")
    publish(ClaimFactory(), actor=None)
    run_due()
    [got] = receiver.received
    assert len(got.headers["webhook-signature"].split()) == 2
    assert _verify(old, got) == _verify(new, got)

    endpoints.rotate_secret(endpoint, overlap_seconds=0)  # the old secret retires at once
    newest = endpoint.secret
    publish(ClaimFactory(), actor=None)
    run_due()
    last = receiver.received[-1]
    assert _verify(newest, last)["type"] == "claim.published"
    with pytest.raises(WebhookVerificationError):
        _verify(new, last)


# --- Retries ---------------------------------------------------------------------


def test_failures_are_retried_with_the_same_webhook_id_and_logged(receiver, newsroom):
    endpoint = endpoint_for(newsroom, receiver.url("/flaky/2/x"))
    publish(ClaimFactory(), actor=None)
    delivery = Delivery.objects.get()
    before = timezone.now()
    run_due()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    # Full jitter under 5 s x 2^0, at least a second.
    assert before + timedelta(seconds=1) <= delivery.next_attempt_at \
        <= timezone.now() + timedelta(seconds=5)
    assert run_due()["sent"] == 0, "not due before its time"
    make_due(delivery)
    run_due()
    make_due(delivery)
    run_due()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    assert receiver.ids() == [delivery.webhook_id] * 3
    log = list(delivery.log.values_list("number", "status_code", "succeeded"))
    assert log == [(1, 500, False), (2, 500, False), (3, 200, True)]
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0 and endpoint.failing_since is None


def test_backoff_is_full_jitter_under_an_exponential_ceiling(settings):
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 5
    settings.WEBHOOKS_RETRY_MAX_SECONDS = 3600
    for attempt, ceiling in ((1, 5), (4, 40), (20, 3600)):
        waits = [backoff(attempt) for _ in range(400)]
        assert min(waits) >= 1 and max(waits) <= ceiling
        assert max(waits) > ceiling * 0.8 and min(waits) < ceiling * 0.3, "spread, not fixed"


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_on_429_and_503_is_honoured(receiver, newsroom, status):
    endpoint_for(newsroom, receiver.url(f"/status/{status}/x?retry_after=120"))
    publish(ClaimFactory(), actor=None)
    run_due()
    delivery = Delivery.objects.get()
    wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert 115 <= wait <= 120
    assert delivery.log.get().status_code == status


def test_a_500_does_not_take_retry_after_and_retries_stop_after_the_window(
        receiver, newsroom):
    endpoint_for(newsroom, receiver.url("/status/500/x?retry_after=9999"))
    publish(ClaimFactory(), actor=None)
    delivery = Delivery.objects.get()
    run_due()
    delivery.refresh_from_db()
    assert (delivery.next_attempt_at - timezone.now()).total_seconds() < 10
    Delivery.objects.filter(pk=delivery.pk).update(retry_until=timezone.now(),
                                                   next_attempt_at=timezone.now())
    run_due()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
    assert "retries exhausted" in delivery.last_error


def test_410_disables_the_endpoint_with_the_reason(receiver, newsroom):
    endpoint = endpoint_for(newsroom, receiver.url("/status/410/x"),
                            ["claim.published", "claim.unpublished"])
    claim = ClaimFactory()
    publish(claim, actor=None)
    run_due()
    endpoint.refresh_from_db()
    assert not endpoint.active and "410" in endpoint.disabled_reason
    assert Delivery.objects.get().state == DeliveryState.FAILED
    unpublish(claim, actor=None)
    assert Delivery.objects.count() == 1, "a disabled endpoint is owed nothing new"
    # Enabled again, it receives once more.
    endpoints.update(endpoint, active=True, url=receiver.url("/ok/back"))
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.disabled_reason == ""


def test_repeated_failure_disables_the_endpoint(receiver, newsroom, settings):
    settings.WEBHOOKS_DISABLE_AFTER_FAILURES = 3
    settings.WEBHOOKS_DISABLE_AFTER_SECONDS = 0
    endpoint = endpoint_for(newsroom, receiver.url("/status/500/y"))
    publish(ClaimFactory(), actor=None)
    delivery = Delivery.objects.get()
    for _ in range(3):
        make_due(delivery)
        run_due()
    endpoint.refresh_from_db()
    assert not endpoint.active
    assert endpoint.disabled_reason.startswith("3 failed attempts in a row")
    make_due(delivery)
    assert run_due()["sent"] == 0, "a disabled endpoint's deliveries wait"


def test_replay_sends_again_with_the_same_webhook_id(receiver, newsroom):
    endpoint_for(newsroom, receiver.url("/ok/replay"))
    publish(ClaimFactory(), actor=None)
    run_due()
    delivery = Delivery.objects.get()
    endpoints.replay(delivery)
    assert delivery.state == DeliveryState.PENDING
    run_due()
    assert receiver.ids() == [delivery.webhook_id] * 2
    assert list(Attempt.objects.values_list("number", flat=True)) == [1, 2]


def test_a_replay_during_an_attempt_in_flight_is_not_overwritten_by_it(receiver, newsroom):
    from webhooks import delivery as worker
    from webhooks.delivery import Outcome

    endpoint_for(newsroom, receiver.url("/ok/inflight"))
    publish(ClaimFactory(), actor=None)
    [in_flight] = worker.lease_due()
    delivery = Delivery.objects.get()
    endpoints.replay(delivery)  # the editor asks while the POST is out
    written = worker.record([(in_flight, Outcome(200, "", "", 5))])
    assert written == [], "the superseded attempt's outcome is not recorded"
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING and delivery.lease_token is None
    assert run_due()["delivered"] == 1, "the replay goes out"
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    assert receiver.ids() == [delivery.webhook_id]


def test_a_lease_shorter_than_a_post_is_refused_at_start(settings):
    from webhooks.apps import lease_outlives_a_post

    assert lease_outlives_a_post() == []
    settings.WEBHOOKS_TIMEOUT = 30
    settings.WEBHOOKS_LEASE_SECONDS = 30
    [error] = lease_outlives_a_post()
    assert error.id == "webhooks.E001" and "at least" in error.msg


def test_an_outcome_after_the_lease_lapsed_is_dropped(receiver, newsroom):
    from webhooks import delivery as worker

    endpoint_for(newsroom, receiver.url("/ok/lease"))
    publish(ClaimFactory(), actor=None)
    [first] = worker.lease_due()
    Delivery.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
    [second] = worker.lease_due()  # another worker takes the lapsed lease
    assert worker.lease_due() == [], "a held lease is not taken twice"
    outcome = worker.Outcome(200, "ok", "", 5)
    assert worker.record([(first, outcome)]) == []
    assert worker.record([(second, outcome)]) == [second.id]
    assert Attempt.objects.count() == 1


# --- The SSRF guard ----------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/hook", "http://169.254.169.254/latest/meta-data/", "http://localhost/x",
    "http://[::1]/x", "http://2130706433/x", "http://10.0.0.5/x", "ftp://example.org/x",
    "https://example.org:22/x", "http://user:pw@example.org/x",
])
def test_registration_refuses_what_the_links_guard_refuses(newsroom, url):
    with pytest.raises(ValidationError) as refused:
        endpoints.register(newsroom, url=url, events=["claim.published"])
    assert "url" in refused.value.message_dict
    assert not Endpoint.objects.exists()


def test_a_name_that_resolves_to_loopback_is_refused_at_connect_time(receiver, newsroom,
                                                                      settings):
    # DNS rebinding: the name passes at registration, then points at 127.0.0.1.
    settings.LINKS_STATIC_HOSTS = {"hooks.example.com": ("127.0.0.1",)}
    endpoint = endpoint_for(newsroom, f"http://hooks.example.com:{receiver.port}/ok/rebind")
    publish(ClaimFactory(), actor=None)
    run_due()
    assert receiver.received == []
    attempt = Attempt.objects.get()
    assert attempt.status_code is None
    assert "SSRF guard" in attempt.error and "127.0.0.1" in attempt.error
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 1


def test_unknown_events_are_refused(newsroom, receiver):
    with pytest.raises(ValidationError) as refused:
        endpoints.register(newsroom, url=receiver.url("/ok/e"), events=["claim.eaten"])
    assert "claim.eaten" in json.dumps(refused.value.message_dict)


# --- The embedded default ------------------------------------------------------------


@pytest.mark.slow
def test_the_embedded_default_delivers_in_process_after_commit_and_retries_on_sqlite(
        tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    manage = [sys.executable, str(root / "manage.py")]
    for args in (["migrate", "--noinput", "-v0"],
                 ["shell", "-c", "from tests.webhooks_embedded import main; main()"]):
        done = subprocess.run([*manage, *args], env=env, cwd=root, capture_output=True,
                              text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"vendor": "sqlite", "eager": True, "after_commit": 1, "after_retry": 2,
                      "state": "delivered", "same_id": True, "verified": "claim.published"}


def test_the_beat_wakes_each_slot_once_until_its_task_has_run(receiver, newsroom, settings):
    from django.core.cache import cache

    from webhooks import tasks

    slots = [tasks.SLOTS.key(s) for s in range(settings.WEBHOOKS_WAKE_TASKS)]
    cache.delete_many(slots)
    try:
        endpoint_for(newsroom, receiver.url("/ok/a"))
        publish(ClaimFactory(text="The ministry said 600 were sent."), actor=None)
        assert tasks.sweep() == settings.WEBHOOKS_WAKE_TASKS
        # Its wake-ups are still outstanding: a long backlog does not pile up duplicates.
        assert tasks.sweep() == 0
        assert tasks.deliver_due.run(0) == {"sent": 1, "delivered": 1}
        assert tasks.sweep() == 0  # nothing due any more
        publish(ClaimFactory(text="The ministry said 700 were sent."), actor=None)
        assert tasks.sweep() == 1  # slot 0 ran and freed itself; slot 1 is still out
    finally:
        cache.delete_many(slots)
