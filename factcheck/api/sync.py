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

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters

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

    updated_since = filters.IsoDateTimeFilter(
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
        return queryset.filter(updated_at__gte=value, updated_at__lt=until)
