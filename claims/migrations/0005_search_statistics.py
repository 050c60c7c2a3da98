"""Finer statistics on the search vector, so PostgreSQL estimates word matches well.

With the default target (100) the planner guessed 16,000 claims for a word in
250,000 of a million, built a 250,000-row bitmap to find 50 of them (0.3–3.7 s)
where walking the date index takes under a millisecond. At 1,000 its estimates
were within 1 % for common and rare words (docs/benchmarks.md, ## API).
"""

from django.db import migrations


def raise_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE claims_claim ALTER COLUMN search_vector SET STATISTICS 1000")


def reset_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE claims_claim ALTER COLUMN search_vector SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_groups_see_link_checks")]

    operations = [migrations.RunPython(raise_statistics, reset_statistics)]
