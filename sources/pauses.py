"""Hosts that asked us to wait (429/503 with Retry-After): the one place that knows.

A pause is kept in this process (so the fetcher's next request to the host,
on its event loop, waits without a round trip) and in the shared cache (so
every other worker waits too). Only the refresh loop's thread writes; the
fetcher only reads `until()`. The cache is a courtesy: if Redis is away, each
process still honours the pauses it has seen, and the lease is the guard.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable

from django.core.cache import cache

KEY = "links:host-pause:{host}"


class HostPauses:
    def __init__(self) -> None:
        self._until: dict[str, float] = {}

    def until(self, host: str) -> float | None:
        """When `host` may be asked again (epoch seconds), if it is paused now."""
        until = self._until.get(host)
        return until if until and until > time.time() else None

    def pause(self, host: str, until: float) -> None:
        """`host` asked us to wait until `until`: here and in every worker."""
        if until <= self._until.get(host, 0):
            return
        self._until[host] = until
        seconds = max(1, int(until - time.time()))
        with contextlib.suppress(Exception):
            cache.set(KEY.format(host=host), until, timeout=seconds)

    def load(self, hosts: Iterable[str]) -> None:
        """Learn the pauses other workers have seen for these hosts."""
        hosts = set(hosts)
        if not hosts:
            return
        try:
            shared = cache.get_many([KEY.format(host=h) for h in hosts])
        except Exception:
            return
        for key, until in shared.items():
            host = key.split(":", 2)[2]
            if until and until > self._until.get(host, 0):
                self._until[host] = until
