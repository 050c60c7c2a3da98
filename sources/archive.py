"""Archived copies from a Wayback-compatible availability API, politely.

The endpoint is LINKS_ARCHIVE_ENDPOINT (tests point it at a local server);
lookups from every worker share one budget per minute, counted in the cache
(Redis in production), because archives allow only a few requests a minute.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache

from .safehttp import FetchError, SafeClient

THROTTLE_KEY = "links:archive-budget:{minute}"


_spent_minute = -1  # this process saw the budget of that minute run out


def take_archive_slot() -> bool:
    """One request's worth of the global per-minute archive budget, if any is left."""
    global _spent_minute
    minute = int(time.time() // 60)
    if minute == _spent_minute:
        return False  # known spent: spare the cache a round trip
    key = THROTTLE_KEY.format(minute=minute)
    try:
        cache.add(key, 0, timeout=120)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=120)
            used = 1
    except Exception:  # no shared budget reachable (Redis restarting): ask nothing
        return False
    if used > settings.LINKS_ARCHIVE_PER_MINUTE:
        _spent_minute = minute
        return False
    return True


def wants_lookup(
    *, failing: bool, archive_url: str, archive_checked_at: datetime | None, now: datetime
) -> bool:
    """Look up a copy for a failing link, or one not looked up recently."""
    if not settings.LINKS_ARCHIVE_ENABLED:
        return False
    if archive_checked_at is None:
        return True
    if failing and not archive_url:
        return now - archive_checked_at > timedelta(hours=1)
    return now - archive_checked_at > timedelta(seconds=settings.LINKS_ARCHIVE_RECHECK_SECONDS)


def parse_availability(payload: dict) -> dict | None:
    """{"url", "timestamp"} of the closest available snapshot, or None."""
    closest = (payload.get("archived_snapshots") or {}).get("closest") or {}
    if not closest.get("available") or not closest.get("url"):
        return None
    stamp = str(closest.get("timestamp", ""))
    try:
        taken = datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        taken = None
    url = str(closest["url"])
    if not url.startswith(("http://", "https://")):
        return None
    return {"url": url, "timestamp": taken}


async def lookup(client: SafeClient, url: str) -> dict | None:
    """Ask the availability API about `url`. Raises FetchError/UnsafeURL on faults."""
    endpoint = settings.LINKS_ARCHIVE_ENDPOINT
    query = urlencode({"url": url})
    doc = await client.fetch(f"{endpoint}?{query}", max_bytes=256 * 1024)
    if doc.status != 200:
        raise FetchError(FetchError.PROTOCOL, f"archive answered HTTP {doc.status}")
    try:
        return parse_availability(json.loads(doc.body))
    except (ValueError, AttributeError) as exc:
        raise FetchError(FetchError.PROTOCOL, f"archive answer unreadable: {exc}") from None

