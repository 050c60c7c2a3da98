from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from newsrooms.keys import issue_key
from newsrooms.models import KeyAccess


class Command(BaseCommand):
    help = (
        "Issue an API key for a newsroom (created if new). The key is printed as the last "
        "line and never again: only its hash is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The newsroom's name.")
        parser.add_argument("--scope", choices=KeyAccess.values, default=KeyAccess.READ)
        parser.add_argument(
            "--user", help="Username of the editor a write key acts for (required for write)."
        )
        parser.add_argument("--label", default="", help="What the key is for, e.g. 'CMS sync'.")
        parser.add_argument("--rate", type=int, default=None, help="Requests per minute.")

    def handle(self, *args, name, scope, user, label, rate, **options):
        account = None
        if user:
            try:
                account = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user named {user!r}.") from None
        try:
            key, raw = issue_key(name, scope=scope, user=account, name=label,
                                 rate_per_minute=rate)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stderr.write(
            f"{scope} key {key.prefix}… for newsroom “{key.newsroom}”. Store it now; "
            "it cannot be shown again."
        )
        self.stdout.write(raw)
