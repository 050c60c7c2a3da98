"""A refresh pass: lease due links, check them concurrently, record, repeat.

The database work stays on the calling thread (so Django's connection
handling, Celery's and the tests' transactions all apply as usual); the
network work runs on an asyncio loop in one helper thread, where a single
guarded aiohttp session multiplexes every request. Results flow back through
a queue and are written in small batches while the next requests are in
flight, so the pipe never drains between batches.

The two threads meet as seldom as possible (profiled: a per-link hand-off
through queue.Queue and run_coroutine_threadsafe cost ~15 % of a worker's
time): a leased batch crosses over in one call, the fetcher starts at most
`concurrency` checks at a time from its own queue (no task parked on a
semaphore per waiting link), and results come back through a SimpleQueue
that the refresh loop drains in one go.
"""

from __future__ import annotations

import asyncio
import collections
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
from django.db import InterfaceError, OperationalError, connection
from django.db.models import Q
from django.utils import timezone

from . import archive
from .checking import CheckResult, check_link
from .models import Link, Outcome
from .pauses import HostPauses
from .safehttp import FetchError, Policy, SafeClient, UnsafeURL
from .scheduling import FAILURES, Leased, lease_due, record, record_archive, release, renew

log = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
# Results are written in batches: a statement costs about the same for 1 row or 200.
FLUSH_EVERY = 200  # results
FLUSH_SECONDS = 0.5
# How long a result may wait in the fetcher's thread before crossing over with others.
HANDOVER_SECONDS = 0.05
LEASE_SECONDS_APART = 0.25


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

    def __init__(self, policy: Policy, results: queue.SimpleQueue, pauses: HostPauses) -> None:
        self.policy = policy
        self.results = results
        self.pauses = pauses  # read here, written by the refresh loop only
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, name="link-fetcher", daemon=True)
        self.client: SafeClient | None = None
        self._ready = threading.Event()
        # Touched on the loop's thread only: links waiting for one of `concurrency` slots.
        self._waiting: collections.deque[Leased] = collections.deque()
        self._parked: dict[str, collections.deque[Leased]] = {}  # hosts at their cap
        self._busy: Counter[str] = Counter()  # checks under way per host
        self._running: set[asyncio.Task] = set()
        self._last_start: dict[str, float] = {}
        # Results wait here and cross to the refresh loop as one list a few times a
        # second: a wake-up of the other thread per link is what the profile showed.
        self._out: list[tuple] = []
        self._handover: asyncio.TimerHandle | None = None
        # Read once per pass: a settings lookup per link was ~2 % of a worker's time.
        self._per_host = settings.LINKS_PER_HOST_CONCURRENCY
        self._gap = settings.LINKS_PER_HOST_INTERVAL

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.client = SafeClient(self.policy)
        self.loop.run_until_complete(self.client.__aenter__())
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

    def submit(self, items: Sequence[Leased]) -> None:
        """Check these links: one crossing into the loop's thread for the whole batch."""
        if items:
            self.loop.call_soon_threadsafe(self._enqueue, list(items))

    def submit_archive(self, link_id: int, url: str) -> None:
        self.loop.call_soon_threadsafe(self._start, self._archive(link_id, url))

    def _enqueue(self, items: list[Leased]) -> None:
        self._waiting.extend(items)
        self._launch()

    def _launch(self) -> None:
        """Start checks up to the global and per-host limits; the rest wait their turn.

        A link whose host is at LINKS_PER_HOST_CONCURRENCY is parked with its host
        and takes the first slot that host frees, without holding a global slot.
        """
        per_host = self._per_host
        while self._waiting and len(self._running) < self.policy.concurrency:
            item = self._waiting.popleft()
            if self._busy[item.host] >= per_host:
                self._parked.setdefault(item.host, collections.deque()).append(item)
                continue
            self._busy[item.host] += 1
            self._start(self._check(item), host=item.host)

    def _start(self, coroutine, *, host: str | None = None) -> None:
        task = self.loop.create_task(coroutine)
        self._running.add(task)  # a reference, so the task is not collected mid-flight

        def finished(task: asyncio.Task) -> None:
            self._running.discard(task)
            if host is not None:
                self._busy[host] -= 1
                parked = self._parked.get(host)
                if parked:
                    self._waiting.appendleft(parked.popleft())
                    if not parked:
                        del self._parked[host]
            self._launch()

        task.add_done_callback(finished)

    def _emit(self, entry: tuple) -> None:
        self._out.append(entry)
        if len(self._out) >= FLUSH_EVERY or not self._running:
            self._hand_over()
        elif self._handover is None:
            self._handover = self.loop.call_later(HANDOVER_SECONDS, self._hand_over)

    def _hand_over(self) -> None:
        if self._handover is not None:
            self._handover.cancel()
            self._handover = None
        if self._out:
            self.results.put(self._out)
            self._out = []

    async def _check(self, item: Leased) -> None:
        try:
            # Asked when the host's slot is ours: a 429 seen meanwhile counts.
            until = self.pauses.until(item.host)
            if until:
                self._emit(("deferred", item, _Deferred(until)))
                return
            if self._gap > 0:
                await self._space_out(item.host)
            result = await check_link(self.client, item.state)
            self._emit(("checked", item, result))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a bug must not cost the lease: report it as a result
            log.exception("checking %s failed", item.state.url)
            self._emit(("checked", item, CheckResult(
                outcome=Outcome.CONNECTION_FAILED, error=f"checker error: {exc}"[:500])))
        finally:
            if len(self._running) <= 1:  # the last one out hands everything over
                self._hand_over()

    async def _space_out(self, host: str) -> None:
        gap = self._gap
        now = time.monotonic()
        start = max(now, self._last_start.get(host, 0) + gap)
        self._last_start[host] = start
        if start > now:
            await asyncio.sleep(start - now)

    async def _archive(self, link_id: int, url: str) -> None:
        try:
            found = await archive.lookup(self.client, url)
            self._emit(("archive", link_id, found))
        except (FetchError, UnsafeURL) as exc:
            log.warning("archive lookup for %s failed: %s", url, exc)
            self._emit(("archive-failed", link_id, None))
        finally:
            if len(self._running) <= 1:
                self._hand_over()


