"""Which links get checked when, and by whom: leases, results, intervals.

PostgreSQL is the source of truth. A worker takes due links by giving them a
lease (a token and an expiry) in one conditional UPDATE; it writes a result
only while its lease holds, in the same transaction as the history row.
Leases are short (LINKS_LEASE_SECONDS, 12 s) and renewed by the worker while
it works (`renew`, the refresh loop's heartbeat), so a worker that dies lets
its links go within seconds and its dead leases stop counting toward a host's
cap just as fast. Nothing about *when* a link is next due lives in Redis.

On the embedded default (SQLite) the same verbs run through the ORM: SQLite
has one writer at a time, so the conditional UPDATE alone keeps a link from
being leased twice, without PostgreSQL's advisory lock or SKIP LOCKED.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import psycopg
from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb

from .checking import CheckResult, LinkState
from .models import Link, LinkCheck, LinkHealth, Outcome

# Serialises workers taking links, so the per-host count of active leases they read is exact.
LEASE_LOCK_KEY = 0x6C696E6B  # "link"

# A failure counts toward "broken"; these say nothing about the page being gone.
FAILURES = frozenset({
    Outcome.GONE, Outcome.SOFT_404, Outcome.CLIENT_ERROR, Outcome.SERVER_ERROR,
    Outcome.TIMEOUT, Outcome.DNS_FAILURE, Outcome.TLS_ERROR, Outcome.CONNECTION_FAILED,
    Outcome.TOO_MANY_REDIRECTS,
})
ALIVE = frozenset({
    Outcome.OK, Outcome.REDIRECTED_PERMANENT, Outcome.REDIRECTED_TEMPORARY, Outcome.TOO_LARGE,
})
# Transient: no verdict about the link, try again later (not counted as failures).
UNKNOWN = frozenset({Outcome.RATE_LIMITED})


@dataclass(frozen=True)
class Leased:
    """A leased link: what the check needs, and the token its result must show."""

    state: LinkState
    host: str
    token: uuid.UUID
    health: str
    consecutive_failures: int
    first_failure_at: datetime | None
    check_interval: int | None
    content_changed_at: datetime | None
    change_reviewed_at: datetime | None
    archive_url: str
    archive_checked_at: datetime | None


_RETURNING = """
    RETURNING l.id, l.url, l.host, l.content_hash, l.etag, l.last_modified, l.health,
              l.consecutive_failures, l.first_failure_at, l.check_interval,
              l.content_changed_at, l.change_reviewed_at, l.archive_url, l.archive_checked_at,
              l.body_hash
