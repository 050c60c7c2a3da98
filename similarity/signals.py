"""A claim saved from any door is queued for embedding in the same transaction."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from claims.authoring import claims_created
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


@receiver(claims_created, dispatch_uid="similarity_claims_created")
def claims_created_in_bulk(sender, claim_ids: list[int], **kwargs) -> None:
    """`claims.authoring.create_claims_many` sends no post_save: queue them all at once."""
    queue.request(claim_ids)
    transaction.on_commit(_wake, robust=True)
