# A link's lease moves from two columns of sources_link to a narrow table of its own:
# claiming, renewing and releasing then write that small table, and the link's wide
# row (seven index entries) is rewritten once per check, with the result, instead of
# twice. Leases live seconds (LINKS_LEASE_SECONDS): the ones held while this runs are
# dropped, and their links are simply claimed again. Frozen: no app imports.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("sources", "0007_lean_link_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="LinkLease",
            fields=[
                ("link", models.OneToOneField(
                    on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                    related_name="lease", serialize=False, to="sources.link",
                )),
                ("host", models.CharField(max_length=255)),
                ("token", models.UUIDField()),
                ("until", models.DateTimeField()),
            ],
        ),
        migrations.RemoveConstraint(model_name="link", name="link_lease_whole"),
        migrations.RemoveIndex(model_name="link", name="link_leased_idx"),
        migrations.RemoveField(model_name="link", name="lease_token"),
        migrations.RemoveField(model_name="link", name="lease_until"),
    ]