"""


def _leased(rows, token: uuid.UUID) -> list[Leased]:
    return [
        Leased(
            state=LinkState(id=r[0], url=r[1], content_hash=r[3], etag=r[4], last_modified=r[5],
                            body_hash=r[14]),
            host=r[2], token=token, health=r[6], consecutive_failures=r[7],
            first_failure_at=r[8], check_interval=r[9], content_changed_at=r[10],
            change_reviewed_at=r[11], archive_url=r[12], archive_checked_at=r[13],
        )
        for r in rows
    ]


def lease_due(
    limit: int | None = None,
    *,
    lease_seconds: int | None = None,
    per_host: int | None = None,
    ids: Sequence[int] | None = None,
    requested_before: datetime | None = None,
) -> list[Leased]:
    """Lease up to `limit` due links, at most `per_host` leased per host overall.

    With `ids`, lease those links whether or not they are due ("refresh now"),
    skipping any already checked since `requested_before`, so a request
    delivered twice checks once.
    """
    limit = limit or settings.LINKS_BATCH_SIZE
    lease = timedelta(seconds=lease_seconds or settings.LINKS_LEASE_SECONDS)
    # A lease covers a link queued, in flight, or done but not yet recorded; allowing
    # twice the in-flight limit keeps hosts busy between flushes. Requests in flight
    # are bounded per worker process by refresh.Fetcher's per-host semaphore.
    per_host = per_host or 2 * settings.LINKS_PER_HOST_CONCURRENCY
    token = uuid.uuid4()
    table = Link._meta.db_table
    free = "(l.lease_until IS NULL OR l.lease_until <= statement_timestamp())"

    def scan(wanted: str, order: str) -> str:
        # A sub-select of its own: a UNION's branches may not lock rows themselves.
        return (f"SELECT * FROM (SELECT l.id, l.host, l.next_check_at FROM {table} l"
                f" WHERE {wanted} AND {free} ORDER BY {order} LIMIT %(scan)s"
                " FOR UPDATE SKIP LOCKED) AS s")

    if ids is not None:
        candidates = scan(
            "l.id = ANY(%(ids)s) AND (%(before)s::timestamptz IS NULL"
            " OR l.last_checked_at IS NULL OR l.last_checked_at < %(before)s)",
            "l.next_check_at NULLS FIRST, l.id",
        )
    else:
        # Links never scheduled first, then the most overdue: two walks of link_due_idx
        # in its own order that stop after `scan` rows each. One walk ordered NULLS
        # FIRST cannot use the (ascending, nulls last) index and read and sorted every
        # due link on each claim: half a claim's time with 5,000 links due.
        candidates = (
            scan("l.next_check_at IS NULL", "l.id") + " UNION ALL "
            + scan("l.next_check_at <= statement_timestamp()", "l.next_check_at, l.id")
        )
    sql = f"""
        WITH busy AS (
            SELECT host, count(*) AS n FROM {table}
            WHERE lease_until > statement_timestamp() GROUP BY host
        ), candidates AS (
            {candidates}
        ), ranked AS (
            SELECT c.id, c.next_check_at,
                   row_number() OVER (PARTITION BY c.host ORDER BY c.next_check_at, c.id)
                   + coalesce(b.n, 0) AS slot
            FROM candidates c LEFT JOIN busy b ON b.host = c.host
        )
        UPDATE {table} l
        SET lease_until = statement_timestamp() + %(lease)s, lease_token = %(token)s
        WHERE l.id IN (
            SELECT id FROM ranked WHERE slot <= %(per_host)s
            ORDER BY next_check_at NULLS FIRST, id LIMIT %(limit)s
        )
        {_RETURNING}
    """
    params = {
        "ids": list(ids or []), "before": requested_before, "scan": limit * 5,
        "lease": lease, "token": token, "per_host": per_host, "limit": limit,
    }
    if connection.vendor != "postgresql":
        return _lease_portable(limit, lease, per_host, token, ids, requested_before)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LEASE_LOCK_KEY])
        cursor.execute(sql, params)
        return _leased(cursor.fetchall(), token)


_COLUMNS = (
    "id", "url", "host", "content_hash", "etag", "last_modified", "health",
    "consecutive_failures", "first_failure_at", "check_interval", "content_changed_at",
    "change_reviewed_at", "archive_url", "archive_checked_at", "body_hash",
)


def _lease_portable(
    limit: int, lease: timedelta, per_host: int, token: uuid.UUID,
    ids: Sequence[int] | None, requested_before: datetime | None,
) -> list[Leased]:
    """`lease_due` through the ORM, for SQLite (one writer at a time)."""
    now = timezone.now()
    free = models.Q(lease_until__isnull=True) | models.Q(lease_until__lte=now)
    with transaction.atomic():
        busy = Counter(dict(
            Link.objects.filter(lease_until__gt=now).values("host")
            .annotate(n=models.Count("id")).values_list("host", "n")
        ))
        wanted = Link.objects.filter(free)
        if ids is not None:
            wanted = wanted.filter(pk__in=list(ids))
            if requested_before is not None:
                wanted = wanted.filter(models.Q(last_checked_at__isnull=True)
                                       | models.Q(last_checked_at__lt=requested_before))
        else:
            wanted = wanted.filter(models.Q(next_check_at__isnull=True)
                                   | models.Q(next_check_at__lte=now))
        chosen: list[int] = []
        for link_id, host in wanted.order_by(
            models.F("next_check_at").asc(nulls_first=True), "id"
        ).values_list("id", "host")[: limit * 5]:
            if busy[host] < per_host:
                busy[host] += 1
                chosen.append(link_id)
                if len(chosen) >= limit:
                    break
        # The condition is re-checked by the UPDATE itself: a link leased meanwhile stays out.
        Link.objects.filter(free, pk__in=chosen).update(lease_until=now + lease, lease_token=token)
        rows = Link.objects.filter(lease_token=token).order_by("id").values_list(*_COLUMNS)
        return _leased(list(rows), token)


def renew(leased: Iterable[Leased], *, lease_seconds: int | None = None) -> int:
    """Extend the leases still held on these links (the worker's heartbeat).

    By primary key and token: no index leads by token, so a lookup by token alone
    would read every link in the table every few seconds for every running pass.
    """
    held = sorted({(item.state.id, item.token) for item in leased})
    if not held:
        return 0
    lease = timedelta(seconds=lease_seconds or settings.LINKS_LEASE_SECONDS)
    if connection.vendor != "postgresql":
        by_token: dict[uuid.UUID, list[int]] = {}
        for link_id, token in held:
            by_token.setdefault(token, []).append(link_id)
        until = timezone.now() + lease
        return sum(Link.objects.filter(pk__in=ids, lease_token=token).update(lease_until=until)
                   for token, ids in by_token.items())
    # The database's clock, as in lease_due: workers on other machines may drift.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Link._meta.db_table} AS l SET lease_until = statement_timestamp() + %s"
            " FROM unnest(%s::bigint[], %s::uuid[]) AS v(id, token)"
            " WHERE l.id = v.id AND l.lease_token = v.token",
            [lease, [link_id for link_id, _ in held], [token for _, token in held]],
        )
        return cursor.rowcount


def release(leased: Iterable[Leased], *, not_before: datetime | None = None) -> int:
    """Give leases back without a check (a paused host, a stopping worker)."""
    by_token: dict[uuid.UUID, list[int]] = {}
    for item in leased:
        by_token.setdefault(item.token, []).append(item.state.id)
    released = 0
    for token, ids in by_token.items():
        changes = {"lease_until": None, "lease_token": None}
        if not_before is not None:
            changes["next_check_at"] = not_before
        released += Link.objects.filter(pk__in=ids, lease_token=token).update(**changes)
    return released


def mark_due(link_ids: Iterable[int]) -> int:
    """Make links due now, for the next pass to take."""
    return Link.objects.filter(pk__in=list(link_ids)).update(next_check_at=timezone.now())


# --- What a result does to a link ----------------------------------------------


def _bounded(seconds: float) -> int:
    low, high = settings.LINKS_INTERVAL_MIN, settings.LINKS_INTERVAL_MAX
    return int(min(high, max(low, seconds)))


def _jittered(seconds: int) -> timedelta:
    # ±10% so links added together do not stay in lockstep for ever.
    return timedelta(seconds=seconds * random.uniform(0.9, 1.1))


def next_state(item: Leased, result: CheckResult, now: datetime) -> dict:
    """The link's new field values after `result` (pure: no database)."""
    outcome = result.outcome
    previous = item.check_interval or settings.LINKS_INTERVAL_DEFAULT
    fields: dict = {
        "last_checked_at": now,
        "last_outcome": outcome,
        "last_error": result.error[:500],
        "lease_until": None,
        "lease_token": None,
    }
    if outcome != Outcome.BLOCKED_BY_POLICY:
        fields["http_status"] = result.http_status
    if outcome not in (Outcome.BLOCKED_BY_POLICY,) and (result.final_url or result.redirects):
        fields["final_url"] = result.final_url[:2048]
        fields["redirect_chain"] = result.redirects

    changed = False
    if outcome in ALIVE:
        fields.update(consecutive_failures=0, first_failure_at=None, blocked_reason="")
        if result.etag or result.last_modified or not result.not_modified:
            fields.update(etag=result.etag, last_modified=result.last_modified)
        meta = result.metadata
        if meta is not None:
            fields.update(
                title=meta.title, canonical_url=meta.canonical_url, site_name=meta.site_name,
                published_on=meta.published_on, page_language=meta.language,
                content_hash=meta.content_hash, body_hash=result.body_hash,
            )
            changed = bool(item.state.content_hash and meta.content_hash
                           and meta.content_hash != item.state.content_hash)
            if changed:
                fields["content_changed_at"] = now
        unreviewed_change = changed or (
            item.content_changed_at is not None
            and (item.change_reviewed_at is None
                 or item.change_reviewed_at < item.content_changed_at)
        )
        if unreviewed_change:
            health = LinkHealth.CHANGED
        elif outcome == Outcome.REDIRECTED_PERMANENT:
            health = LinkHealth.REDIRECTED
        else:
            health = LinkHealth.OK
        fields["health"] = health
        # Stable pages are looked at less often, changing ones more often.
        interval = _bounded(previous / 2 if changed else previous * 1.5)
    elif outcome in FAILURES:
        failures = item.consecutive_failures + 1
        first = item.first_failure_at or now
        fields.update(consecutive_failures=failures, first_failure_at=first)
        spread = (now - first).total_seconds() >= settings.LINKS_BROKEN_AFTER_SECONDS
        if failures >= settings.LINKS_FAILURES_BEFORE_BROKEN and spread:
            fields["health"] = LinkHealth.BROKEN
        retry = _bounded(settings.LINKS_RETRY_INTERVAL * 2 ** min(failures - 1, 16))
        fields["check_interval"] = previous  # the routine interval survives a bad spell
        fields["next_check_at"] = now + _jittered(retry)
        return fields
    elif outcome == Outcome.ACCESS_DENIED:
        fields.update(
            health=LinkHealth.BLOCKED,
            blocked_reason=f"The site refused the checker ({result.error or 'access denied'})",
        )
        interval = _bounded(previous * 1.5)
    elif outcome == Outcome.BLOCKED_BY_POLICY:
        fields.update(health=LinkHealth.BLOCKED, blocked_reason=result.error[:300])
        interval = settings.LINKS_INTERVAL_MAX
    else:  # rate limited: no verdict; come back when the site says
        interval = previous
        wait = result.retry_after or settings.LINKS_RETRY_INTERVAL
        fields["next_check_at"] = now + timedelta(seconds=_bounded(wait))
        fields["check_interval"] = previous
        return fields
    fields["check_interval"] = interval
    fields["next_check_at"] = now + _jittered(interval)
    return fields


def history_row(item: Leased, result: CheckResult, now: datetime, fields: dict) -> dict:
    """The LinkCheck row for one result, as column values."""
    return {
        "link_id": item.state.id,
        "checked_at": now,
        "outcome": str(result.outcome),
        "http_status": result.http_status,
        "latency_ms": result.latency_ms,
        "method": result.method if result.http_status else "",
        "final_url": result.final_url[:2048],
        "redirect_count": len(result.redirects),
        "content_hash": result.content_hash,
        "changed": "content_changed_at" in fields,
        "error": result.error[:500],
        "lease_token": item.token,
    }


def record(results: Sequence[tuple[Leased, CheckResult]]) -> list[int]:
    """Write results whose lease still holds, with one history row each; return their ids.

    A result whose lease was lost (expired and taken by another worker, or
    already recorded) is dropped: the link's state and history stay as the
    holder of the lease writes them. The lease test is in the UPDATE itself.
    """
    if not results:
        return []
    now = timezone.now()
    groups: dict[tuple[str, ...], list[tuple[Leased, dict]]] = {}
    rows: dict[int, dict] = {}
    moved: dict[int, tuple[str, str]] = {}
    for item, result in results:
        fields = next_state(item, result, now)
        fields["updated_at"] = now
        groups.setdefault(tuple(sorted(fields)), []).append((item, fields))
        rows[item.state.id] = history_row(item, result, now, fields)
        if fields.get("health", item.health) != item.health:
            moved[item.state.id] = (item.health, fields["health"])
    with transaction.atomic():
        written: list[int] = []
        if connection.vendor != "postgresql":
            for group in groups.values():
                for item, fields in group:
                    if Link.objects.filter(pk=item.state.id, lease_token=item.token).update(
                        **fields
                    ):
                        written.append(item.state.id)
            LinkCheck.objects.bulk_create([LinkCheck(**rows[link_id]) for link_id in written])
        else:
            for names, group in groups.items():
                written += _update_links(names, group)
            _insert_history([rows[link_id] for link_id in written])
        _tell_health_watchers(moved, written)
    return written


# Called inside record()'s transaction with [(link_id, health before, health after)] for
# the links whose health moved: what must not be lost (the desk's notifications to the
# followers of claims citing a link) is written with the result or not at all.
_health_watchers: list[Callable[[list[tuple[int, str, str]]], None]] = []


def on_health_change(callback: Callable[[list[tuple[int, str, str]]], None]) -> None:
    """Register a writer to run in the transaction that records a health change."""
    if callback not in _health_watchers:
        _health_watchers.append(callback)


def _tell_health_watchers(moved: dict[int, tuple[str, str]], written: list[int]) -> None:
    moves = [(link_id, *moved[link_id]) for link_id in written if link_id in moved]
    if moves:
        for callback in _health_watchers:
            callback(moves)


class _Shape:
    """A statement's columns, worked out once per set of fields (a handful per process).

    A flush used to look up every field, its column and its database type for
    every statement; the statement text and where each column's values sit in
    a row are the same every time the same fields change.
    """

    def __init__(self, model, names: tuple[str, ...], attname: bool) -> None:
        fields = [model._meta.get_field(name) for name in names]
        self.columns = [connection.ops.quote_name(f.column) for f in fields]
        self.placeholders = [f"%b::{f.db_type(connection)}[]" for f in fields]
        self.keys = [f.attname if attname else f.name for f in fields]
        self.json = [isinstance(f, models.JSONField) for f in fields]

    def arrays(self, rows: list[dict]) -> list[list]:
        """One array per column; JSON values wrapped for psycopg."""
        return [
            [Jsonb(row[key]) for row in rows] if is_json
            else [row[key] for row in rows]  # str, int, bool, date, datetime, UUID, None
            for key, is_json in zip(self.keys, self.json, strict=True)
        ]


@lru_cache(maxsize=64)
def _link_update(names: tuple[str, ...], alias: str) -> tuple[_Shape, str]:
    """The columns and the UPDATE for results that change `names` (per database alias)."""
    shape = _Shape(Link, names, attname=False)
    columns = shape.columns
    return shape, (
        f"UPDATE {Link._meta.db_table} AS l SET "
        + ", ".join(f"{c} = v.{c}" for c in columns)
        + f" FROM unnest(%b::bigint[], %b::uuid[], {', '.join(shape.placeholders)})"
        f" AS v(id, token, {', '.join(columns)})"
        " WHERE l.id = v.id AND l.lease_token = v.token RETURNING l.id"
    )


@lru_cache(maxsize=4)
def _history_insert(alias: str) -> tuple[_Shape, str]:
    """The columns and the INSERT of check history rows (per database alias)."""
    shape = _Shape(LinkCheck, _HISTORY_FIELDS, attname=True)
    return shape, (
        f"INSERT INTO {LinkCheck._meta.db_table} ({', '.join(shape.columns)}) "
        f"SELECT * FROM unnest({', '.join(shape.placeholders)})"
    )


def _execute(sql: str, params: list) -> list[tuple]:
    """Run on Django's connection (and transaction) with server-side binding.

    Django's cursor interpolates parameters client-side, quoting each array
    element as text, which costs more than the query; `%b` sends arrays binary.
    """
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def _update_links(names: tuple[str, ...], group: list[tuple[Leased, dict]]) -> list[int]:
    """One UPDATE for many rows, each only if its lease is still ours; the ids written.

    Values travel as one array per column (unnest), so a flush of a hundred
    results is one statement, not a hundred, and not the ORM's CASE per field.
    """
    shape, sql = _link_update(names, connection.alias)
    ids = [item.state.id for item, _ in group]
    tokens = [item.token for item, _ in group]
    values = shape.arrays([fields for _, fields in group])
    return [row[0] for row in _execute(sql, [ids, tokens, *values])]


_HISTORY_FIELDS = (
    "link", "checked_at", "outcome", "http_status", "latency_ms", "method", "final_url",
    "redirect_count", "content_hash", "changed", "error", "lease_token",
)


def _insert_history(rows: list[dict]) -> None:
    if not rows:
        return
    shape, sql = _history_insert(connection.alias)
    _execute(sql, shape.arrays(rows))


def record_archive(link_id: int, found: dict | None) -> None:
    """Store an archive lookup's answer (None: nothing archived)."""
    now = timezone.now()
    changes: dict = {"archive_checked_at": now}
    if found:
        changes.update(archive_url=found["url"][:2048], archived_at=found.get("timestamp"))
    Link.objects.filter(pk=link_id).update(**changes)


def acknowledge_change(link: Link) -> None:
    """An editor has looked at a changed page: it is healthy again until it changes anew."""
    now = timezone.now()
    Link.objects.filter(pk=link.pk, health=LinkHealth.CHANGED).update(
        change_reviewed_at=now, health=LinkHealth.OK
    )
    link.refresh_from_db()
