"""Claim search: a folded search document, and on PostgreSQL its two GIN indexes.

See claims/search.py for why both a word index and a trigram index, and
docs/benchmarks.md (## API) for the measurements that chose them.
"""

from django.db import migrations, models

SEARCH_SQL = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
ALTER TABLE claims_claim ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', search_document)) STORED;
CREATE INDEX claims_claim_search_vector ON claims_claim USING gin (search_vector);
CREATE INDEX claims_claim_search_trgm ON claims_claim USING gin (search_document gin_trgm_ops);
-- The sync feed and the default order walk (updated_at, id).
CREATE INDEX claims_claim_updated_id ON claims_claim (updated_at, id);
CREATE INDEX sources_source_updated_id ON sources_source (updated_at, id);
"""
SEARCH_SQL_REVERSE = """
DROP INDEX IF EXISTS sources_source_updated_id;
DROP INDEX IF EXISTS claims_claim_updated_id;
DROP INDEX IF EXISTS claims_claim_search_trgm;
DROP INDEX IF EXISTS claims_claim_search_vector;
ALTER TABLE claims_claim DROP COLUMN IF EXISTS search_vector;
"""


def add_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEARCH_SQL)


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEARCH_SQL_REVERSE)


def fill_documents(apps, schema_editor):
    from claims.search import search_fold

    Claim = apps.get_model("claims", "Claim")
    Attribution = apps.get_model("claims", "Attribution")
    SourceAlias = apps.get_model("sources", "SourceAlias")
    for claim in Claim.objects.all().iterator():
        parts = [claim.text, claim.summary_en]
        source_ids = set()
        for phrase, quote, source_id, name in Attribution.objects.filter(
                claim=claim).values_list("phrase", "quote", "source_id", "source__name"):
            parts += [phrase, quote, name]
            source_ids.add(source_id)
        parts += SourceAlias.objects.filter(source_id__in=source_ids).values_list("alias",
                                                                               flat=True)
        Claim.objects.filter(pk=claim.pk).update(
            search_document=search_fold("\n".join(p for p in parts if p)))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0002_groups_and_history_guard"),
        ("sources", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="search_document",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_documents, migrations.RunPython.noop),
        migrations.RunPython(add_search_indexes, drop_search_indexes),
    ]
