from django.db import migrations, models


class Migration(migrations.Migration):
    """The hash of the bytes a link's stored metadata was read from (docs/links.md)."""

    dependencies = [
        ('sources', '0005_link_due_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='link',
            name='body_hash',
            field=models.CharField(blank=True, default='', editable=False, max_length=64),
        ),
    ]
