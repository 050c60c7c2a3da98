"""The desk's history tables refuse UPDATE and DELETE in the database.

Frozen: the SQL is written here, nothing live is imported. A row goes only
with its claim: desk.signals marks the claims being deleted in this
transaction (`desk.deleting_claims`, a transaction-local setting) and the
PostgreSQL guard lets exactly their rows go. SQLite refuses UPDATE with a
trigger; its DELETE is refused by the Python guard (factcheck.history.AppendOnly),
since SQLite has no per-transaction setting to tell a claim's deletion apart.
"""

from django.db import migrations

TABLES = {
    # table: how to find the claim a row belongs to
    "desk_assignmentchange": "OLD.claim_id",
    "desk_commentrevision": "(SELECT c.claim_id FROM desk_comment c WHERE c.id = OLD.comment_id)",
    "desk_checklisttick": "(SELECT t.claim_id FROM desk_checklisttask t WHERE t.id = OLD.task_id)",
}

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
DECLARE
    owner bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        owner := {claim};
        -- Gone with its claim (or its parent already gone in the same cascade).
        IF owner IS NULL OR owner::text = ANY(string_to_array(
                coalesce(current_setting('desk.deleting_claims', true), ''), ',')) THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION '{table} is append-only (row %%: %%)', OLD.id, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_no_rewrite
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_append_only();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS {table}_no_rewrite ON {table};
DROP FUNCTION IF EXISTS {table}_append_only();
"""
SQLITE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS {table}_no_update;"


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, claim in TABLES.items():
        if vendor == "postgresql":
            schema_editor.execute(PG_FUNCTION.format(table=table, claim=claim))
        elif vendor == "sqlite":
            schema_editor.execute(SQLITE_TRIGGER.format(table=table))


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(PG_DROP.format(table=table))
        elif vendor == "sqlite":
            schema_editor.execute(SQLITE_DROP.format(table=table))


class Migration(migrations.Migration):
    dependencies = [("desk", "0002_discussion_checklists_notifications")]

    operations = [migrations.RunPython(install, uninstall)]
