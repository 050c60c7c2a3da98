"""Editor and viewer groups; on PostgreSQL, a trigger that keeps history append-only."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_MODELS = {
    "claims": ["claim", "quantity", "attribution", "evidence", "claimrelation", "tag"],
    "sources": ["source", "sourcealias", "link"],
}
READ_ONLY_MODELS = {"claims": ["statuschange"]}

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
    # Permissions are normally made after all migrations; groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(models_by_app, actions):
        return [
            Permission.objects.get(
                content_type__app_label=app, codename=f"{action}_{model}"
            )
            for app, models in models_by_app.items()
            for model in models
            for action in actions
        ]

    editors, _ = Group.objects.get_or_create(name="editors")
    editors.permissions.set(
        perms(EDITOR_MODELS, ["view", "add", "change", "delete"]) + perms(READ_ONLY_MODELS, ["view"])
    )
    viewers, _ = Group.objects.get_or_create(name="viewers")
    viewers.permissions.set(perms(EDITOR_MODELS, ["view"]) + perms(READ_ONLY_MODELS, ["view"]))


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
