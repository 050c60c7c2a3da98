"""Claims, leases, results and intervals, on the real database with a real local server."""
# ruff: noqa: F811  (pytest fixtures imported from tests/linkfarm.py)

import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from sources.checking import CheckResult, LinkState, PageMetadata
from sources.models import Link, LinkCheck, LinkHealth, Outcome
from sources.refresh import refresh
from sources.scheduling import Leased, lease_due, next_state, record, release
from sources.tasks import request_check

from .factories import EvidenceFactory, LinkFactory
from .linkfarm import farm, links_settings  # noqa: F401

pytestmark = pytest.mark.django_db


def make_links(farm, paths):
    return [Link.objects.create(url=farm.url(p)) for p in paths]


def test_a_claims_links_go_from_unchecked_to_checked_with_metadata_history_and_archive(
    links_settings, farm
):
    evidence = EvidenceFactory(link=LinkFactory(url=farm.url("/ok/1")))
    link = evidence.link
    farm.farm.archived[link.url] = "https://web.archive.org/web/20240101000000/" + link.url
    assert link.health == LinkHealth.UNCHECKED

    summary = refresh(budget_seconds=20)

    link.refresh_from_db()
    assert summary.checked == 1
    assert (link.health, link.http_status, link.last_outcome) == (LinkHealth.OK, 200, "ok")
    assert (link.title, link.site_name, link.page_language) == ("Story 1", "Farm News", "en")
    assert link.canonical_url == link.url and link.published_on.isoformat() == "2024-11-04"
    assert len(link.content_hash) == 64
    assert link.archive_url.startswith("https://web.archive.org/web/2024")
    assert link.archived_at.year == 2024
    assert link.lease_token is None and link.lease_until is None
    assert link.next_check_at > timezone.now() + timedelta(hours=20)
    (check,) = link.checks.all()
    assert (check.outcome, check.http_status, check.method) == ("ok", 200, "GET")
    assert check.final_url == link.url and check.latency_ms is not None


def test_a_pass_checks_every_due_link_once_and_nothing_else(links_settings, farm):
    due = make_links(farm, [f"/ok/{n}" for n in range(30)])
    later = Link.objects.create(url=farm.url("/ok/999"))
    Link.objects.filter(pk=later.pk).update(next_check_at=timezone.now() + timedelta(days=1))

    summary = refresh(budget_seconds=30)

    assert summary.checked == 30
    assert LinkCheck.objects.count() == 30
    assert set(LinkCheck.objects.values_list("link_id", flat=True)) == {link.pk for link in due}
    assert farm.hits["/ok/999"] == 0


def test_archive_lookups_share_one_budget_per_minute(links_settings, farm):
    links_settings.LINKS_ARCHIVE_PER_MINUTE = 3
    make_links(farm, [f"/ok/{n}" for n in range(8)])
    summary = refresh(budget_seconds=20)
    assert summary.checked == 8
    assert farm.hits["/wayback"] == 3
    assert Link.objects.exclude(archive_checked_at=None).count() == 3


def test_a_broken_link_shows_its_archived_copy(links_settings, farm):
    (link,) = make_links(farm, ["/gone/7"])
    farm.farm.archived[link.url] = "https://web.archive.org/web/20230101000000/" + link.url
    Link.objects.filter(pk=link.pk).update(health=LinkHealth.BROKEN)
    refresh(budget_seconds=20)
    link.refresh_from_db()
    assert link.health == LinkHealth.BROKEN
    assert link.archive_url.endswith(link.url)


def test_a_changed_page_is_flagged_on_the_link_and_in_its_history(links_settings, farm):
    (link,) = make_links(farm, ["/changing/1"])
    refresh(budget_seconds=20)
    Link.objects.filter(pk=link.pk).update(next_check_at=timezone.now())
    refresh(budget_seconds=20)

    link.refresh_from_db()
    assert link.health == LinkHealth.CHANGED
    assert link.content_changed_at is not None
    assert [c.changed for c in link.checks.order_by("checked_at")] == [False, True]


