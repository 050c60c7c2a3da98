"""What the desk hears from claims and sources, without either knowing the desk.

Each receiver runs inside the transaction of the change it hears about, so what
it writes (checklist tasks, notifications) commits or rolls back with it.
Connected in DeskConfig.ready().
"""

from django.db import connection
from django.db.models.signals import post_save, pre_delete

from claims.authoring import claims_created
from claims.models import Claim, StatusChange
from sources import scheduling

from . import checklists, notifications


def new_claim_gets_checklists(sender, instance: Claim, created: bool, raw: bool = False,
                              **kwargs) -> None:
    if created and not raw:
        checklists.apply_to_new_claim(instance)


def new_claims_get_checklists(sender, claim_ids: list[int], **kwargs) -> None:
    checklists.apply_to_new_claims(claim_ids)


def status_change_tells_followers(sender, instance: StatusChange, created: bool,
                                  raw: bool = False, **kwargs) -> None:
    if created and not raw:
        notifications.status_changed(instance.claim_id, instance.from_status,
                                     instance.to_status, instance.actor)


def claim_takes_its_history(sender, instance: Claim, **kwargs) -> None:
    """Let the append-only guard (desk/migrations/0003) pass this claim's own rows.

    The setting is local to the transaction the deletion runs in.
    """
    if connection.vendor == "postgresql" and instance.pk is not None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('desk.deleting_claims', "
                "coalesce(current_setting('desk.deleting_claims', true), '') || ',' || %s, true)",
                [str(instance.pk)])


def connect() -> None:
    post_save.connect(new_claim_gets_checklists, sender=Claim, dispatch_uid="desk_checklists")
    # bulk_create sends no post_save: claims created in bulk are announced once.
    claims_created.connect(new_claims_get_checklists, dispatch_uid="desk_checklists_bulk")
    post_save.connect(status_change_tells_followers, sender=StatusChange,
                      dispatch_uid="desk_status_notifications")
    pre_delete.connect(claim_takes_its_history, sender=Claim, dispatch_uid="desk_history_purge")
    scheduling.on_health_change(notifications.evidence_moved)
