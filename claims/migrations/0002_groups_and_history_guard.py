"""Editor and viewer groups; on PostgreSQL, a trigger that keeps history append-only."""

from django.db import migrations

HISTORY_GUARD = """
CREATE OR REPLACE FUNCTION claims_statuschange_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'status history is append-only (claims_statuschange row %%)', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER claims_statuschange_no_update
    BEFORE UPDATE ON claims_statuschange
    FOR EACH ROW EXECUTE FUNCTION claims_statuschange_append_only();
"""
HISTORY_GUARD_DROP = """
DROP TRIGGER IF EXISTS claims_statuschange_no_update ON claims_statuschange;
DROP FUNCTION IF EXISTS claims_statuschange_append_only();
"""


def create_groups(apps, schema_editor):
    from claims.groups import sync_groups

    sync_groups(apps)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["editors", "viewers"]).delete()


def add_history_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(HISTORY_GUARD)


def drop_history_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(HISTORY_GUARD_DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("sources", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_groups, remove_groups),
        migrations.RunPython(add_history_guard, drop_history_guard),
    ]
