"""A claim saved from any door is queued for embedding in the same transaction; a change of
its figure or claimants rewrites its rows in the figure channel on commit."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from claims.authoring import claims_created
from claims.models import Attribution, Claim, Quantity

from . import figures, queue


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


@receiver(post_save, sender=Quantity, dispatch_uid="similarity_figure_saved")
@receiver(post_delete, sender=Quantity, dispatch_uid="similarity_figure_deleted")
def figure_changed(sender, instance: Quantity, raw: bool = False, **kwargs) -> None:
    """A recorded figure is the claim's main figure: its rows in the figure channel follow
    it (on commit, so a claim deleted with its figure is simply left without rows)."""
    if not raw:
        figures.refresh_on_commit(instance.claim_id)


@receiver(post_save, sender=Attribution, dispatch_uid="similarity_claimant_saved")
@receiver(post_delete, sender=Attribution, dispatch_uid="similarity_claimant_deleted")
def claimant_changed(sender, instance: Attribution, raw: bool = False, **kwargs) -> None:
    """The figure channel probes by figure and claimant: a claim's rows name its claimants
    (any role: one changed from claimant to another role is no longer its claimant)."""
    if not raw:
        figures.refresh_on_commit(instance.claim_id)
