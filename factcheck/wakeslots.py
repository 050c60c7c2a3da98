"""Wake-up slots: at most one outstanding beat wake-up per slot for a queue table.

The work of the link queue and the webhook queue lives in PostgreSQL rows that
workers lease; a Celery message only wakes a worker. A beat that sent a
wake-up every few seconds during a long backlog would pile up duplicate tasks
in the broker, so each wake-up holds a slot (a cache key) for a lease's length.
The running task renews its slot before each batch and frees it when it ends;
if its worker dies, the slot lapses within a lease and the next beat wakes
another worker. A Redis blip costs at most a redundant wake-up, never work.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class WakeSlots:
    """`prefix` names the queue; `slots` and `lease_seconds` come from settings when used."""

    prefix: str

    def key(self, slot: int) -> str:
        return f"{self.prefix}:wake:{slot}"

    def wake(self, task, *, slots: int, lease_seconds: int) -> int:
        """Send `task.delay(slot)` for every free slot. Returns how many were sent."""
        woken = 0
        for slot in range(slots):
            if cache.add(self.key(slot), 1, timeout=lease_seconds):
                task.delay(slot)
                woken += 1
        return woken

    @contextlib.contextmanager
    def held(self, slot: int | None, *, lease_seconds: int) -> Iterator[Callable[[], None]]:
        """Run a woken task: yields `alive()`, which renews the slot; frees it at the end.

        A task sent directly (no slot) gets an `alive()` that does nothing.
        """
        key = self.key(slot) if slot is not None else None

        def alive() -> None:
            if key:
                with contextlib.suppress(Exception):  # a Redis blip must not stop the work
                    cache.touch(key, timeout=lease_seconds)

        try:
            yield alive
        finally:
            if key:
                with contextlib.suppress(Exception):  # the slot expires by itself anyway
                    cache.delete(key)
