"""`manage.py import_desk FILE [--replace]`: load an export_desk file (see reports/transfer.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.transfer import TransferError, import_


class Command(BaseCommand):
    help = ("Load a desk written by export_desk into this migrated database, in one "
            "transaction; the report counts are recomputed from the loaded rows.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--replace", action="store_true",
                            help="Replace a desk that already holds claims.")

    def handle(self, *args, **options) -> None:
        try:
            counts = import_(options["file"], replace=options["replace"])
        except TransferError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Imported {sum(counts.values())} rows of {len(counts)} tables; "
            "report counts rebuilt."
        ))
