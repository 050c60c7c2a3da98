"""The `updated_since` feed misses nothing when transactions commit out of order."""

import threading
import time
from datetime import datetime

import pytest
from django.db import connection, transaction
from django.utils import timezone

from claims.models import Claim

from .factories import ClaimFactory, SourceFactory


def poll(client, since):
    """Page through the feed; return (ids seen, the sync_until to poll from next)."""
    seen, url = [], "/api/v1/claims/"
    params = {"updated_since": since, "page_size": 2}
    until = None
    while url:
        body = client.get(url, params).json()
        seen += [c["id"] for c in body["results"]]
        until = body["sync_until"]
        url, params = body["next"], None
    return seen, until


class SlowWriter(threading.Thread):
    """Stamps a claim's updated_at inside a transaction, then waits before committing."""

    def __init__(self, claim_id: int) -> None:
        super().__init__(daemon=True)
        self.claim_id = claim_id
        self.stamped = threading.Event()
        self.release = threading.Event()
        self.stamped_at: datetime | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with transaction.atomic():
                claim = Claim.objects.select_for_update().get(pk=self.claim_id)
                claim.summary_en = "slow edit"
                claim.save()
                self.stamped_at = claim.updated_at
                self.stamped.set()
                self.release.wait(10)
        except BaseException as exc:  # surfaced by the test
            self.error = exc
            self.stamped.set()
        finally:
            connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_write_that_commits_after_a_newer_one_is_not_lost_between_polls(
        api_key, api_client, settings):
    settings.API_SYNC_CLOCK_SKEW_SECONDS = 0.05
    client = api_client(api_key("read"))
    slow_claim, fast_claim = ClaimFactory(published=True), ClaimFactory(published=True)
    time.sleep(0.1)
    start = timezone.now().isoformat()

    writer = SlowWriter(slow_claim.pk)
    writer.start()
    assert writer.stamped.wait(10) and writer.error is None
    # A second writer stamps a later time and commits first.
    fast_claim.summary_en = "fast edit"
    fast_claim.save()
    assert fast_claim.updated_at > writer.stamped_at
    time.sleep(0.1)

    first, until = poll(client, start)
    # Naive polling (no horizon) would see the fast write and move past the slow one.
    naive_first = list(Claim.objects.filter(updated_at__gte=start).values_list("pk", flat=True))
    naive_next = max(Claim.objects.filter(pk__in=naive_first).values_list("updated_at",
                                                                          flat=True))
    assert fast_claim.pk in naive_first and slow_claim.pk not in naive_first
    assert first == []  # the open transaction holds the horizon back
    assert datetime.fromisoformat(until) < writer.stamped_at

    writer.release.set()
    writer.join(10)
    assert writer.error is None
    time.sleep(0.1)

    second, _ = poll(client, until)
    assert set(second) == {slow_claim.pk, fast_claim.pk}
    # The negative control: the naive follow-up poll loses the slow write for good.
    naive_second = set(Claim.objects.filter(updated_at__gt=naive_next).values_list("pk",
                                                                                    flat=True))
    assert slow_claim.pk not in naive_second


@pytest.mark.django_db(transaction=True)
def test_many_out_of_order_writers_and_a_busy_poller_miss_nothing(api_key, api_client,
                                                                  settings):
    settings.API_SYNC_CLOCK_SKEW_SECONDS = 0.05
    client = api_client(api_key("read"))
    claims = [ClaimFactory(published=True) for _ in range(12)]
    time.sleep(0.1)
    since = timezone.now().isoformat()
    writers = [SlowWriter(c.pk) for c in claims]
    seen: set[int] = set()

    def hold_then_release(w, delay):
        time.sleep(delay)
        w.release.set()

    for i, w in enumerate(writers):
        w.start()
        w.stamped.wait(10)
        # Commit in the reverse order of stamping, overlapping the polls below.
        threading.Thread(target=hold_then_release, args=(w, 0.6 - i * 0.04),
                         daemon=True).start()
    deadline = time.time() + 5
    while time.time() < deadline and len(seen) < len(claims):
        ids, since = poll(client, since)
        seen.update(ids)
        time.sleep(0.05)
    for w in writers:
        w.join(10)
        assert w.error is None
    assert seen == {c.pk for c in claims}


@pytest.mark.django_db
def test_the_feed_runs_oldest_first_and_says_where_to_resume(read_api):
    older, newer = ClaimFactory(published=True), ClaimFactory(published=True)
    Claim.objects.filter(pk=older.pk).update(updated_at="2024-01-01T00:00:00Z")
    Claim.objects.filter(pk=newer.pk).update(updated_at="2024-02-01T00:00:00Z")
    body = read_api.get("/api/v1/claims/?updated_since=2023-12-31T00:00:00Z").json()
    assert [c["id"] for c in body["results"]] == [older.pk, newer.pk]
    assert body["sync_until"] is not None
    later = read_api.get("/api/v1/claims/?updated_since=2024-01-15T00:00:00Z").json()
    assert [c["id"] for c in later["results"]] == [newer.pk]


@pytest.mark.django_db
def test_a_read_keys_feed_holds_published_claims_only(read_api):
    ClaimFactory(published=False)
    shown = ClaimFactory(published=True)
    Claim.objects.update(updated_at="2024-01-01T00:00:00Z")
    body = read_api.get("/api/v1/claims/?updated_since=2023-01-01T00:00:00Z").json()
    assert [c["id"] for c in body["results"]] == [shown.pk]


@pytest.mark.django_db
def test_sources_have_the_same_feed(read_api):
    from sources.models import Source

    source = SourceFactory()
    Source.objects.filter(pk=source.pk).update(updated_at="2024-01-01T00:00:00Z")
    body = read_api.get("/api/v1/sources/?updated_since=2023-01-01T00:00:00Z").json()
    assert [s["id"] for s in body["results"]] == [source.pk]
    assert body["sync_until"]
    assert read_api.get("/api/v1/sources/?updated_since=2024-06-01T00:00:00Z").json()[
        "results"] == []
