"""Build the inverted file that large desks search (similarity/ivf.py), and write it to disk.

Run by the beat task every SIMILARITY_REBUILD_SECONDS where "auto" would use it,
or by hand after a backfill (`embed_claims`). Safe beside the web processes:
they keep the build they loaded until their next full reload, and the file is
replaced in one rename.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from similarity import index, ivf


class Command(BaseCommand):
    help = "Train and save the similar-claims inverted file from the stored vectors."

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            built = index.build()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        path = ivf.save(built)
        self.stdout.write(self.style.SUCCESS(
            f"Indexed {built.backend.size} vectors in {built.backend.index.nlist} lists "
            f"in {time.perf_counter() - started:.1f} s: {path}"))
