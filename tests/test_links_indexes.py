"""sources_link keeps only the indexes a query uses: each check rewrites the row and
writes an entry into every one of them (docs/benchmarks.md, issue 14)."""

import pytest
from django.db import connection

from sources.models import Link, LinkHealth

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's catalogue"),
]


def indexes(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return dict(cursor.fetchall())


def test_a_link_row_has_no_index_that_no_query_reads():
    found = indexes("sources_link")
    # No varchar_pattern_ops copies: nothing filters links with LIKE 'prefix%'.
    assert not [name for name, sql in found.items() if "pattern_ops" in sql], found
    assert len(found) == 7, sorted(found)  # pk, url unique, host, updated_at, due, leased, health


def test_the_health_index_leaves_out_healthy_links_and_still_serves_the_desks_filters():
    found = indexes("sources_link")
    assert "WHERE (NOT ((health)::text = 'ok'::text))" in found["link_health_idx"]
    Link.objects.bulk_create([Link(url=f"https://example.org/{n}", host="example.org",
                                   health=LinkHealth.CHANGED if n % 10 == 0 else LinkHealth.OK)
                              for n in range(50)])
    for health in ([LinkHealth.CHANGED], [LinkHealth.BROKEN, LinkHealth.BLOCKED]):
        query = Link.objects.filter(health__in=health).values("id")
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: any index at all?
            sql, params = query.query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "link_health_idx" in plan, plan
