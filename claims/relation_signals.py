"""After a claim, its figure, attributions or evidence change, recompute its relations.

The work runs in a task once the transaction commits (claims/tasks.py), so an
edit never waits for it and a rolled-back edit never triggers it.
"""

import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Attribution, Claim, Evidence, Quantity

# Claims touched by the transaction in progress. One claim saved with three
# attributions and evidence fires six signals; they become one task.
_pending = threading.local()


def _after_commit(claim_id: int | None) -> None:
    if claim_id is None:
        return
    ids: set[int] = _pending.__dict__.setdefault("ids", set())
    ids.add(claim_id)

    def send() -> None:
        from .tasks import find_related_claims

        # The first callback of a commit sends every id; the rest find none.
        # Ids left by a rolled-back transaction ride along harmlessly: the
        # task recomputes, and skips claims that are gone.
        batch = sorted(ids)
        ids.clear()
        if batch:
            find_related_claims.delay(batch)

    transaction.on_commit(send, robust=True)


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
