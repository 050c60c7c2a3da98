"""The sync feed's upper bound: the instant before which every change is committed.

A row's updated_at is stamped when its transaction writes it, but the row
becomes visible when that transaction commits, and transactions commit in
any order. A poller that asks "updated_at > the newest timestamp I saw" loses
the write of a slow transaction that stamped an older time and committed
after the poll. So the feed never returns rows at or past the *horizon*: the
start of the oldest transaction still open in the database (pg_stat_activity),
or now if none is, minus a small allowance for the app and database clocks.
Every transaction that could still commit a row stamped before the horizon has
already finished, so pages bounded by it never change afterwards, and a client
that polls `updated_since=<previous sync_until>` misses nothing. Long open
transactions hold the horizon back (the feed lags, it does not lose rows).
"""

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters
from rest_framework.exceptions import ValidationError

from factcheck.api.filtering import UtcDateTimeFilter

_OLDEST_OPEN = """
SELECT LEAST(clock_timestamp(), min(xact_start))
FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL
  AND backend_type = 'client backend'
"""


def horizon() -> datetime:
    skew = timedelta(seconds=getattr(settings, "API_SYNC_CLOCK_SKEW_SECONDS", 1.0))
    if connection.vendor != "postgresql":
        # SQLite (`make run`) has one writer at a time and no pg_stat_activity;
        # tests/test_sqlite_branches.py pages this feed there.
        return timezone.now() - skew
    with connection.cursor() as cursor:
        cursor.execute(_OLDEST_OPEN)
        (oldest,) = cursor.fetchone()
    return oldest - skew


class SyncFilterMixin(filters.FilterSet):
    """`updated_since` for any model with an indexed updated_at."""

    updated_since = UtcDateTimeFilter(
        method="filter_updated_since",
        help_text=(
            "Changes at or after this instant, oldest first, up to the response's "
            "`sync_until` (pass that as the next `updated_since`: nothing is missed)."
        ),
    )

    def filter_updated_since(self, queryset: QuerySet, name: str, value) -> QuerySet:
        until = horizon()
        # The paginator reports it and orders the feed by (updated_at, id).
        self.request.sync_until = until
        self.request.sync_since = value
        return queryset.filter(updated_at__gte=value, updated_at__lt=until)


# --- tombstones merged into a feed ---------------------------------------------------
#
# A feed that only lists live rows cannot say that something left it. Views
# whose rows can leave (unpublished, deleted) give the paginator a second,
# tombstone queryset (rows with `at`, `id` and `as_entry()`); the feed is the
# two merged in (time, live-before-tombstone, id) order, both cut to the same
# [updated_since, horizon) window, so the horizon argument above holds for
# tombstones too. Keyset pages: each side is read from the cursor's position,
# size + 1 rows each, and merged in Python.

LIVE, TOMB = 0, 1
SYNC_CURSOR_START = "s1."


@dataclass(frozen=True)
class Position:
    at: datetime
    kind: int
    id: int

    def encode(self) -> str:
        raw = json.dumps([self.at.isoformat(), self.kind, self.id]).encode()
        return SYNC_CURSOR_START + base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str) -> "Position":
        try:
            if not value.startswith(SYNC_CURSOR_START):
                raise ValueError
            body = value[len(SYNC_CURSOR_START):]
            at, kind, row_id = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
            at = datetime.fromisoformat(at)
            if kind not in (LIVE, TOMB) or not isinstance(row_id, int) or at.tzinfo is None \
                    or not 0 <= row_id < 2**63:
                raise ValueError
            return cls(at, kind, row_id)
        except (ValueError, TypeError, UnicodeDecodeError, json.JSONDecodeError):
            raise ValidationError({"cursor": ["Invalid cursor."]}) from None


def _after(position: Position | None, kind: int, time_field: str, id_field: str) -> Q:
    if position is None:
        return Q()
    later = Q(**{f"{time_field}__gt": position.at})
    if kind > position.kind:
        return later | Q(**{time_field: position.at})
    if kind == position.kind:
        return later | Q(**{time_field: position.at, f"{id_field}__gt": position.id})
    return later


def merged_page(live: QuerySet, tombstones: QuerySet, position: Position | None, size: int,
                live_key: Callable[[Any], tuple[datetime, int]],
                ) -> tuple[list[tuple[int, Any]], Position | None]:
    """One page of the merged feed: [(LIVE|TOMB, row)], and the next page's position.

    `live` is ordered and filtered by the caller's window on updated_at; `tombstones`
    likewise on `at`. `live_key(row)` gives a live row's (updated_at, id).
    """
    live_rows = list(live.filter(_after(position, LIVE, "updated_at", "id"))
                     .order_by("updated_at", "id")[:size + 1])
    tomb_rows = list(tombstones.filter(_after(position, TOMB, "at", "id"))
                     .order_by("at", "id")[:size + 1])
    keyed = []
    for row in live_rows:
        at, row_id = live_key(row)
        keyed.append(((at, LIVE, row_id), LIVE, row))
    keyed += [((t.at, TOMB, t.id), TOMB, t) for t in tomb_rows]
    keyed.sort(key=lambda item: item[0])
    page = keyed[:size]
    following = Position(*page[-1][0]) if len(keyed) > size else None
    return [(kind, row) for _, kind, row in page], following


def is_merged(page: list) -> bool:
    return bool(page) and isinstance(page[0], tuple)


def render(entries: list[tuple[int, Any]], live: Callable[[list], list],
           tomb: Callable[[Any], dict]) -> list:
    """The feed's JSON: live rows rendered together by `live` (in order), tombstones
    one by one by `tomb`, interleaved as the page has them."""
    rendered = iter(live([row for kind, row in entries if kind == LIVE]))
    return [next(rendered) if kind == LIVE else tomb(row) for kind, row in entries]
