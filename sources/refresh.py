"""A refresh pass: claim due links, check them concurrently, record, repeat.

The database work stays on the calling thread (so Django's connection
handling, Celery's and the tests' transactions all apply as usual); the
network work runs on an asyncio loop in one helper thread, where a single
guarded aiohttp session multiplexes every request. Results flow back through
a queue and are written in small batches while the next requests are in
flight, so the pipe never drains between batches.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from . import archive
from .checking import CheckResult, check_link
from .models import Outcome
from .safehttp import FetchError, Policy, SafeClient, UnsafeURL
from .scheduling import FAILURES, Leased, lease_due, record, record_archive, release

log = logging.getLogger(__name__)

HOST_PAUSE_KEY = "links:host-pause:{host}"
# Results are written in batches: a statement costs about the same for 1 row or 200.
FLUSH_EVERY = 200  # results
FLUSH_SECONDS = 0.5
CLAIM_SECONDS = 0.25


@dataclass
class Summary:
    checked: int = 0
    outcomes: Counter = field(default_factory=Counter)
    deferred: int = 0
    lost_leases: int = 0
    archive_lookups: int = 0
    archived: int = 0
    seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return self.checked / self.seconds if self.seconds else 0.0

    def as_text(self) -> str:
        parts = ", ".join(f"{k} {v}" for k, v in self.outcomes.most_common())
        return (
            f"{self.checked} links checked in {self.seconds:.1f}s "
            f"({self.per_second:.0f}/s): {parts or 'nothing due'}; "
            f"{self.deferred} deferred, {self.archived} archived copies found"
        )


class _Deferred:
    """The host asked us to wait (Retry-After); the lease goes back unchecked."""

    def __init__(self, until: float) -> None:
        self.until = until


class Fetcher:
    """An event loop in a thread, checking links with politeness per host."""

    def __init__(self, policy: Policy, results: queue.Queue) -> None:
        self.policy = policy
        self.results = results
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, name="link-fetcher", daemon=True)
        self.client: SafeClient | None = None
        self._ready = threading.Event()
        self._global = None
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._last_start: dict[str, float] = {}
        self.paused: dict[str, float] = {}

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.client = SafeClient(self.policy)
        self.loop.run_until_complete(self.client.__aenter__())
        self._global = asyncio.Semaphore(self.policy.concurrency)
        self._ready.set()
        self.loop.run_forever()
        self.loop.run_until_complete(self.client.__aexit__(None, None, None))
        self.loop.close()

    def __enter__(self) -> Fetcher:
        self.thread.start()
        self._ready.wait(30)
        return self

    def __exit__(self, *exc_info) -> None:
        def stop() -> None:
            for task in asyncio.all_tasks(self.loop):
                task.cancel()
            self.loop.stop()

        self.loop.call_soon_threadsafe(stop)
        self.thread.join(30)

    def submit(self, item: Leased) -> None:
        asyncio.run_coroutine_threadsafe(self._check(item), self.loop)

    def submit_archive(self, link_id: int, url: str) -> None:
        asyncio.run_coroutine_threadsafe(self._archive(link_id, url), self.loop)

    async def _check(self, item: Leased) -> None:
        try:
            until = self.paused.get(item.host, 0)
            if until > time.time():
                self.results.put(("deferred", item, _Deferred(until)))
                return
            semaphore = self._hosts.setdefault(
                item.host, asyncio.Semaphore(settings.LINKS_PER_HOST_CONCURRENCY)
            )
            async with self._global, semaphore:
                await self._space_out(item.host)
                result = await check_link(self.client, item.state)
            if result.retry_after and result.outcome in (Outcome.RATE_LIMITED,
                                                         Outcome.SERVER_ERROR):
                self.paused[item.host] = time.time() + result.retry_after
            self.results.put(("checked", item, result))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a bug must not cost the lease: report it as a result
            log.exception("checking %s failed", item.state.url)
            self.results.put(("checked", item, CheckResult(
                outcome=Outcome.CONNECTION_FAILED, error=f"checker error: {exc}"[:500])))

    async def _space_out(self, host: str) -> None:
        gap = settings.LINKS_PER_HOST_INTERVAL
        if gap <= 0:
            return
        now = time.monotonic()
        start = max(now, self._last_start.get(host, 0) + gap)
        self._last_start[host] = start
        if start > now:
            await asyncio.sleep(start - now)

    async def _archive(self, link_id: int, url: str) -> None:
        try:
            found = await archive.lookup(self.client, url)
            self.results.put(("archive", link_id, found))
        except (FetchError, UnsafeURL) as exc:
            log.warning("archive lookup for %s failed: %s", url, exc)
            self.results.put(("archive-failed", link_id, None))


def refresh(
    *,
    ids: Sequence[int] | None = None,
    requested_before: datetime | None = None,
    budget_seconds: float | None = None,
    progress: Callable[[int], None] | None = None,
    policy: Policy | None = None,
) -> Summary:
    """Check due links (or the links `ids`) until none is left or the budget is spent."""
    started = time.monotonic()
    deadline = started + (budget_seconds if budget_seconds is not None else 240)
    policy = policy or Policy.from_settings()
    results: queue.Queue = queue.Queue()
    summary = Summary()
    inflight: dict[tuple[int, object], Leased] = {}
    pending: list[tuple[Leased, CheckResult]] = []
    archive_inflight = 0
    exhausted = False
    # Nothing claimable while our own requests hold the hosts' slots: claim after a flush.
    waiting_for_slots = False
    last_flush = time.monotonic()
    # Keep about two requests' worth of work per connection slot claimed; refill
    # when half is done, at most a few times a second (a claim is a round trip).
    target = max(policy.concurrency * 2, 1)
    last_claim = 0.0

    def flush() -> None:
        nonlocal last_flush, pending, waiting_for_slots
        if pending:
            waiting_for_slots = False
            written = set(record(pending))
            summary.lost_leases += len(pending) - len(written)
            for item, result in pending:
                if item.state.id not in written:
                    continue
                summary.checked += 1
                summary.outcomes[result.outcome] += 1
                _maybe_archive(item, result)
            if progress:
                progress(len(written))
            pending = []
        last_flush = time.monotonic()

    def _maybe_archive(item: Leased, result: CheckResult) -> None:
        nonlocal archive_inflight
        if result.outcome == Outcome.BLOCKED_BY_POLICY:
            return
        if not archive.wants_lookup(
            failing=result.outcome in FAILURES, archive_url=item.archive_url,
            archive_checked_at=item.archive_checked_at, now=timezone.now(),
        ):
            return
        if archive.take_archive_slot():
            fetcher.submit_archive(item.state.id, item.state.url)
            archive_inflight += 1
            summary.archive_lookups += 1

    with Fetcher(policy, results) as fetcher:
        try:
            while True:
                now = time.monotonic()
                if (
                    not exhausted and not waiting_for_slots and now < deadline
                    and len(inflight) <= target // 2
                    and (not inflight or now - last_claim >= CLAIM_SECONDS)
                ):
                    last_claim = now
                    batch = lease_due(
                        min(settings.LINKS_BATCH_SIZE, target - len(inflight)),
                        ids=ids, requested_before=requested_before,
                    )
                    if not batch:
                        exhausted = not inflight
                        waiting_for_slots = bool(inflight)
                    batch = _without_paused_hosts(batch, summary)
                    for item in batch:
                        inflight[(item.state.id, item.token)] = item
                        fetcher.submit(item)
                if not inflight and not archive_inflight and (
                    exhausted or time.monotonic() >= deadline
                ):
                    if not pending:
                        break
                    flush()  # may start archive lookups, which the loop then waits for
                    continue
                try:
                    kind, subject, payload = results.get(timeout=FLUSH_SECONDS)
                except queue.Empty:
                    flush()
                    continue
                if kind == "checked":
                    inflight.pop((subject.state.id, subject.token), None)
                    pending.append((subject, payload))
                    if payload.retry_after and payload.outcome in (
                        Outcome.RATE_LIMITED, Outcome.SERVER_ERROR
                    ):
                        _defer_host(subject.host, time.time() + payload.retry_after)
                elif kind == "deferred":
                    inflight.pop((subject.state.id, subject.token), None)
                    _defer_host(subject.host, payload.until)
                    release([subject], not_before=_at(payload.until))
                    summary.deferred += 1
                else:
                    archive_inflight -= 1
                    if kind == "archive":
                        record_archive(subject, payload)
                        summary.archived += bool(payload)
                since = time.monotonic() - last_flush
                if (
                    len(pending) >= FLUSH_EVERY
                    or since > FLUSH_SECONDS
                    or (waiting_for_slots and since > CLAIM_SECONDS)  # frees hosts' slots
                    or not inflight
                ):
                    flush()
            flush()
        except BaseException:
            # Stopping early (soft time limit, shutdown): hand back what is unfinished
            # so the next pass takes it at once instead of waiting out the lease.
            with contextlib.suppress(Exception):
                flush()
                release(inflight.values())
            raise
    summary.seconds = time.monotonic() - started
    return summary


def _at(epoch: float) -> datetime:
    return timezone.now() + timedelta(seconds=max(0.0, epoch - time.time()))


def _defer_host(host: str, until: float) -> None:
    """Tell every worker that `host` asked for a pause."""
    seconds = max(1, int(until - time.time()))
    with contextlib.suppress(Exception):  # the cache is a courtesy; the lease is the guard
        cache.set(HOST_PAUSE_KEY.format(host=host), until, timeout=seconds)


def _without_paused_hosts(batch: list[Leased], summary: Summary) -> list[Leased]:
    if not batch:
        return batch
    hosts = {item.host for item in batch}
    try:
        pauses = cache.get_many([HOST_PAUSE_KEY.format(host=h) for h in hosts])
    except Exception:
        return batch
    now = time.time()
    paused = {
        key.split(":", 2)[2]: until for key, until in pauses.items() if until and until > now
    }
    if not paused:
        return batch
    keep = []
    for item in batch:
        until = paused.get(item.host)
        if until:
            release([item], not_before=_at(until))
            summary.deferred += 1
        else:
            keep.append(item)
    return keep
