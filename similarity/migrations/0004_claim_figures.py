"""The figure channel's rows (similarity/figures.py): each claim's main figures by index.

A claim's rows are derived from its figure, text facts and claimants, which this frozen
migration cannot read with the rules in force. So every stored text-facts row is marked
owed (rules ""), as 0003 did: the worker's sweep (refresh_text_facts) takes each once,
relabels it (its key is current: no text is read again) and writes its claim's figure
rows; `manage.py store_text_facts` does the same by hand. Until then the channel finds
fewer claims, never wrong ones (the ranker judges every candidate).
"""

import django.db.models.deletion
from django.db import migrations, models

OWED = "UPDATE similarity_claimtextfacts SET rules = ''"


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0006_publication_history_and_tombstones'),
        ('similarity', '0003_text_facts_rules'),
        ('sources', '0007_lean_link_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='ClaimFigure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('value', models.DecimalField(decimal_places=4, max_digits=24)),
                ('event', models.CharField(blank=True, max_length=32)),
                ('claim', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='claims.claim')),
                ('claimant', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='sources.source')),
            ],
            options={
                'indexes': [models.Index(fields=['value', 'event', 'claim'], name='claim_figure_event'), models.Index(fields=['value', 'claim'], name='claim_figure_value'), models.Index(fields=['value', 'claimant', 'claim'], name='claim_figure_claimant')],
            },
        ),
        migrations.RunSQL(OWED, migrations.RunSQL.noop),
    ]
