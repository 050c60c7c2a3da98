"""A claim saved from any door is queued for embedding in the same transaction."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from claims.models import Claim

from . import queue


def _wake() -> None:
    from .tasks import embed_due_claims

    embed_due_claims.delay()


@receiver(post_save, sender=Claim, dispatch_uid="similarity_claim_saved")
def claim_saved(sender, instance: Claim, raw: bool = False, update_fields=None, **kwargs) -> None:
    if raw:
        return
    if update_fields is not None and not {"text", "summary_en"} & set(update_fields):
        return
    queue.request([instance.pk])
    # The row above is the record; the message only saves waiting for the beat.
    transaction.on_commit(_wake, robust=True)
