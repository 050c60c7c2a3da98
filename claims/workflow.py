"""The one way a claim's status changes.

Admin actions, the API and tasks all call `change_status`; nothing else writes
`Claim.status`. A change locks the claim row, checks the transition, saves the
claim and its history row in one transaction, and runs side effects only after
the commit.
"""

from collections.abc import Callable, Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import VERDICTS, Claim, Status, StatusChange
from .tombstones import Feed, Gone, bury

_VERDICT_VALUES = [s.value for s in VERDICTS]

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.UNVERIFIED: frozenset({Status.IN_REVIEW, Status.RETRACTED}),
    Status.IN_REVIEW: frozenset({Status.UNVERIFIED, *_VERDICT_VALUES, Status.RETRACTED}),
    # A verdict can be reopened when new evidence arrives.
    **{v: frozenset({Status.IN_REVIEW, Status.RETRACTED}) for v in _VERDICT_VALUES},
    # Retraction is undone by starting again, so the history shows it.
    Status.RETRACTED: frozenset({Status.UNVERIFIED}),
}

# Called with (claim, status_change) after the transaction commits.
_after_change: list[Callable[[Claim, StatusChange], None]] = []


class TransitionNotAllowed(ValidationError):
    def __init__(self, claim: Claim, to_status: str) -> None:
        self.from_status = claim.status
        self.to_status = to_status
        self.allowed = allowed_transitions(claim.status)
        allowed = ", ".join(self.allowed) or "none"
        super().__init__(
            {"status": [f"A claim cannot go from “{claim.status}” to “{to_status}”. "
                        f"Allowed from “{claim.status}”: {allowed}."]},
            code="transition_not_allowed",
        )


def allowed_transitions(from_status: str) -> list[str]:
    return sorted(TRANSITIONS.get(from_status, ()))


def on_status_change(callback: Callable[[Claim, StatusChange], None]) -> None:
    """Register a side effect to run after a status change commits."""
    _after_change.append(callback)


def change_status(
    claim: Claim,
    to_status: str,
    *,
    actor: AbstractBaseUser | None,
    note: str = "",
    rationale: str | None = None,
) -> StatusChange:
    """Move `claim` to `to_status`, write its history row, return that row.

    Raises TransitionNotAllowed for a move the workflow forbids and
    ValidationError for an unknown status. `claim` is refreshed in place.
    """
    if to_status not in Status.values:
        raise ValidationError({"status": [f"“{to_status}” is not a claim status."]},
                              code="invalid_choice")
    with transaction.atomic():
        # Row lock: two editors changing the same claim serialise here, and the
        # second one sees the first one's status when checking its transition.
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if to_status not in TRANSITIONS.get(locked.status, ()):
            raise TransitionNotAllowed(locked, to_status)
        now = timezone.now()
        updates: dict = {"status": to_status, "version": F("version") + 1, "updated_at": now}
        if to_status in _VERDICT_VALUES:
            updates.update(reviewed_by=actor if actor and actor.is_authenticated else None,
                           reviewed_at=now)
        if rationale is not None:
            updates["verdict_rationale"] = rationale
        Claim.objects.filter(pk=locked.pk).update(**updates)
        if locked.published and locked.status in _VERDICT_VALUES \
                and to_status not in _VERDICT_VALUES:
            # The published ClaimReview goes away: partners' copies must hear it.
            bury(locked.pk, feeds=[Feed.CLAIMREVIEW], was_published=True,
                 reason=Gone.RETRACTED if to_status == Status.RETRACTED else Gone.WITHDRAWN)
        change = StatusChange.objects.create(
            claim=locked,
            from_status=locked.status,
            to_status=to_status,
            actor=actor if actor and actor.is_authenticated else None,
            note=note,
        )
        claim.refresh_from_db()
        for callback in _after_change:
            transaction.on_commit(lambda cb=callback: cb(claim, change))
    return change


def change_status_many(
    claims: Iterable[Claim], to_status: str, *, actor: AbstractBaseUser | None, note: str = "",
    rationale: str | None = None,
) -> tuple[list[StatusChange], list[TransitionNotAllowed]]:
    """Apply one transition to several claims; each claim succeeds or fails on its own."""
    done: list[StatusChange] = []
    refused: list[TransitionNotAllowed] = []
    for claim in claims:
        try:
            done.append(change_status(claim, to_status, actor=actor, note=note,
                                      rationale=rationale))
        except TransitionNotAllowed as exc:
            refused.append(exc)
    return done, refused