def test_a_page_that_stays_the_same_is_not_flagged(links_settings, farm):
    (link,) = make_links(farm, ["/ok/3"])
    refresh(budget_seconds=20)
    Link.objects.filter(pk=link.pk).update(next_check_at=timezone.now())
    refresh(budget_seconds=20)
    link.refresh_from_db()
    assert link.health == LinkHealth.OK
    assert link.checks.filter(changed=True).count() == 0


def test_one_bad_answer_does_not_make_a_link_broken(links_settings, farm):
    (link,) = make_links(farm, ["/gone/1"])
    refresh(budget_seconds=20)
    link.refresh_from_db()
    assert link.health != LinkHealth.BROKEN
    assert link.consecutive_failures == 1
    assert link.next_check_at < timezone.now() + timedelta(hours=2)


@pytest.mark.parametrize("path", ["/forbidden/1", "/login/1", "/challenge/1"])
def test_a_refusing_site_leaves_the_link_blocked_not_dead(links_settings, farm, path):
    (link,) = make_links(farm, [path])
    refresh(budget_seconds=20)
    link.refresh_from_db()
    assert link.health == LinkHealth.BLOCKED
    assert link.consecutive_failures == 0
    assert "refused the checker" in link.blocked_reason


def test_rate_limiting_defers_the_link_and_its_host_as_asked(links_settings, farm):
    limited, sibling = make_links(farm, ["/limited/1", "/ok/2"])
    # The sibling is due a moment later, so it is claimed after the 429 arrives.
    Link.objects.filter(pk=sibling.pk).update(next_check_at=timezone.now() + timedelta(seconds=1))
    links_settings.LINKS_BATCH_SIZE = 1
    refresh(budget_seconds=5)
    time.sleep(1.1)
    refresh(budget_seconds=5)

    limited.refresh_from_db()
    sibling.refresh_from_db()
    assert limited.last_outcome == Outcome.RATE_LIMITED
    assert limited.health == LinkHealth.UNCHECKED, "429 says nothing about the page"
    assert limited.consecutive_failures == 0
    wait = (limited.next_check_at - limited.last_checked_at).total_seconds()
    assert 110 <= wait <= 3700
    assert sibling.last_checked_at is None, "the host asked for a pause"
    assert sibling.next_check_at > timezone.now() + timedelta(seconds=100)


def test_a_link_refused_by_the_guard_is_stored_as_blocked_with_the_reason(links_settings, farm):
    (link,) = make_links(farm, ["/go?to=http://10.0.0.7/admin"])
    refresh(budget_seconds=20)
    link.refresh_from_db()
    assert link.health == LinkHealth.BLOCKED
    assert link.last_outcome == Outcome.BLOCKED_BY_POLICY
    assert "10.0.0.7 is a private address" in link.blocked_reason


def test_refresh_now_checks_named_links_once_even_if_asked_twice(links_settings, farm):
    a, b = make_links(farm, ["/ok/1", "/ok/2"])
    Link.objects.update(next_check_at=timezone.now() + timedelta(days=3))
    asked = timezone.now()
    first = refresh(ids=[a.pk, b.pk], requested_before=asked, budget_seconds=20)
    again = refresh(ids=[a.pk, b.pk], requested_before=asked, budget_seconds=20)
    assert (first.checked, again.checked) == (2, 0)
    assert LinkCheck.objects.count() == 2


