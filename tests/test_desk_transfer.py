"""export_desk / import_desk: every row, every microsecond, every report figure."""

import json
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from factcheck.outbox.sending import enqueue
from reports.catalogue import build_all
from reports.figures import ReportFilter
from reports.transfer import moved_models
from sources.models import Link, LinkCheck

from .factories import ClaimFactory
from .reports_data import NOW, build_newsroom

pytestmark = pytest.mark.django_db

AUDIENCES = [ReportFilter(), ReportFilter(published_only=True)]


@pytest.fixture
def desk(editor, settings):
    settings.REPORTS_STALE_AFTER_DAYS = 14
    newsroom = build_newsroom(editor)
    link = Link.objects.create(url="https://news.example.org/a")
    odd = timezone.now().replace(microsecond=123457)
    LinkCheck.objects.create(link=link, checked_at=odd, outcome="ok", http_status=200,
                             redirect_count=0, latency_ms=12, lease_token=uuid.uuid4())
    Link.objects.filter(pk=link.pk).update(last_checked_at=odd, redirect_chain=[
        {"url": "https://news.example.org/a", "status": 301, "location": "/b"}])
    enqueue("claims.tasks.find_related_claims", [[newsroom.c1.pk]])
    return newsroom


def tables() -> dict[str, str]:
    """Each moved table and what to compare of its rows."""
    names = {}
    for model in moved_models():
        names[model._meta.db_table] = "t::text"  # the whole row
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through._meta
            # A many-to-many link's own id is a counter nothing refers to: compare the pair.
            pair = [f.column for f in through.fields if f.column != "id"]
            names[through.db_table] = "(" + ", ".join(f't."{c}"' for c in pair) + ")::text"
    return names


def snapshot() -> dict[str, list[str]]:
    """Every row of every moved table as PostgreSQL prints it (microseconds and all)."""
    rows = {}
    with connection.cursor() as cursor:
        for table, shown in tables().items():
            cursor.execute(f'SELECT {shown} FROM "{table}" t ORDER BY 1')
            rows[table] = [r[0] for r in cursor.fetchall()]
    return rows


def figures() -> dict:
    return {str(f): build_all(f, now=NOW) for f in AUDIENCES}


def test_a_desk_comes_back_from_its_export_row_for_row_and_figure_for_figure(desk, tmp_path):
    before_rows, before_figures = snapshot(), figures()
    assert sum(len(r) for r in before_rows.values()) > 50
    assert any(".123457+00" in row for row in before_rows["sources_linkcheck"])
    path = tmp_path / "desk.jsonl.gz"

    call_command("export_desk", str(path), stdout=StringIO())
    with pytest.raises(CommandError, match="already holds claims"):
        call_command("import_desk", str(path), stdout=StringIO())
    ClaimFactory()  # a change the import must undo
    out = StringIO()
    call_command("import_desk", str(path), "--replace", stdout=out)

    assert "report counts rebuilt" in out.getvalue()
    after = snapshot()
    for table, rows in before_rows.items():
        assert after[table] == rows, table
    assert figures() == before_figures
    # The ids go on from where they were, not from 1.
    assert ClaimFactory().pk > max(c.pk for c in [desk.c1, desk.c2, desk.c3, desk.c4])


def test_negative_control_dumpdatas_encoder_cuts_timestamps_to_milliseconds():
    """Why not dumpdata: its JSON encoder drops the last three digits of every timestamp."""
    from django.core.serializers.json import DjangoJSONEncoder

    from reports.transfer import _Exact

    moment = timezone.now().replace(microsecond=123457)
    assert "123457" not in DjangoJSONEncoder().encode(moment)
    assert "123457" in _Exact().encode(moment)


def test_a_file_from_another_schema_state_is_refused(desk, tmp_path):
    path = tmp_path / "desk.jsonl"
    call_command("export_desk", str(path), stdout=StringIO())
    lines = path.read_text().splitlines()
    header = json.loads(lines[0])
    header["schema"]["claims"] = "9999_from_the_future"
    path.write_text("\n".join([json.dumps(header), *lines[1:]]) + "\n")
    with pytest.raises(CommandError, match=r"another schema state.*claims"):
        call_command("import_desk", str(path), "--replace", stdout=StringIO())
    assert Link.objects.filter(last_checked_at__lt=timezone.now() + timedelta(1)).exists()


@pytest.mark.slow
def test_a_desk_moved_to_sqlite_and_exported_again_is_the_same_file(desk, tmp_path):
    """PostgreSQL -> SQLite -> file: every row and microsecond survives the other database."""
    import gzip
    import os
    import subprocess
    import sys

    from .services import ROOT

    source = tmp_path / "desk.jsonl.gz"
    call_command("export_desk", str(source), stdout=StringIO())
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    back = tmp_path / "back.jsonl.gz"
    for args in (["migrate", "-v0"], ["import_desk", str(source)], ["export_desk", str(back)]):
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]

    def lines(path):
        with gzip.open(path, "rt") as f:
            return sorted(f)

    assert lines(back) == lines(source)
