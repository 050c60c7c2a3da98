"""The rules hash beside each stored text-facts row, indexed, so the worker's sweep finds
stale rows without reading the table (similarity/storedfacts.py, refresh_stale).

Every row from before has rules "": stale, so the sweep reads each once more (a row
whose key is already current is only relabelled). An embedded claim with no row
gets an empty one (key "", never used by the ranking) for the sweep to fill: the
sweep then has one indexed query, and no backfill command is needed.
"""

from django.db import migrations, models

OWED = """
INSERT INTO similarity_claimtextfacts (claim_id, key, facts, rules)
SELECT c.id, '', '{}', ''
FROM claims_claim c
WHERE EXISTS (SELECT 1 FROM similarity_claimvector v WHERE v.claim_id = c.id)
  AND NOT EXISTS (SELECT 1 FROM similarity_claimtextfacts f WHERE f.claim_id = c.id)
"""


class Migration(migrations.Migration):

    dependencies = [
        ('similarity', '0002_claim_text_facts'),
    ]

    operations = [
        migrations.AddField(
            model_name='claimtextfacts',
            name='rules',
            field=models.CharField(db_index=True, default='', max_length=64),
        ),
        migrations.RunSQL(OWED, migrations.RunSQL.noop),
    ]
