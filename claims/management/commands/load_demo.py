from django.core.management.base import BaseCommand

from claims.demo import load_demo


class Command(BaseCommand):
    help = "Load the seed article's claims and sources as demo data (safe to run twice)."

    def handle(self, *args, **options) -> None:
        result = load_demo()
        self.stdout.write(self.style.SUCCESS(
            f"Demo data: {result.claims_created} claims created, "
            f"{result.claims_existing} already there, {result.sources_created} sources created."
        ))
