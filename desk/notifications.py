"""Notifications and follows: the only writer of both.

A notification is written in the transaction of what it tells about (an
assignment, a comment, a status change, a link check's result), so it commits
or rolls back with it and a crash between the two loses nothing. Nobody is
told of their own doing, and a deactivated account is told nothing.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet
from django.utils import timezone

from claims.models import Claim

from .models import Follow, Notification, NotificationKind


def can_read_the_desk(user: AbstractBaseUser | None) -> bool:
    """Editors and viewers: active staff who may see claims."""
    return bool(user is not None and user.is_authenticated and user.is_active
                and user.is_staff and user.has_perm("claims.view_claim"))


def notify(recipients: Iterable[AbstractBaseUser], kind: str, claim: Claim | None,
           message: str, *, actor: AbstractBaseUser | None = None) -> list[Notification]:
    """Write one notification per reader in `recipients` (inside the caller's transaction)."""
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    seen: set[int] = set()
    rows = []
    for user in recipients:
        if user.pk in seen or user.pk == actor_id or not can_read_the_desk(user):
            continue
        seen.add(user.pk)
        rows.append(Notification(recipient=user, kind=kind, claim=claim,
                                 actor_id=actor_id, message=message[:300]))
    return Notification.objects.bulk_create(rows)


def followers(claim_ids: Iterable[int]) -> QuerySet:
    return get_user_model().objects.filter(
        followed_claims__claim_id__in=list(claim_ids), is_active=True).distinct()


def follow(claim: Claim, user: AbstractBaseUser) -> bool:
    """Start following; False if `user` already did or may not read the desk."""
    if not can_read_the_desk(user):
        return False
    _, created = Follow.objects.get_or_create(claim_id=claim.pk, user=user)
    return created


def unfollow(claim: Claim, user: AbstractBaseUser) -> bool:
    deleted, _ = Follow.objects.filter(claim_id=claim.pk, user=user).delete()
    return bool(deleted)


def is_following(claim: Claim, user: AbstractBaseUser) -> bool:
    return Follow.objects.filter(claim_id=claim.pk, user=user).exists()


def unread_count(user: AbstractBaseUser) -> int:
    if not can_read_the_desk(user):
        return 0
    return Notification.objects.filter(recipient=user).unread().count()


def mark_read(user: AbstractBaseUser, ids: Iterable[int] | None = None) -> int:
    """Mark `user`'s notifications read (all of them when `ids` is None); how many."""
    rows = Notification.objects.filter(recipient=user).unread()
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


# --- What each event tells whom (called inside the event's transaction) ---------------

def assigned(claim: Claim, assignee: AbstractBaseUser | None, actor) -> None:
    if assignee is None:
        return
    follow(claim, assignee)
    who = actor.get_username() if actor is not None and actor.is_authenticated else "the desk"
    notify([assignee], NotificationKind.ASSIGNED, claim,
           f"{who} assigned you claim #{claim.pk}: {short(claim.text)}", actor=actor)


def status_changed(claim_id: int, from_status: str, to_status: str, actor) -> None:
    claim = Claim.objects.only("pk", "text").get(pk=claim_id)
    who = actor.get_username() if actor is not None else "the desk"
    notify(followers([claim_id]), NotificationKind.STATUS, claim,
           f"Claim #{claim_id} moved from {from_status} to {to_status} ({who}): "
           f"{short(claim.text)}", actor=actor)


def evidence_moved(moves: list[tuple[int, str, str]]) -> None:
    """Tell followers of the claims citing links that broke or changed."""
    from claims.models import Evidence

    bad = {link_id: after for link_id, before, after in moves
           if after in ("broken", "changed") and before != after}
    if not bad:
        return
    cited = Evidence.objects.filter(link_id__in=bad).select_related("link").values_list(
        "claim_id", "link_id", "link__url")
    for claim_id, link_id, url in cited:
        what = "is broken" if bad[link_id] == "broken" else "changed since last looked at"
        notify(followers([claim_id]), NotificationKind.EVIDENCE, Claim(pk=claim_id),
               f"Evidence of claim #{claim_id} {what}: {url}")


def short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
