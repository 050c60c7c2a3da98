"""Apps downstream of claims add figures to the claim-status report without reports knowing
them, as admin_extend does for the claims admin.

reports may import claims, sources and this kernel, never the desk; the desk may
not import reports. So the desk registers a figure here from its AppConfig.ready()
(open checklist tasks) and reports adds every registered figure to the "status"
report's summary: the page's headline, the API, the JSON exports and the weekly
snapshots all carry it from there.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

# Given the claims in the report's scope (None: every claim, no filter narrows them).
Count = Callable[[QuerySet | None], int]


@dataclass(frozen=True)
class StatusFigure:
    key: str
    label: str
    count: Count


_figures: dict[str, StatusFigure] = {}


def add_status_figure(key: str, label: str, count: Count) -> None:
    _figures[key] = StatusFigure(key, label, count)


def status_figures() -> list[StatusFigure]:
    return list(_figures.values())
