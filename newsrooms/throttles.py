"""Per-key request limits counted in the shared cache (Redis in deployment).

A fixed one-minute window with an atomic INCR: every gunicorn worker and
every host sees one count per key, and two simultaneous requests cannot both
read "99" and both pass, as a read-modify-write would allow.

Redis away (port closed, or hanging) must not take the API with it: the cache
has short socket timeouts (settings.CACHES), and when a call fails this
process counts locally instead, in a bounded table, for `REDIS_RETRY_SECONDS`
before trying Redis again. While degraded each process enforces the limit on
its own, so a key may get up to (processes × limit) per minute: looser, never
an outage, and the health check says Redis is down.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.throttling import BaseThrottle

from .models import KeyAccess
from .permissions import api_key

log = logging.getLogger(__name__)

WINDOW = 60
REDIS_RETRY_SECONDS = 5.0
LOCAL_MAX_KEYS = 10_000


def default_rates() -> dict[str, int]:
    return {
        KeyAccess.READ: 600, KeyAccess.WRITE: 300, "session": 600,
        **getattr(settings, "API_RATES_PER_MINUTE", {}),
    }


class LocalCounter:
    """Window counters in this process's memory, at most LOCAL_MAX_KEYS of them."""

    def __init__(self, max_keys: int = LOCAL_MAX_KEYS) -> None:
        self.max_keys = max_keys
        self.counts: dict[str, int] = {}
        self.lock = threading.Lock()

    def incr(self, slot: str, window: int) -> int:
        with self.lock:
            if slot not in self.counts and len(self.counts) >= self.max_keys:
                # Old windows first; if the table is still full of this window's
                # keys, forget them all rather than grow without bound.
                stale = [s for s in self.counts if not s.endswith(f":{window}")]
                for s in stale or list(self.counts):
                    del self.counts[s]
            self.counts[slot] = self.counts.get(slot, 0) + 1
            return self.counts[slot]


class SharedCounter:
    """Redis while it answers; the local table for a few seconds after it does not."""

    def __init__(self) -> None:
        self.local = LocalCounter()
        self.redis_down_until = 0.0

    @property
    def degraded(self) -> bool:
        return time.monotonic() < self.redis_down_until

    def incr(self, slot: str, window: int) -> int:
        if not self.degraded:
            try:
                return self._redis_incr(slot)
            except Exception as exc:  # ConnectionError, TimeoutError, OSError, ...
                log.warning("throttle: the cache is unreachable (%r); counting locally "
                            "for %ss", exc, REDIS_RETRY_SECONDS)
                self.redis_down_until = time.monotonic() + REDIS_RETRY_SECONDS
        return self.local.incr(slot, window)

    @staticmethod
    def _redis_incr(slot: str) -> int:
        client = redis_client()
        if client is None:  # another cache backend (tests without REDIS_URL)
            # add() is a no-op when the slot exists, so the first request of a
            # window creates it with its expiry and incr() never races a missing key.
            cache.add(slot, 0, timeout=WINDOW * 2)
            try:
                return cache.incr(slot)
            except ValueError:  # expired between add and incr
                cache.add(slot, 1, timeout=WINDOW * 2)
                return 1
        # One round trip instead of the cache API's three (add; incr = EXISTS, INCR):
        # a script, atomic in Redis, counts and gives a new slot its expiry. Same
        # key and stored form as cache.add/incr, so cache.get reads it.
        return int(_count_script(client)(keys=[cache.make_and_validate_key(slot)],
                                         args=[WINDOW * 2], client=client))


_COUNT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""
_script = None
_clients: dict = {}  # connection pool -> a redis-py client on it


def _count_script(client):
    """The counting script (EVALSHA; redis-py loads it on a NOSCRIPT answer)."""
    global _script
    if _script is None:
        _script = client.register_script(_COUNT)
    return _script


def redis_client():
    """A redis-py client on the default cache's write pool, or None if it is not Redis.

    Django's cache builds a new client object for every call (~170 response
    callbacks copied each time, 0.2 ms); one per pool is kept here instead.
    The pool, and so every connection, is still Django's.
    """
    default = caches["default"]  # `cache` is a proxy to it
    if not isinstance(default, RedisCache):
        return None
    backend = default._cache
    pool = backend._get_connection_pool(backend._get_connection_pool_index(True))
    client = _clients.get(pool)
    if client is None:
        client = _clients[pool] = backend._client(connection_pool=pool)
    return client


counter = SharedCounter()


class KeyRateThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        key = api_key(request)
        if key is not None:
            # The prefix, not the id: random, so counters never carry over to a
            # new key that reuses an id (e.g. after a database restore).
            ident, limit = f"k{key.prefix}", key.rate_per_minute or default_rates()[key.scope]
        elif request.user and request.user.is_authenticated:
            ident, limit = f"u{request.user.pk}", default_rates()["session"]
        else:
            return True  # anonymous requests are refused before they cost anything
        now = time.time()
        window = int(now // WINDOW)
        count = counter.incr(f"api-throttle:{ident}:{window}", window)
        self._wait = (window + 1) * WINDOW - now
        return count <= limit

    def wait(self) -> float:
        return max(1.0, self._wait)