class _Database:
    """Rides out a database outage inside a pass instead of abandoning the work in hand.

    Results already fetched stay in memory and are written once PostgreSQL is
    back (a result still shows its lease token, so nothing is written twice);
    no new work is leased meanwhile. An outage longer than
    LINKS_DB_OUTAGE_SECONDS ends the pass with the error (the task retries).
    """

    def __init__(self) -> None:
        self.down_since: float | None = None
        self.next_try = 0.0

    @property
    def usable(self) -> bool:
        return self.down_since is None or time.monotonic() >= self.next_try

    def run(self, work: Callable[[], object], default=None):
        if not self.usable:
            return default
        try:
            result = work()
        except DATABASE_ERRORS as exc:
            now = time.monotonic()
            if self.down_since is None:
                log.warning("database unreachable, holding results: %s", exc)
                self.down_since = now
            elif now - self.down_since > settings.LINKS_DB_OUTAGE_SECONDS:
                raise
            self.next_try = now + 1.0
            with contextlib.suppress(Exception):
                connection.close()  # a fresh connection next time, not the broken one
            return default
        if self.down_since is not None:
            log.warning("database back after %.1fs", time.monotonic() - self.down_since)
            self.down_since = None
        return result


def refresh(
    *,
    ids: Sequence[int] | None = None,
    requested_before: datetime | None = None,
    budget_seconds: float | None = None,
    progress: Callable[[int], None] | None = None,
    policy: Policy | None = None,
    alive: Callable[[], None] | None = None,
) -> Summary:
    """Check due links (or the links `ids`) until none is left or the budget is spent.

    Every LINKS_LEASE_SECONDS / 4 the pass renews its leases and calls `alive`
    (the task keeps its wake-up slot with it), so both lapse within seconds of
    the process dying.

    With `ids` and `requested_before` ("refresh now"), the pass does not stop
    while some of those links are still unchecked but held by other workers or
    by a host's cap: the request is honoured in full, within the budget.
    """
    started = time.monotonic()
    deadline = started + (budget_seconds if budget_seconds is not None else 240)
    policy = policy or Policy.from_settings()
    results: queue.SimpleQueue = queue.SimpleQueue()
    summary = Summary()
    pauses = HostPauses()
    db = _Database()
    inflight: dict[tuple[int, object], Leased] = {}
    pending: list[tuple[Leased, CheckResult]] = []
    deferred_ids: set[int] = set()
    archive_inflight = 0
    exhausted = False
    # Nothing leasable while our own requests hold the hosts' slots: lease after a flush.
    waiting_for_slots = False
    last_flush = time.monotonic()
    heartbeat = max(1.0, settings.LINKS_LEASE_SECONDS / 4)
    last_renewal = time.monotonic()
    # Keep the fetcher's queue from ever running dry: about four requests' worth of
    # work per connection slot leased (one in flight, one waiting to cross back in a
    # handover, two queued to cover a flush and a claim on this thread), topped up as
    # soon as half a slot-set is done. Refilling only at half-empty and at most four
    # times a second capped a worker near 600-800 links/s with its core a third
    # busy (bench/links.py, docs/benchmarks.md).
    target = max(policy.concurrency * 4, 1)
    refill = max(policy.concurrency // 2, 1)
    last_lease = 0.0
    short_lease = False  # the last lease got fewer than asked: the hosts' caps are full

    def flush() -> None:
        nonlocal last_flush, pending, waiting_for_slots
        last_flush = time.monotonic()
        if not pending:
            return
        written = db.run(lambda: set(record(pending)))
        if written is None:
            return  # the database is away: keep the results for the next flush
        waiting_for_slots = False
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

    def renew_leases() -> None:
        nonlocal last_renewal
        last_renewal = time.monotonic()
        held = [*inflight.values(), *(item for item, _ in pending)]
        if held:
            db.run(lambda: renew(held))
        if alive:
            with contextlib.suppress(Exception):
                alive()

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

    def requested_left() -> bool:
        """Links of this request not yet checked by anyone (nor deferred by their host)."""
        if ids is None or requested_before is None:
            return False
        left = Link.objects.filter(pk__in=list(ids)).filter(
            Q(last_checked_at__isnull=True) | Q(last_checked_at__lt=requested_before)
        ).exclude(pk__in=deferred_ids)
        return bool(db.run(left.exists, default=True))

    def defer(items: list[Leased]) -> None:
        for item in items:
            until = pauses.until(item.host) or time.time()
            db.run(lambda item=item, until=until: release([item], not_before=_at(until)))
            deferred_ids.add(item.state.id)
            summary.deferred += 1

    with Fetcher(policy, results, pauses) as fetcher:
        try:
            while True:
                now = time.monotonic()
                if now - last_renewal >= heartbeat:
                    renew_leases()
                if (
                    not exhausted and not waiting_for_slots and now < deadline and db.usable
                    and len(inflight) <= target - refill
                    and (not inflight or not short_lease
                         or now - last_lease >= LEASE_SECONDS_APART)
                ):
                    last_lease = now
                    wanted = min(settings.LINKS_BATCH_SIZE, target - len(inflight))
                    batch = db.run(lambda wanted=wanted: lease_due(
                        wanted, ids=ids, requested_before=requested_before,
                    ))
                    if batch is not None:
                        short_lease = len(batch) < wanted
                        if not batch:
                            if inflight:
                                waiting_for_slots = True
                            elif not requested_left():
                                exhausted = True
                        pauses.load(item.host for item in batch)
                        paused = [item for item in batch if pauses.until(item.host)]
                        defer(paused)
                        ready = [item for item in batch if not pauses.until(item.host)]
                        for item in ready:
                            inflight[(item.state.id, item.token)] = item
                        fetcher.submit(ready)
                if not inflight and not archive_inflight and (
                    exhausted or time.monotonic() >= deadline
                ):
                    if not pending:
                        break
                    flush()  # may start archive lookups, which the loop then waits for
                    if pending and time.monotonic() >= deadline + settings.LINKS_DB_OUTAGE_SECONDS:
                        break  # results nobody can write: their leases expire, others redo them
                    continue
                try:
                    arrived = results.get(timeout=FLUSH_SECONDS)
                except queue.Empty:
                    flush()
                    continue
                with contextlib.suppress(queue.Empty):
                    while len(arrived) < FLUSH_EVERY:  # whatever else is there, in one go
                        arrived += results.get_nowait()
                for kind, subject, payload in arrived:
                    if kind == "checked":
                        inflight.pop((subject.state.id, subject.token), None)
                        pending.append((subject, payload))
                        if payload.retry_after and payload.outcome in (
                            Outcome.RATE_LIMITED, Outcome.SERVER_ERROR
                        ):
                            pauses.pause(subject.host, time.time() + payload.retry_after)
                    elif kind == "deferred":
                        inflight.pop((subject.state.id, subject.token), None)
                        defer([subject])
                    else:
                        archive_inflight -= 1
                        if kind == "archive":
                            db.run(lambda subject=subject, payload=payload:
                                   record_archive(subject, payload))
                            summary.archived += bool(payload)
                since = time.monotonic() - last_flush
                if (
                    len(pending) >= FLUSH_EVERY
                    or since > FLUSH_SECONDS
                    or (waiting_for_slots and since > LEASE_SECONDS_APART)  # frees hosts' slots
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
