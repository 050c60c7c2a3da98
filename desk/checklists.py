"""Per-claim checklists: the one writer of tasks and their ticks.

A template's items become a claim's tasks when the claim is created (templates
marked "apply to new claims", desk.signals) or when an editor applies one on
the claim page; applying twice adds nothing twice. Editors tick and untick;
viewers read (a checklist is the desk's work, and working a claim is what
"change claim" allows). Each tick is a history row with who and when.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from claims.models import Claim

from .models import ChecklistTask, ChecklistTemplate, ChecklistTick


def can_tick(user: AbstractBaseUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active
                and user.is_staff and user.has_perm("claims.change_claim"))


def apply_template(claim: Claim, template: ChecklistTemplate,
                   actor: AbstractBaseUser | None = None) -> list[ChecklistTask]:
    """Give `claim` the template's tasks it does not have yet; the new ones."""
    if actor is not None and not can_tick(actor):
        raise PermissionDenied("Only editors can add checklist tasks.")
    with transaction.atomic():
        # Row lock: two editors applying templates at once number the tasks in turn.
        Claim.objects.select_for_update().only("pk").get(pk=claim.pk)
        have = set(ChecklistTask.objects.filter(claim_id=claim.pk).values_list("text", flat=True))
        position = ChecklistTask.objects.filter(claim_id=claim.pk).aggregate(
            p=Max("position"))["p"] or 0
        new = []
        for item in template.items.all():
            if item.text in have:
                continue
            position += 1
            have.add(item.text)
            new.append(ChecklistTask(claim_id=claim.pk, text=item.text, position=position,
                                     template=template))
        return ChecklistTask.objects.bulk_create(new)


def apply_to_new_claims(claim_ids: list[int]) -> list[ChecklistTask]:
    """Claims created in bulk (`claims.authoring.create_claims_many`): every template for
    new claims on each, in three queries however many claims. They are new in this
    transaction, so nobody else holds tasks on them to number around."""
    templates = list(ChecklistTemplate.objects.filter(apply_to_new_claims=True)
                     .prefetch_related("items"))
    new = []
    for claim_id in claim_ids:
        have: set[str] = set()
        for template in templates:
            for item in template.items.all():
                if item.text in have:
                    continue
                have.add(item.text)
                new.append(ChecklistTask(claim_id=claim_id, text=item.text,
                                         position=len(have), template=template))
    return ChecklistTask.objects.bulk_create(new)


def apply_to_new_claim(claim: Claim) -> None:
    for template in ChecklistTemplate.objects.filter(apply_to_new_claims=True).prefetch_related(
            "items"):
        apply_template(claim, template)


def tick(task: ChecklistTask, done: bool, *, actor: AbstractBaseUser) -> ChecklistTask:
    """Mark `task` done (or open again) as `actor`; the task as it now stands."""
    if not can_tick(actor):
        raise PermissionDenied("Only editors can tick checklist tasks.")
    with transaction.atomic():
        # Row lock on the task: two editors ticking at once leave one consistent state
        # and one history row each, in order.
        locked = ChecklistTask.objects.select_for_update().get(pk=task.pk)
        if (locked.done_at is not None) == done:
            return locked
        now = timezone.now()
        locked.done_at, locked.done_by = (now, actor) if done else (None, None)
        locked.save(update_fields=["done_at", "done_by"])
        ChecklistTick.objects.create(task=locked, done=done, by=actor, at=now)
    return locked


def open_tasks_on(claims=None) -> int:
    """Open tasks on `claims` (a queryset; None: every claim), for the status report."""
    rows = ChecklistTask.objects.open()
    return (rows if claims is None else rows.filter(claim__in=claims.values("pk"))).count()


def open_tasks() -> dict[str, int]:
    """What is left to do on the desk: open tasks, and on how many claims."""
    rows = ChecklistTask.objects.open()
    return {"open_tasks": rows.count(),
            "claims_with_open_tasks": rows.values("claim_id").distinct().count()}
