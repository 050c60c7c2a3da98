"""The reports' triggers live on claims' and sources' tables: their SQL is frozen into
migrations, and every table and column it names must exist.

A renamed claims column would otherwise surface as a failed claim write inside a
reports trigger; here it is a failing test that names the column.
"""

from __future__ import annotations

import importlib.util
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from reports import rollups
from reports.management.commands.freeze_rollups import latest_frozen
from reports.models import ClaimDayCount

from .factories import ClaimFactory

pytestmark = pytest.mark.django_db

# The tables of other apps the triggers read; a new one is a decision worth a test change.
WATCHED = {"claims_claim", "claims_attribution", "claims_statuschange", "claims_quantity",
           "claims_evidence", "sources_link"}
NOT_TABLES = {"set", "of", "on", "where", "select", "values", "returning", "group", "join",
              "having", "as", "lateral", "old", "new"}


def test_the_installed_triggers_name_only_tables_and_columns_that_exist():
    refs = references(*installed_sql())
    missing = sorted(f"{t}.{c}" if c else t for t, c in refs if (t, c) not in existing(refs))
    assert not missing, (
        f"The reports triggers name {missing}, which the database does not have. A column "
        "or table they read was renamed or dropped: write a reports migration that installs "
        "triggers naming the new column (see the docstring of reports/rollups.py)."
    )
    tables = {t for t, _ in refs}
    assert tables - {t for t in tables if t.startswith("reports_")} == WATCHED
    # The parser really reads the bodies: OLD/NEW, aliases, column lists, SET and WHEN.
    assert {("claims_claim", "published"), ("claims_claim", "created_at"),
            ("claims_attribution", "role"), ("claims_statuschange", "to_status"),
            ("claims_quantity", "counted"), ("sources_link", "archive_url"),
            ("reports_sourcecount", "false"), ("reports_deadevidenceclaim", "evidence_links"),
            ("claims_evidence", "link_id")} <= refs


def test_a_renamed_column_or_table_is_reported_by_name():
    functions, triggers = frozen_sql(latest_trigger_migration().INSTALL)
    assert references(functions, triggers) == references(*installed_sql())
    # Negative controls: the same check, on SQL that names what is not there.
    renamed = {name: body.replace("c.published", "c.is_published")
               for name, body in functions.items()}
    refs = references(renamed, triggers)
    assert ("claims_claim", "is_published") in refs
    assert ("claims_claim", "is_published") not in existing(refs)
    dropped = [t.replace("claims_quantity", "claims_amount") for t in triggers]
    refs = references(functions, dropped)
    assert ("claims_amount", None) in refs and ("claims_amount", None) not in existing(refs)


def test_the_latest_trigger_migration_freezes_what_rollups_generates_today():
    migration = latest_trigger_migration()
    for name in ("INSTALL", "UNINSTALL"):
        frozen, today = getattr(migration, name), getattr(rollups, name)
        assert _lines(frozen) == _lines(today), (
            f"reports/rollups.py now generates a different {name} than {migration.__name__} "
            "froze. Migrations never change: run `manage.py freeze_rollups NAME` to write a "
            "new reports migration holding the new SQL literally."
        )


def test_the_database_runs_the_frozen_trigger_bodies():
    functions, _ = frozen_sql(latest_trigger_migration().INSTALL)
    installed, _ = installed_sql()
    assert functions.keys() == installed.keys()
    for name, body in functions.items():
        assert _lines(installed[name]) == _lines(body), name


def test_freeze_rollups_says_when_there_is_nothing_to_freeze():
    with pytest.raises(CommandError, match="no migration needed"):
        call_command("freeze_rollups", "nothing", "--stdout")


