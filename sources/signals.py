"""A new link, or a link whose address was edited, is checked once its transaction commits."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Link
from .tasks import request_check


@receiver(post_save, sender=Link, dispatch_uid="sources.link_saved")
def check_new_or_edited_link(sender, instance: Link, created: bool, raw: bool = False,
                             **kwargs) -> None:
    if raw:  # loaddata
        return
    if created or getattr(instance, "needs_check", False):
        request_check([instance.pk], asked=False)
