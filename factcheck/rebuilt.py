"""An in-process index over database rows, rebuilt when the rows' version changes.

The importer's alias automaton and the similar-claims name index are built from
every source name in the registry: too slow to build per request, cheap to check
for staleness (one aggregate query). Each process keeps one, and rebuilds it
under a lock the first time a request sees a new version, so two threads never
build the same index twice and readers never wait on a fresh one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Rebuilt(Generic[T]):
    def __init__(self, version: Callable[[], Hashable], build: Callable[[Hashable], T]) -> None:
        self._version = version
        self._build = build
        self._lock = threading.Lock()
        self._current: tuple[Hashable, T] | None = None

    def get(self) -> T:
        version = self._version()
        current = self._current
        if current is not None and current[0] == version:
            return current[1]
        with self._lock:
            if self._current is None or self._current[0] != version:
                self._current = (version, self._build(version))
            return self._current[1]
