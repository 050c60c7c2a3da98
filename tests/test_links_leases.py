"""Short leases, renewed while the work runs; "refresh now" honoured in full; SQLite leasing."""
# ruff: noqa: F811  (pytest fixtures imported from tests/linkfarm.py)

import os
import subprocess
import sys
import textwrap
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sources import scheduling
from sources.checking import CheckResult
from sources.models import Link, LinkCheck, Outcome
from sources.refresh import refresh
from sources.scheduling import lease_due, record

from .linkfarm import FarmThread, farm, links_settings  # noqa: F401
from .services import ROOT


def make_links(farm, paths):
    return Link.objects.bulk_create(
        [Link(url=farm.url(p), host="127.0.0.1", next_check_at=None) for p in paths]
    )


@pytest.mark.django_db
def test_a_dead_workers_leases_lapse_in_seconds_and_stop_counting_toward_the_host_cap(
    links_settings, farm
):
    links_settings.LINKS_PER_HOST_CONCURRENCY = 2  # four leased per host at most
    make_links(farm, [f"/ok/{n}" for n in range(10)])
    dead = lease_due(10, lease_seconds=1)
    assert len(dead) == 4, "the host's cap"
    assert lease_due(10) == [], "live leases fill the host's cap"
    time.sleep(1.2)  # the worker holding them died: nobody renews them
    taken = lease_due(10)
    assert len(taken) == 4
    assert {item.state.id for item in taken} == {item.state.id for item in dead}, \
        "the oldest due links, released by expiry"


@pytest.mark.django_db
def test_renewal_extends_the_leases_named_by_link_and_token_and_no_other(links_settings, farm):
    links_settings.LINKS_PER_HOST_CONCURRENCY = 4
    make_links(farm, [f"/ok/{n}" for n in range(3)])
    held = lease_due(10, lease_seconds=60)
    assert len(held) == 3 and len({item.token for item in held}) == 1
    before = dict(Link.objects.values_list("id", "lease_until"))
    assert scheduling.renew(held[:1], lease_seconds=3600) == 1
    after = dict(Link.objects.values_list("id", "lease_until"))
    moved = {link_id for link_id in after if after[link_id] != before[link_id]}
    assert moved == {held[0].state.id}, "a heartbeat renews what it names, by primary key"
    with CaptureQueriesContext(connection) as queries:
        scheduling.renew(held[:1])
    with connection.cursor() as cursor:  # and never reads the table by token
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + queries.captured_queries[-1]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "sources_link_pkey" in plan


@pytest.mark.django_db(transaction=True)
def test_a_lease_is_renewed_while_a_slow_check_runs_so_nobody_else_takes_the_link(
    links_settings, farm
):
    links_settings.LINKS_LEASE_SECONDS = 2
    (link,) = make_links(farm, ["/slow/1?ms=4000"])
    done = {}

    def work():
        try:
            done["summary"] = refresh(budget_seconds=30)
        finally:
            connections.close_all()

    worker = threading.Thread(target=work)
    worker.start()
    try:
        while not Link.objects.filter(pk=link.pk, lease_token__isnull=False).exists():
            time.sleep(0.05)  # the pass has leased it
        stolen = []
        deadline = time.monotonic() + 3.5
        while time.monotonic() < deadline:  # past the first lease's end
            stolen += lease_due(10)
            time.sleep(0.2)
    finally:
        worker.join(30)
    assert stolen == [], "a renewed lease is nobody else's to take"
    assert done["summary"].checked == 1 and done["summary"].lost_leases == 0
    assert LinkCheck.objects.filter(link=link).count() == 1


