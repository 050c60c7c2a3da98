"""`manage.py export_desk FILE`: every row of the desk, exactly (see reports/transfer.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from reports.transfer import export


class Command(BaseCommand):
    help = "Write the whole desk to FILE (JSON Lines; .gz compresses) for import_desk."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options) -> None:
        counts = export(options["file"])
        self.stdout.write(self.style.SUCCESS(
            f"Exported {sum(counts.values())} rows of {len(counts)} tables to {options['file']}."
        ))
