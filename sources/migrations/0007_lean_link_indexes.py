# Every check of a link rewrites its row (a non-HOT update: next_check_at and updated_at
# are indexed), which adds an entry to every index of sources_link. Three of its ten
# indexes served no query: Django's varchar_pattern_ops copies of the url and host
# indexes (LIKE 'prefix%' only; the admin's search is LIKE '%term%', which no btree
# serves) and of the health index. The health index itself now leaves out "ok", the
# value of most links, which filters never pick out by index. Frozen: no app imports.

from django.db import migrations, models

# Django names its pattern-ops indexes after the table and column (hash included).
_PATTERN_INDEXES = {
    "sources_link_url_2e3a1721_like": "url",
    "sources_link_host_6b841f5d_like": "host",
}


def drop_pattern_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # only PostgreSQL gets them
    for name in _PATTERN_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def restore_pattern_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in _PATTERN_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON sources_link ({column} varchar_pattern_ops)"
        )


class Migration(migrations.Migration):

    dependencies = [
        ("sources", "0006_link_body_hash"),
    ]

    operations = [
        migrations.AlterField(
            model_name="link",
            name="health",
            field=models.CharField(
                choices=[
                    ("unchecked", "Unchecked"), ("ok", "OK"), ("redirected", "Redirected"),
                    ("changed", "Changed"), ("broken", "Broken"), ("blocked", "Blocked"),
                ],
                default="unchecked",
                max_length=16,
            ),
        ),
        migrations.AddIndex(
            model_name="link",
            index=models.Index(
                condition=models.Q(("health", "ok"), _negated=True),
                fields=["health"],
                name="link_health_idx",
            ),
        ),
        migrations.RunPython(drop_pattern_indexes, restore_pattern_indexes, elidable=False),
    ]
