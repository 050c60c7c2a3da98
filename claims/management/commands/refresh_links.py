"""`manage.py refresh_links [--due | --all | --claim ID ...]`: a refresh pass by hand.

It runs in this process (no worker needed), with the same claims, leases and
guard as the workers, so it is safe to run while they are running too.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from claims.freshness import links_of
from claims.models import Claim
from sources.models import Link
from sources.refresh import refresh
from sources.scheduling import mark_due


class Command(BaseCommand):
    help = "Check links now: the due ones (default), all of them, or those of some claims."

    def add_arguments(self, parser) -> None:
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--due", action="store_true", help="Links whose check is due.")
        which.add_argument("--all", action="store_true", help="Every link, due or not.")
        which.add_argument("--claim", type=int, action="append", metavar="ID",
                           help="The links of this claim (repeatable).")
        parser.add_argument("--budget", type=float, default=None,
                            help="Stop claiming new work after this many seconds.")

    def handle(self, *args, **options) -> None:
        ids = None
        if options["claim"]:
            missing = set(options["claim"]) - set(
                Claim.objects.filter(pk__in=options["claim"]).values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No claim with id {', '.join(map(str, sorted(missing)))}.")
            ids = list(links_of(options["claim"]).values_list("pk", flat=True))
            total = len(ids)
        elif options["all"]:
            total = mark_due(Link.objects.values_list("pk", flat=True))
        else:
            total = Link.objects.due().count()
        if not total:
            self.stdout.write("Nothing to check.")
            return
        with tqdm(total=total, unit="link", disable=options["verbosity"] == 0,
                  file=self.stderr._out) as bar:
            summary = refresh(
                ids=ids, requested_before=timezone.now() if ids else None,
                budget_seconds=options["budget"] or float("inf"), progress=bar.update,
            )
        self.stdout.write(self.style.SUCCESS(summary.as_text()))
        broken = Link.objects.filter(health="broken").count()
        changed = Link.objects.filter(health="changed").count()
        self.stdout.write(f"Now {broken} broken and {changed} changed links in all.")
