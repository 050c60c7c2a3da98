from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from claims.groups import sync_groups

USERNAME = "editor"
# A demo login, printed on purpose; the command refuses to run in production.
PASSWORD = "factcheck-demo"


class Command(BaseCommand):
    help = "Create (or reset) the demo editor account and print its login."

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("The demo editor is for local use; create real users instead.")
        user, _ = get_user_model().objects.get_or_create(
            username=USERNAME, defaults={"email": "editor@example.org"}
        )
        user.is_staff = True
        user.set_password(PASSWORD)
        user.save()
        sync_groups(apps)  # idempotent; the group may be gone after a test flush
        user.groups.add(Group.objects.get(name="editors"))
        self.stdout.write(self.style.SUCCESS(
            f"Demo editor: sign in at {settings.FACTCHECK_PUBLIC_URL}/admin/ "
            f"as {USERNAME} / {PASSWORD}"
        ))
