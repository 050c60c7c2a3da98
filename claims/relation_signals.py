"""After a claim, its figure, attributions or evidence change, recompute its relations.

The work runs in a task once the transaction commits (claims/tasks.py), so an
edit never waits for it and a rolled-back edit never triggers it; the task is
backed by an outbox row (factcheck/outbox/), so a broker outage loses nothing.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from factcheck.outbox.sending import add_to_batch

from .models import Attribution, Claim, Evidence, Quantity


def _after_commit(claim_id: int | None) -> None:
    if claim_id is None:
        return
    # One outbox row per transaction collects every claim it touched: written with
    # the change, sent on commit, sent again by the sweep if the broker was away.
    # Ids of claims deleted by then ride along harmlessly: the task skips them.
    add_to_batch("claims.tasks.find_related_claims", [claim_id])


@receiver(post_save, sender=Claim, dispatch_uid="claims_relations_claim_saved")
@receiver(post_save, sender=Quantity, dispatch_uid="claims_relations_quantity_saved")
@receiver(post_delete, sender=Quantity, dispatch_uid="claims_relations_quantity_deleted")
@receiver(post_save, sender=Attribution, dispatch_uid="claims_relations_attribution_saved")
@receiver(post_delete, sender=Attribution, dispatch_uid="claims_relations_attribution_deleted")
@receiver(post_save, sender=Evidence, dispatch_uid="claims_relations_evidence_saved")
@receiver(post_delete, sender=Evidence, dispatch_uid="claims_relations_evidence_deleted")
def claim_facts_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    # On a cascade the claim may be gone by then; the task skips claims that are.
    _after_commit(instance.pk if sender is Claim else instance.claim_id)
