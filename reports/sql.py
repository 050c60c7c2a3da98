"""SQL the reports share: one consistent reading per page, the aggregates Django
lacks, raw fetches, and turning database values into JSON-ready ones.

The SQLite branches here are what `make run` relies on; tests/test_sqlite_branches.py
runs every report on SQLite against the same figures on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Aggregate, FloatField, Func


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@contextmanager
def one_reading() -> Iterator[None]:
    """Every figure of a page from one snapshot of the data, with memory to sort in.

    On PostgreSQL: a read-only REPEATABLE READ transaction (unless the caller is
    already in one), so the figures add up with each other; and `work_mem` raised
    for it alone, so the percentile sorts stay in memory (REPORTS_WORK_MEM).
    """
    if not is_postgres():
        yield
        return
    outermost = not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        if outermost:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT set_config('work_mem', %s, true)",
                       [getattr(settings, "REPORTS_WORK_MEM", "64MB")])
        yield


class PercentileCont(Aggregate):
    """PostgreSQL's continuous percentile, e.g. the median at 0.5."""

    function = "percentile_cont"
    name = "PercentileCont"
    output_field = FloatField()
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        # float() keeps the literal spliced into the SQL a number, whatever was passed.
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


class EpochSeconds(Func):
    """Seconds in an interval (PostgreSQL)."""

    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


class GroupConcat(Aggregate):
    """Names joined with "; ": string_agg on PostgreSQL, group_concat on SQLite."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, '; ')"
    allow_distinct = True

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, function="STRING_AGG",
            template="%(function)s(%(distinct)s%(expressions)s, '; ' ORDER BY %(expressions)s)",
            **extra_context,
        )

def fetch(sql: str, params: list | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchall()


def num(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def iso(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def as_date(value: dt.datetime | dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def to_days(seconds: float | Decimal | None) -> float | None:
    return None if seconds is None else round(float(seconds) / 86400, 2)


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None

