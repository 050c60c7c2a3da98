"""sources_link keeps only the indexes a query uses: each check rewrites the row and
writes an entry into every one of them (docs/benchmarks.md, issue 14)."""

import pytest
from django.db import connection

from sources.checking import CheckResult
from sources.models import Link, LinkHealth, LinkLease, Outcome
from sources.scheduling import lease_due, record, release, renew

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
    assert sorted(found) == sorted([
        "sources_link_pkey", "sources_link_url_key", "sources_link_host_6b841f5d",
        "sources_link_updated_at_b6aa2d88", "link_due_idx", "link_health_idx",
    ])
    # The lease table: its key alone (the per-host count reads the few rows in flight).
    assert sorted(indexes("sources_linklease")) == ["sources_linklease_pkey"]


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


def row_version(link_id: int) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ctid::text, xmin::text FROM sources_link WHERE id = %s", [link_id])
        return cursor.fetchone()


def test_taking_renewing_and_giving_back_a_lease_leave_the_links_row_as_it_was():
    links = Link.objects.bulk_create([Link(url=f"https://example.org/{n}", host="example.org")
                                      for n in range(2)])
    before = [row_version(link.pk) for link in links]
    leased = lease_due(10)
    assert {item.state.id for item in leased} == {link.pk for link in links}
    assert renew([leased[0].token]) == 2
    assert LinkLease.objects.count() == 2
    assert [row_version(link.pk) for link in links] == before, "the lease is not in the link's row"
    assert release(leased[1:]) == 1
    assert record([(leased[0], CheckResult(outcome=Outcome.OK, http_status=200))]) \
        == [leased[0].state.id]
    assert not LinkLease.objects.exists(), "a result ends its lease"
    assert row_version(leased[0].state.id) != before[0], "the result is written once"
