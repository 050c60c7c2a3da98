"""The one way a claim's status changes.

Admin actions, the API and tasks all call `change_status`; nothing else writes
`Claim.status`. A change locks the claim row, checks the transition, saves the
claim and its history row in one transaction, and runs side effects only after
the commit.
"""

from collections import deque
from collections.abc import Callable, Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import VERDICTS, Attribution, Claim, Role, Status, StatusChange
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
# Called with (claim, status_change) inside the transaction, for rows that must
# commit or roll back with the change (a webhook's event): nothing lost to a crash.
_within_change: list[Callable[[Claim, StatusChange], None]] = []


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


def path_to(from_status: str, to_status: str) -> list[str]:
    """The shortest chain of allowed moves from one status to another, or [] if none.

    "Move to: disputed" from "unverified" is two moves (in review, then disputed):
    the editor asks once, the history keeps both.
    """
    if from_status == to_status:
        return []
    came_from: dict[str, str] = {from_status: ""}
    queue = deque([from_status])
    while queue:
        current = queue.popleft()
        for nxt in sorted(TRANSITIONS.get(current, ())):
            if nxt in came_from:
                continue
            came_from[nxt] = current
            if nxt == to_status:
                path = [nxt]
                while came_from[path[-1]] != from_status:
                    path.append(came_from[path[-1]])
                return path[::-1]
            queue.append(nxt)
    return []


def reachable(from_status: str) -> list[str]:
    """Every status one "Move to" can reach from `from_status`, directly or through others."""
    return [s for s in Status.values if s != from_status and path_to(from_status, s)]


def _check_rules(locked: Claim, to_status: str, rationale: str | None) -> None:
    """What a move needs besides being allowed: a claimant to review, a reason for a verdict."""
    if (locked.status == Status.UNVERIFIED and to_status != Status.RETRACTED
            and not Attribution.objects.filter(claim=locked, role=Role.CLAIMANT).exists()):
        raise ValidationError(
            {"status": ["A claim needs at least one claimant before it leaves “Unverified”: "
                        "add who asserts it in the attributions."]},
            code="claimant_required",
        )
    if to_status in _VERDICT_VALUES:
        said = locked.verdict_rationale if rationale is None else rationale
        if not (said or "").strip():
            raise ValidationError(
                {"verdict_rationale": [f"A verdict (“{Status(to_status).label}”) needs a "
                                       "rationale: say why, for the readers."]},
                code="rationale_required",
            )


def on_status_change(callback: Callable[[Claim, StatusChange], None], *,
                     in_transaction: bool = False) -> None:
    """Register a side effect to run after a status change commits.

    With `in_transaction`, it runs inside the change's transaction instead: for
    writing rows that must exist exactly when the change does. It must not do I/O.
    """
    (_within_change if in_transaction else _after_change).append(callback)


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
        _check_rules(locked, to_status, rationale)
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
        if locked.published and to_status == Status.RETRACTED:
            # A retraction takes the claim back: read keys stop seeing it
            # (claims/api/views.py), so their copies must hear it too.
            bury(locked.pk, feeds=[Feed.CLAIM], was_published=True, reason=Gone.RETRACTED)
        change = StatusChange.objects.create(
            claim=locked,
            from_status=locked.status,
            to_status=to_status,
            actor=actor if actor and actor.is_authenticated else None,
            note=note,
        )
        claim.refresh_from_db()
        for callback in _within_change:
            callback(claim, change)
        for callback in _after_change:
            transaction.on_commit(lambda cb=callback: cb(claim, change))
    return change


def move_to(
    claim: Claim,
    to_status: str,
    *,
    actor: AbstractBaseUser | None,
    note: str = "",
    rationale: str | None = None,
) -> list[StatusChange]:
    """Reach `to_status` through the allowed moves, all or none, one history row per move.

    Each step goes through `change_status` (its lock, checks and effects); the
    outer transaction makes "unverified → in review → disputed" one decision:
    if the verdict is refused, the claim is not left half-way in review.
    """
    if to_status not in Status.values:
        raise ValidationError({"status": [f"“{to_status}” is not a claim status."]},
                              code="invalid_choice")
    with transaction.atomic():
        current = Claim.objects.select_for_update().values_list("status", flat=True).get(
            pk=claim.pk)
        path = path_to(current, to_status)
        if not path:
            claim.status = current
            raise TransitionNotAllowed(claim, to_status)
        return [
            change_status(claim, step, actor=actor, note=note,
                          rationale=rationale if step == to_status else None)
            for step in path
        ]


def change_status_many(
    claims: Iterable[Claim], to_status: str, *, actor: AbstractBaseUser | None, note: str = "",
    rationale: str | None = None,
) -> tuple[list[StatusChange], list[ValidationError]]:
    """Apply one transition to several claims; each claim succeeds or fails on its own.

    The rules (a claimant before review, a rationale for a verdict) are checked
    per claim too: the ones that meet them move, the others are reported.
    """
    done: list[StatusChange] = []
    refused: list[ValidationError] = []
    for claim in claims:
        try:
            done.append(change_status(claim, to_status, actor=actor, note=note,
                                      rationale=rationale))
        except ValidationError as exc:
            refused.append(exc)
    return done, refused
