"""Backfill stored text facts: every claim whose row is missing or was read from another
text or other rules (similarity/storedfacts.py).

The worker's sweep (similarity.tasks.refresh_text_facts) does this by itself after a
deploy that changed the text rules; this is the same work by hand, e.g. several
processes at once on a fresh copy (until done, the ranking reads each candidate's
facts from its text, as before). Resumable and safe beside the
workers: each batch commits on its own and a row is an upsert keyed on the claim.
"""

from django.core.management.base import BaseCommand

from claims.models import Claim
from similarity import storedfacts


class Command(BaseCommand):
    help = "Store the text facts of every claim whose stored facts are missing or stale."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000)
        parser.add_argument("--ids", default="",
                            help="Only claims with ids in FIRST:LAST (one run per core).")

    def handle(self, *args, batch: int, ids: str, **options):
        first, _, stop = ids.partition(":")
        claims = Claim.objects.filter(pk__lte=int(stop)) if stop else Claim.objects.all()
        last, checked, stored = int(first or 1) - 1, 0, 0
        while True:
            rows = list(claims.filter(pk__gt=last).order_by("pk")
                        .values_list("pk", "text", "text_facts__key", "text_facts__rules")
                        [:batch])
            if not rows:
                break
            last = rows[-1][0]
            checked += len(rows)
            stored += storedfacts.store(
                {pk: text for pk, text, facts_key, rules in rows
                 if (facts_key, rules) != (storedfacts.key(text), storedfacts.RULES)})
        self.stdout.write(self.style.SUCCESS(
            f"Checked {checked} claims, stored the text facts of {stored}."))