def test_a_new_or_edited_link_is_checked_after_its_transaction_commits(
    links_settings, farm, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr("sources.tasks.check_links.delay", lambda *args: sent.append(args))
    links_settings.LINKS_CHECK_ON_COMMIT = True
    with django_capture_on_commit_callbacks(execute=True):
        link = Link.objects.create(url=farm.url("/ok/8"))
        assert sent == [], "nothing is sent before the commit"
    assert sent and sent[0][0] == [link.pk]
    with django_capture_on_commit_callbacks(execute=True):
        link.title = "a title edit is no reason to check"
        link.save()
    assert len(sent) == 1
    with django_capture_on_commit_callbacks(execute=True):
        link.url = farm.url("/ok/9")
        link.title = "stale"
        link.save()
    assert len(sent) == 2
    link.refresh_from_db()
    assert link.title == "" and link.health == LinkHealth.UNCHECKED


# --- Leases -----------------------------------------------------------------------


def test_results_are_written_only_under_a_live_lease_and_only_once(links_settings, farm):
    (link,) = make_links(farm, ["/ok/1"])
    (item,) = lease_due()
    result = CheckResult(outcome=Outcome.OK, http_status=200, final_url=link.url)
    assert record([(item, result)]) == [link.pk]
    assert record([(item, result)]) == [], "the same result delivered twice writes nothing"
    stale = Leased(**{**item.__dict__, "token": uuid.uuid4()})
    assert record([(stale, result)]) == []
    assert LinkCheck.objects.count() == 1


def test_a_leased_link_is_not_claimed_again_until_the_lease_expires(links_settings, farm):
    make_links(farm, ["/ok/1"])
    assert len(lease_due(lease_seconds=1)) == 1
    assert lease_due() == []
    time.sleep(1.2)
    assert len(lease_due()) == 1, "a crashed worker's lease simply expires"


def test_released_leases_are_due_again_at_once(links_settings, farm):
    make_links(farm, ["/ok/1", "/ok/2"])
    claimed = lease_due()
    assert release(claimed) == 2
    assert len(lease_due()) == 2


def test_per_host_concurrency_holds_across_claims(links_settings, farm):
    make_links(farm, [f"/ok/{n}" for n in range(10)])
    assert len(lease_due(per_host=3)) == 3
    assert lease_due(per_host=3) == [], "three are in flight for this host already"


def _claim_in_thread(claimer, barrier, out, index):
    try:
        barrier.wait()
        out[index] = claimer()
    finally:
        connections.close_all()


def _naive_claim(limit=50):
    """What the lease replaces: read due ids, then mark them, with a gap between."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM sources_link WHERE lease_until IS NULL ORDER BY id LIMIT %s", [limit]
        )
        ids = [row[0] for row in cursor.fetchall()]
        time.sleep(0.2)
        cursor.execute(
            "UPDATE sources_link SET lease_until = now() + interval '5 minutes', "
            "lease_token = gen_random_uuid() WHERE id = ANY(%s) RETURNING id", [ids]
        )
        return [row[0] for row in cursor.fetchall()]


def _race(claimer, workers=4):
    barrier = threading.Barrier(workers)
    out = [None] * workers
    threads = [
        threading.Thread(target=_claim_in_thread, args=(claimer, barrier, out, i))
        for i in range(workers)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return out


@pytest.mark.django_db(transaction=True)
def test_concurrent_claimers_never_share_a_link(links_settings, farm):
    hosts = [f"site{n}.example.org" for n in range(20)]
    Link.objects.bulk_create(
        [Link(url=f"https://{h}/a/{i}", host=h) for h in hosts for i in range(10)]
    )
    out = _race(lambda: [c.state.id for c in lease_due(limit=50, per_host=10)])
    claimed = [link_id for batch in out for link_id in batch]
    assert len(claimed) == len(set(claimed)) == 200


@pytest.mark.django_db(transaction=True)
def test_negative_control_a_naive_claim_does_hand_out_links_twice(links_settings, farm):
    # Without the lease's conditional update, the same race does produce duplicates:
    # this is what the test above would catch.
    Link.objects.bulk_create(
        [Link(url=f"https://s.example.org/a/{i}", host="s.example.org") for i in range(200)]
    )
    out = _race(_naive_claim)
    claimed = [link_id for batch in out for link_id in batch]
    assert len(claimed) > len(set(claimed))


# --- Intervals and "broken" (pure) ------------------------------------------------


def claimed(**overrides):
    values = dict(
        state=LinkState(id=1, url="https://example.org/", content_hash=""),
        host="example.org", token=uuid.uuid4(), health=LinkHealth.OK, consecutive_failures=0,
        first_failure_at=None, check_interval=None, content_changed_at=None,
        change_reviewed_at=None, archive_url="", archive_checked_at=None,
    )
    values.update(overrides)
    return Leased(**values)


def ok(content_hash="h1"):
    return CheckResult(outcome=Outcome.OK, http_status=200,
                       metadata=PageMetadata(content_hash=content_hash))


def test_broken_needs_repeated_failures_spread_over_time(settings):
    settings.LINKS_FAILURES_BEFORE_BROKEN = 3
    settings.LINKS_BROKEN_AFTER_SECONDS = 12 * 3600
    gone = CheckResult(outcome=Outcome.GONE, http_status=404)
    start = timezone.now()
    item = claimed()
    health = []
    for hours in (0, 1, 2, 13):
        fields = next_state(item, gone, start + timedelta(hours=hours))
        health.append(fields.get("health", item.health))
        item = claimed(consecutive_failures=fields["consecutive_failures"],
                       first_failure_at=fields["first_failure_at"], health=health[-1])
    # Three failures within two hours are not enough; the fourth, 13 h on, is.
    assert health == [LinkHealth.OK, LinkHealth.OK, LinkHealth.OK, LinkHealth.BROKEN]
    recovered = next_state(item, ok(), start + timedelta(hours=14))
    assert (recovered["health"], recovered["consecutive_failures"]) == (LinkHealth.OK, 0)


def test_failures_back_off_exponentially_within_the_bounds(settings):
    settings.LINKS_RETRY_INTERVAL = 3600
    settings.LINKS_INTERVAL_MAX = 4 * 24 * 3600
    now = timezone.now()
    waits = []
    for failures in range(0, 10):
        fields = next_state(claimed(consecutive_failures=failures, first_failure_at=now),
                            CheckResult(outcome=Outcome.TIMEOUT), now)
        waits.append((fields["next_check_at"] - now).total_seconds())
    assert waits[1] > waits[0] * 1.5
    assert max(waits) <= 4 * 24 * 3600 * 1.1


def test_stable_pages_are_checked_less_often_and_changing_ones_more(settings):
    settings.LINKS_INTERVAL_MIN, settings.LINKS_INTERVAL_MAX = 3600, 10 * 24 * 3600
    settings.LINKS_INTERVAL_DEFAULT = 24 * 3600
    now = timezone.now()
    item = claimed(state=LinkState(id=1, url="https://example.org/", content_hash="h1"),
                   check_interval=24 * 3600)
    stable = next_state(item, ok("h1"), now)["check_interval"]
    changed = next_state(item, ok("h2"), now)["check_interval"]
    assert changed < 24 * 3600 < stable
    long_stable = claimed(check_interval=10 * 24 * 3600)
    assert next_state(long_stable, ok(), now)["check_interval"] == 10 * 24 * 3600
    short = claimed(state=LinkState(id=1, url="u", content_hash="h1"), check_interval=3600)
    assert next_state(short, ok("h2"), now)["check_interval"] == 3600


def test_a_link_marked_for_refresh_is_sent_to_a_worker(
    links_settings, farm, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr("sources.tasks.check_links.delay", lambda *args: sent.append(args))
    (link,) = make_links(farm, ["/ok/1"])
    Link.objects.update(next_check_at=timezone.now() + timedelta(days=2))
    links_settings.LINKS_CHECK_ON_COMMIT = True
    with django_capture_on_commit_callbacks(execute=True):
        assert request_check([link.pk]) == 1
    assert sent and sent[-1][0] == [link.pk]
    assert Link.objects.due().filter(pk=link.pk).exists()
