"""The answers the SQLite branches must give: every report, search and the sync
feed over the reports newsroom (tests/reports_data.py), as plain JSON.

tests/test_sqlite_branches.py computes this once on PostgreSQL (in the test
database) and once in a `manage.py shell` on a fresh SQLite file, and compares.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

QUERIES = ["killed", "KCNA", "kremlin", "600", "sent", "tanks", "per seoul", "nothing like it"]


def snapshot() -> dict[str, Any]:
    from rest_framework.test import APIClient

    from claims.models import Claim
    from claims.search import search
    from newsrooms.keys import issue_key
    from reports.catalogue import build_all
    from reports.filters import ReportFilter

    from .factories import UserFactory
    from .reports_data import NOW, build_newsroom

    n = build_newsroom(UserFactory(username="parity-editor", is_staff=True))
    filters = {
        "all": ReportFilter(),
        "published": ReportFilter(published_only=True),
        "tag": ReportFilter(tag="casualties"),
        "language": ReportFilter(language="ko"),
        "source": ReportFilter(source=n.kcna.pk),
        "dates": ReportFilter(date_from=dt.date(2025, 8, 5), date_to=dt.date(2025, 8, 19)),
    }
    reports = {name: _without_ids(build_all(f, now=NOW)["reports"])
               for name, f in filters.items()}
    found = {q: sorted(search(Claim.objects.all(), q).values_list("summary_en", flat=True))
             for q in QUERIES}

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_key('Parity', scope='read')[1]}")
    feed, url = [], "/api/v1/claims/"
    params: dict | None = {"updated_since": "2025-08-01T00:00:00Z", "page_size": 2}
    while url:
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        body = response.json()
        feed += [[c["summary_en"], c["status"], c["updated_at"]] for c in body["results"]]
        assert body["sync_until"], body
        url, params = body["next"], None
    return {"reports": reports, "search": found, "feed": feed}


def _without_ids(value: Any) -> Any:
    """Row ids differ between two databases; names and texts say the same."""
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if not k.endswith("_id")}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def main() -> None:
    import json

    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host, as under pytest
    print(json.dumps(snapshot()))
