"""Move a whole desk between databases, exactly: `manage.py export_desk` / `import_desk`.

Why not dumpdata/loaddata: Django's JSON encoder cuts every timestamp to
milliseconds, and loading the report counts while the triggers that keep them
(reports/rollups.py) fire on the loaded claims counts every figure twice.

Here rows go through Django's own "python" serializer (so every field type,
natural keys for content types and permissions, many-to-many and forward
references are handled as loaddata handles them) but are written as JSON Lines
with full precision: datetimes as ISO 8601 with microseconds and offset,
decimals as strings. The running counts are not exported at all: they are
derived data, recomputed from the loaded rows in the same transaction
(`rollups.rebuild`), so they come out equal to what the source showed.

Content types and permissions are made by `migrate` in the target and referred
to by natural key; sessions are not moved. The import replaces the target's
rows of every exported table in one transaction, refuses a target that
already holds claims unless told to replace it, and refuses a file written
at another schema (migration) state.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import gzip
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from . import rollups

FORMAT = "factcheck-desk"
VERSION = 1
# Made by migrate in every database, referred to by natural key instead.
NOT_MOVED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
BATCH = 1000


class TransferError(Exception):
    pass


def derived_tables() -> set[str]:
    """The tables rollups.rebuild() recomputes (it TRUNCATEs exactly these first)."""
    statement = rollups.REBUILD.split(";", 1)[0]
    return {name.strip() for name in statement.replace("TRUNCATE", "").split(",")}


def moved_models() -> list:
    derived = derived_tables()
    chosen = []
    for model in apps.get_models():
        meta = model._meta
        if (meta.proxy or not meta.managed or meta.auto_created
                or meta.label_lower in NOT_MOVED or meta.db_table in derived):
            continue
        chosen.append(model)
    # Models with natural keys (users) before those that refer to them.
    app_list = {}
    for model in chosen:
        app_list.setdefault(apps.get_app_config(model._meta.app_label), []).append(model)
    return serializers.sort_dependencies(app_list.items(), allow_cycles=True)


def _schema() -> dict[str, str]:
    """The last applied migration of every app: the file fits a database at this state."""
    applied: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied[app] = max(applied.get(app, ""), name)
    return dict(sorted(applied.items()))


class _Exact(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.date | datetime.time):
            return o.isoformat()  # microseconds and offset kept
        if isinstance(o, decimal.Decimal | uuid.UUID):
            return str(o)
        if isinstance(o, datetime.timedelta):
            return f"P{o.days}DT{o.seconds}.{o.microseconds:06d}S"
        if isinstance(o, bytes | memoryview):
            return base64.b64encode(bytes(o)).decode()
        return super().default(o)


def _open(path: Path, mode: str) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, mode + "t", encoding="utf-8")
    return path.open(mode, encoding="utf-8")


def export(path: Path) -> dict[str, int]:
    """Write every moved row to `path` (JSON Lines; gzip if it ends in .gz)."""
    counts: dict[str, int] = {}
    encoder = _Exact(ensure_ascii=False, separators=(",", ":"))
    # One snapshot for all tables: a desk edited meanwhile is exported consistently.
    first = not connection.in_atomic_block
    with transaction.atomic(), _open(path, "w") as out:
        if first and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        out.write(encoder.encode({"format": FORMAT, "version": VERSION,
                                  "schema": _schema()}) + "\n")
        for model in moved_models():
            label = model._meta.label_lower
            rows = model._base_manager.order_by("pk").iterator(chunk_size=BATCH)
            for row in serializers.serialize(
                "python", rows, use_natural_foreign_keys=True
            ):
                out.write(encoder.encode(row) + "\n")
                counts[label] = counts.get(label, 0) + 1
    return counts


def _rows(source: IO[str]) -> Iterator[dict]:
    for line in source:
        if line.strip():
            yield json.loads(line)


def import_(path: Path, *, replace: bool = False) -> dict[str, int]:
    """Load a file written by `export` into this (migrated) database, replacing its rows."""
    with _open(path, "r") as source:
        header = json.loads(source.readline() or "{}")
        if header.get("format") != FORMAT or header.get("version") != VERSION:
            raise TransferError(f"{path} is not a desk export (format {FORMAT} v{VERSION}).")
        if header.get("schema") != _schema():
            theirs, ours = header.get("schema", {}), _schema()
            differ = sorted(app for app in set(theirs) | set(ours)
                            if theirs.get(app) != ours.get(app))
            raise TransferError(
                "The file was written at another schema state; migrate both databases to "
                f"the same code first (differing apps: {', '.join(differ)}).")
        models = moved_models()
        claim_model = apps.get_model("claims", "Claim")
        counts: dict[str, int] = {}
        with transaction.atomic():
            if claim_model.objects.exists() and not replace:
                raise TransferError("This database already holds claims: pass --replace "
                                    "to replace everything in it with the file's rows.")
            _empty(models)
            with connection.constraint_checks_disabled():
                for obj in serializers.deserialize(
                    "python", _rows(source), handle_forward_references=True
                ):
                    # Raw saves: no signals' side effects, auto_now values kept as written.
                    obj.save()
                    if obj.deferred_fields:
                        obj.save_deferred_fields()
                    label = obj.object._meta.label_lower
                    counts[label] = counts.get(label, 0) + 1
            connection.check_constraints()
            _reset_sequences(models)
            rollups.rebuild()
    return counts


def _empty(models: list) -> None:
    tables = [m._meta.db_table for m in models]
    tables += [f.remote_field.through._meta.db_table for m in models
               for f in m._meta.local_many_to_many if f.remote_field.through._meta.auto_created]
    if connection.vendor == "postgresql":
        # TRUNCATE: append-only history tables refuse DELETE by trigger, rightly.
        quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
        with connection.cursor() as cursor:
            # Deferred foreign-key checks still pending in this transaction block a
            # TRUNCATE: run them now, then defer again for the load.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {quoted} CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return
    with connection.constraint_checks_disabled(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


def _reset_sequences(models: list) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
