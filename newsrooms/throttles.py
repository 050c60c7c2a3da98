"""Per-key request limits counted in the shared cache (Redis in deployment).

A fixed one-minute window with an atomic INCR: every gunicorn worker and
every host sees one count per key, and two simultaneous requests cannot both
read "99" and both pass, as a read-modify-write would allow.
"""

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

from .models import KeyAccess
from .permissions import api_key

WINDOW = 60


def default_rates() -> dict[str, int]:
    return {
        KeyAccess.READ: 600, KeyAccess.WRITE: 300, "session": 600,
        **getattr(settings, "API_RATES_PER_MINUTE", {}),
    }


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
        slot = f"api-throttle:{ident}:{window}"
        # add() is a no-op when the slot exists, so the first request of a
        # window creates it with its expiry and incr() never races a missing key.
        cache.add(slot, 0, timeout=WINDOW * 2)
        try:
            count = cache.incr(slot)
        except ValueError:  # expired between add and incr
            cache.add(slot, 1, timeout=WINDOW * 2)
            count = 1
        self._wait = (window + 1) * WINDOW - now
        return count <= limit

    def wait(self) -> float:
        return max(1.0, self._wait)