def _race_refresh_now(farm, total: int, *, honour_in_full: bool) -> int:
    links = make_links(farm, [f"/ok/{n}" for n in range(total)])
    ids = [link.pk for link in links]
    requested_at = timezone.now()
    chunks = [ids[: total // 2], ids[total // 2:]]  # two check_links messages, two workers
    errors = []

    def work(chunk):
        try:
            refresh(ids=chunk, requested_before=requested_at if honour_in_full else None,
                    budget_seconds=120)
        except Exception as exc:  # pragma: no cover - shown by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(chunk,)) for chunk in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    assert not errors
    return Link.objects.filter(pk__in=ids, last_checked_at__gte=requested_at).count()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_refresh_now_on_2000_links_of_one_host_is_honoured_in_full(links_settings, farm):
    links_settings.LINKS_PER_HOST_CONCURRENCY = 4  # eight leased for the host at most
    assert _race_refresh_now(farm, 2000, honour_in_full=True) == 2000
    assert LinkCheck.objects.count() == 2000


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_negative_control_a_pass_that_stops_when_the_host_is_busy_leaves_links_behind(
    links_settings, farm
):
    """Without the request's cut-off a pass stops when its claim comes back empty."""
    links_settings.LINKS_PER_HOST_CONCURRENCY = 4
    assert _race_refresh_now(farm, 400, honour_in_full=False) < 400


@pytest.mark.django_db
def test_leasing_through_the_orm_as_on_sqlite_keeps_the_cap_and_never_leases_twice(
    links_settings, farm, monkeypatch
):
    links_settings.LINKS_PER_HOST_CONCURRENCY = 2
    links = make_links(farm, [f"/ok/{n}" for n in range(6)])
    monkeypatch.setattr(connection, "vendor", "sqlite")  # the portable path, here on PostgreSQL
    first = lease_due(10)
    assert len(first) == 4
    assert lease_due(10) == []
    checked = record([(item, CheckResult(outcome=Outcome.OK, http_status=200)) for item in first])
    assert sorted(checked) == sorted(item.state.id for item in first)
    assert record([(first[0], CheckResult(outcome=Outcome.OK, http_status=200))]) == [], \
        "a lease is recorded once"
    rest = lease_due(10, ids=[link.pk for link in links],
                     requested_before=timezone.now() - timedelta(hours=1))
    assert {item.state.id for item in rest} == {link.pk for link in links} - set(checked)
    assert scheduling.renew(rest) == 2
    assert scheduling.renew(first) == 0, "a lease given back is not renewed"
    assert LinkCheck.objects.count() == 4


SQLITE_REFRESH_NOW = textwrap.dedent("""
    import django
    django.setup()
    from django.db import transaction
    from sources.models import Link
    from sources.tasks import request_check
    link = Link.objects.get()
    with transaction.atomic():  # the admin's "Refresh selected links now"
        request_check([link.pk])
    link.refresh_from_db()
    print(link.last_outcome, link.checks.count(), link.lease_token)
""")


@pytest.mark.slow
def test_on_sqlite_refresh_now_and_refresh_links_due_really_check_in_process(tmp_path):
    with FarmThread(("127.0.0.1",)) as running:
        env = {k: v for k, v in os.environ.items()
               if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
        env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
                   DJANGO_SETTINGS_MODULE="factcheck.settings",
                   LINKS_ALLOWED_PRIVATE_HOSTS="127.0.0.1",
                   LINKS_ALLOWED_PORTS=f"80,443,{running.port}", LINKS_ARCHIVE_ENABLED="0")

        def run(*args):
            done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True,
                                  timeout=240)
            assert done.returncode == 0, done.stderr[-3000:]
            return done.stdout

        manage = (sys.executable, str(ROOT / "manage.py"))
        run(*manage, "migrate", "--noinput", "-v0")
        run(*manage, "shell", "-c", "from sources.models import Link; "
            f"Link.objects.create(url={running.url('/ok/1')!r})")
        assert run(sys.executable, "-c", SQLITE_REFRESH_NOW).split() == ["ok", "1", "None"]
        run(*manage, "shell", "-c", "from sources.models import Link; "
            "Link.objects.update(next_check_at=None)")
        out = run(*manage, "refresh_links", "--due")
        assert "1 links checked" in out
