"""The one way a claim is assigned, reassigned or released.

Same shape as claims.workflow.change_status: lock the claim row, check, write the
current assignment and an append-only history row in one transaction, run side
effects after the commit. The claim's `version` is not bumped: who works on a
claim is the desk's business, not part of the claim newsrooms read, and a
reassignment must not turn an API client's If-Match stale.
"""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.models import OPEN_STATUSES, Claim

from . import notifications
from .models import Assignment, AssignmentChange

# Called with (claim, change) after the transaction commits (notifications hook in here).
_after_assign: list[Callable[[Claim, AssignmentChange], None]] = []


def on_assignment(callback: Callable[[Claim, AssignmentChange], None]) -> None:
    _after_assign.append(callback)


def can_be_assigned(user: AbstractBaseUser) -> bool:
    """Editors only: someone who cannot change a claim cannot work on one."""
    return bool(user.is_active and user.is_staff and user.has_perm("claims.change_claim"))


def editors():
    """Everyone a claim can be assigned to."""
    users = get_user_model().objects.filter(is_active=True, is_staff=True).order_by("username")
    return [u for u in users if can_be_assigned(u)]


def assign(claim: Claim, assignee: AbstractBaseUser | None, *, actor: AbstractBaseUser | None,
           note: str = "") -> AssignmentChange | None:
    """Give `claim` to `assignee` (None releases it). None when nothing changes."""
    if assignee is not None and not can_be_assigned(assignee):
        raise ValidationError({"assignee": [
            f"{assignee} is not an editor: only editors can be assigned claims."]},
            code="not_an_editor")
    with transaction.atomic():
        # Row lock on the claim: two editors grabbing the same claim serialise
        # here, and the second sees the first one's assignment.
        Claim.objects.select_for_update().only("pk").get(pk=claim.pk)
        current = Assignment.objects.filter(claim_id=claim.pk).first()
        before = current.assignee if current else None
        if (before.pk if before else None) == (assignee.pk if assignee else None):
            return None
        Assignment.objects.update_or_create(
            claim_id=claim.pk, defaults={"assignee": assignee, "assigned_at": timezone.now()})
        change = AssignmentChange.objects.create(
            claim_id=claim.pk, from_user=before, to_user=assignee,
            actor=actor if actor and actor.is_authenticated else None, note=note,
        )
        # Written with the assignment: a notification is never lost to a crash after it.
        notifications.assigned(claim, assignee, actor)
        for callback in _after_assign:
            transaction.on_commit(lambda cb=callback: cb(claim, change))
    return change


def my_queue(user: AbstractBaseUser):
    """Open claims assigned to `user`, oldest first: what to work on next."""
    return (Claim.objects.filter(assignment__assignee=user, status__in=OPEN_STATUSES)
            .order_by("created_at", "id"))


def unassigned():
    """Open claims nobody has."""
    return (Claim.objects.filter(status__in=OPEN_STATUSES)
            .exclude(assignment__assignee__isnull=False).order_by("created_at", "id"))
