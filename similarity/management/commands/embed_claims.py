"""Backfill claim vectors: every claim without a vector from the current model.

Resumable: each batch commits on its own, and a run starts from the claims
still without a vector, so a run killed half-way is finished by the next one
without embedding anything twice. Safe beside the workers: storing a vector is
an upsert keyed on (claim, field, model), and unchanged texts are skipped.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Exists, OuterRef
from tqdm import tqdm

from claims.models import Claim
from similarity import embedding, queue
from similarity.models import ClaimVector, EmbeddedField


class Command(BaseCommand):
    help = "Embed every claim that has no vector from the current model (resumable)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=64)
        parser.add_argument("--limit", type=int, default=None,
                            help="Stop after this many claims.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, batch: int, limit: int | None, no_progress: bool, **options):
        problem = embedding.availability()
        if problem:
            raise CommandError(problem)
        has_vector = ClaimVector.objects.filter(
            claim=OuterRef("pk"), field=EmbeddedField.TEXT, model=embedding.model_name())
        todo = Claim.objects.exclude(Exists(has_vector))
        total = todo.count() if limit is None else min(limit, todo.count())
        self.stdout.write(f"{total} claims to embed with {embedding.model_name()}.")
        done = embedded = 0
        last = 0
        with tqdm(total=total, unit="claim", disable=no_progress, file=self.stderr) as bar:
            while done < total:
                ids = list(todo.filter(pk__gt=last).order_by("pk")
                           .values_list("pk", flat=True)[: min(batch, total - done)])
                if not ids:
                    break
                summary = queue.store_vectors(ids)
                last = ids[-1]
                done += len(ids)
                embedded += summary.embedded
                bar.update(len(ids))
        self.stdout.write(self.style.SUCCESS(
            f"Embedded {done} claims ({embedded} texts)."))
