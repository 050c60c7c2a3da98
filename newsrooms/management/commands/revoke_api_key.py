from django.core.management.base import BaseCommand, CommandError

from newsrooms.keys import revoke
from newsrooms.models import ApiKey


class Command(BaseCommand):
    help = "Revoke an API key by its prefix (the part after fck_, as the admin lists it)."

    def add_arguments(self, parser):
        parser.add_argument("prefix")

    def handle(self, *args, prefix, **options):
        key = ApiKey.objects.filter(prefix=prefix).first()
        if key is None:
            raise CommandError(f"No key with prefix {prefix!r}.")
        revoke(key)
        self.stdout.write(f"Revoked {key}.")
