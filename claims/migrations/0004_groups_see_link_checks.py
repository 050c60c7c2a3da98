"""Editors and viewers may read link check history too."""

from django.db import migrations


def sync(apps, schema_editor):
    from claims.groups import sync_groups

    sync_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0003_search"),
        ("sources", "0002_link_checks"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
