"""Taking and reading report snapshots."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from .catalogue import build_all
from .filters import NO_FILTER, ReportFilter
from .models import ReportSnapshot

AUDIENCES = {"all": NO_FILTER, "published": ReportFilter(published_only=True)}


def week_of(moment: dt.datetime) -> dt.date:
    day = moment.astimezone(dt.UTC).date()
    return day - dt.timedelta(days=day.weekday())


def take_snapshot(*, now: dt.datetime | None = None) -> tuple[ReportSnapshot, bool]:
    """This week's snapshot, taken now unless one exists (then it is left as it was).

    Safe to run twice and from two beat processes at once: the week is unique,
    and the loser of a race returns the winner's row.
    """
    now = now or timezone.now()
    week = week_of(now)
    existing = ReportSnapshot.objects.filter(week=week).first()
    if existing:
        return existing, False
    # Built outside the transaction: the figures take a while, the insert does not.
    figures = {audience: build_all(f, now=now) for audience, f in AUDIENCES.items()}
    try:
        with transaction.atomic():
            return ReportSnapshot.objects.create(week=week, taken_at=now, figures=figures), True
    except IntegrityError:
        return ReportSnapshot.objects.get(week=week), False


def snapshot_figures(snapshot: ReportSnapshot, *, published_only: bool) -> dict[str, Any]:
    """The stored figures for one audience, shaped like `build_all`'s output."""
    return snapshot.figures["published" if published_only else "all"]


def read_figures(f: ReportFilter, snapshot: ReportSnapshot | None = None, *,
                 only: list[str] | None = None) -> dict[str, Any]:
    """Live figures for `f`, or, given a snapshot, what it stored for `f`'s audience."""
    if snapshot is None:
        return build_all(f, only=only)
    built = snapshot_figures(snapshot, published_only=f.published_only)
    if only:
        built = {**built, "reports": {s: built["reports"][s] for s in only
                                      if s in built["reports"]}}
    return {**built, "snapshot": {"id": snapshot.pk, "week": snapshot.week.isoformat()}}