def test_freeze_rollups_writes_a_migration_that_installs_new_triggers_and_goes_back(
        monkeypatch, tmp_path):
    changed = rollups.INSTALL.replace("RETURN NULL;\nEND $$;", "RETURN NULL; -- v2\nEND $$;", 1)
    assert changed != rollups.INSTALL
    monkeypatch.setattr(rollups, "INSTALL", changed)
    out = StringIO()
    call_command("freeze_rollups", "v2", "--stdout", stdout=out)
    path = tmp_path / "0099_v2.py"
    path.write_text(out.getvalue(), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("frozen_v2", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    previous = latest_trigger_migration()
    assert changed == module.INSTALL
    assert module.PREVIOUS_INSTALL == previous.INSTALL
    assert ("reports", previous.__name__.rsplit(".", 1)[-1]) in module.Migration.dependencies
    with connection.schema_editor() as editor:
        module.install(None, editor)
    assert "-- v2" in installed_sql()[0]["reports_count_claim"]
    ClaimFactory()
    assert sum(ClaimDayCount.objects.values_list("n", flat=True)) == 1  # still counting
    with connection.schema_editor() as editor:
        module.uninstall(None, editor)
    assert "-- v2" not in installed_sql()[0]["reports_count_claim"]
    assert references(*installed_sql()) == references(*frozen_sql(previous.INSTALL))


def test_every_verdict_and_role_has_its_source_count_column():
    from claims.models import VERDICTS, Role
    from reports.models import SourceCount

    fields = {f.column for f in SourceCount._meta.get_fields()}
    assert {f"as_{r.value}" for r in Role} | {v.value for v in VERDICTS} | {"open"} <= fields
    assert set(rollups.SOURCE_COLUMNS) <= fields


# --- reading the SQL -------------------------------------------------------------------

def latest_trigger_migration():
    return latest_frozen()[0]


def installed_sql() -> tuple[dict[str, str], list[str]]:
    """The reports functions' bodies and trigger definitions as PostgreSQL holds them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT p.proname, p.prosrc FROM pg_proc p "
                       "JOIN pg_namespace n ON n.oid = p.pronamespace "
                       "WHERE n.nspname = current_schema() AND p.proname LIKE 'reports\\_%%'")
        functions = dict(cursor.fetchall())
        cursor.execute("SELECT pg_get_triggerdef(oid) FROM pg_trigger "
                       "WHERE NOT tgisinternal AND tgname LIKE 'reports\\_%%'")
        triggers = [row[0] for row in cursor.fetchall()]
    return functions, triggers


def frozen_sql(install: str) -> tuple[dict[str, str], list[str]]:
    """The same two things, read from a migration's frozen text."""
    functions = dict(re.findall(r"CREATE OR REPLACE FUNCTION (\w+)\(.*?\$\$(.*?)\$\$;",
                                install, re.S))
    triggers = re.findall(r"CREATE TRIGGER .*?;", install, re.S)
    assert functions and triggers
    return functions, triggers


def references(functions: dict[str, str], triggers: list[str]) -> set[tuple[str, str | None]]:
    """Every (table, column) the SQL names, and (table, None) for each table.

    Relies on a habit of the trigger SQL: inside SELECTs every column is qualified
    (alias.column, OLD.column); only INSERT column lists, UPDATE SET, DELETE/UPDATE
    WHERE and ON CONFLICT name a column bare, always of the statement's own table.
    """
    refs: set[tuple[str, str | None]] = set()
    row_table: dict[str, set[str]] = {}  # function -> the tables whose rows are OLD/NEW
    for trigger in triggers:
        text = _clean(trigger)
        table = re.search(r"\bon (\w+) for each row", text).group(1)
        function = re.search(r"execute (?:function|procedure) (\w+)", text).group(1)
        row_table.setdefault(function, set()).add(table)
        refs.add((table, None))
        if updated := re.search(r"update of ([\w, ]+?) on ", text):
            refs |= {(table, c.strip()) for c in updated.group(1).split(",")}
        refs |= _qualified(text, {"old": table, "new": table})
    for name, body in functions.items():
        for statement in _clean(body).split(";"):
            aliases = {rec: t for t in row_table.get(name, ()) for rec in ("old", "new")}
            target = None
            written = len(statement)
            for m in re.finditer(r"\b(insert into|update|delete from|from|join)\s+(\w+)(?![.\w])"
                                 r"(?:\s+(\w+))?", statement):
                verb, table, alias = m.groups()
                if table in NOT_TABLES:
                    continue
                refs.add((table, None))
                aliases[table] = table
                if alias and alias not in NOT_TABLES:
                    aliases[alias] = table
                if verb in ("insert into", "update", "delete from"):
                    target, written = table, min(written, m.start())
            if target:
                aliases["excluded"] = target
                if cols := re.search(r"insert into \w+\s*\(([^)]*)\)", statement):
                    refs |= {(target, c.strip()) for c in cols.group(1).split(",")}
                if conflict := re.search(r"on conflict \(([^)]*)\)", statement):
                    refs |= {(target, c.strip()) for c in conflict.group(1).split(",")}
                if re.search(r"\b(update \w+ set|delete from)\b", statement):
                    bare = re.findall(r"(?<![.\w])([a-z_]\w*)\s*=(?!=)", statement[written:])
                    refs |= {(target, c) for c in bare}
            refs |= _qualified(statement, aliases)
    return refs


def _qualified(text: str, aliases: dict[str, str]) -> set[tuple[str, str | None]]:
    found = set()
    for alias, column in re.findall(r"(?<![\w.])([a-z_]\w*)\.([a-z_]\w*)", text):
        assert alias in aliases, f"unknown alias {alias!r} in: {text.strip()[:200]}"
        found.add((aliases[alias], column))
    return found


def _clean(sql: str) -> str:
    """Lower case, without string literals, comments, quotes or the schema prefix."""
    sql = re.sub(r"--[^\n]*", "", sql)
    sql = re.sub(r"'[^']*'", "''", sql).lower().replace('"', "")
    return re.sub(r"\bpublic\.", "", " ".join(sql.split()))


def existing(refs: set[tuple[str, str | None]]) -> set[tuple[str, str | None]]:
    tables = sorted({t for t, _ in refs})
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name, column_name FROM information_schema.columns "
                       "WHERE table_schema = current_schema() AND table_name = ANY(%s)",
                       [tables])
        columns = set(cursor.fetchall())
    return columns | {(t, None) for t, _ in columns}


def _lines(sql: str) -> list[str]:
    # Trailing spaces are not SQL; an editor that strips them changes nothing.
    return [line.rstrip() for line in sql.strip().splitlines()]
