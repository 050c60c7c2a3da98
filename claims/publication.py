"""The one way a claim is published or taken down.

The admin (form field and bulk actions), the API and the importer all end
here; nothing else writes `Claim.published`. Like `workflow.change_status`: the
claim row is locked, the version bumped, an append-only history row written,
the sync feeds' tombstones written, all in one transaction, and side effects
(webhooks, ...) run only after the commit. Whoever adds the next side effect
registers it with `on_publication_change`, in exactly one place.
"""

from collections.abc import Callable, Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import VERDICTS, Claim, PublicationChange
from .tombstones import Feed, Gone, bury

# Called with (claim, publication_change) after the transaction commits.
_after_change: list[Callable[[Claim, PublicationChange], None]] = []
# Called inside the transaction, for rows that must commit with the change (webhook events).
_within_change: list[Callable[[Claim, PublicationChange], None]] = []


def on_publication_change(callback: Callable[[Claim, PublicationChange], None], *,
                          in_transaction: bool = False) -> None:
    """Register a side effect to run after a publish or unpublish commits.

    With `in_transaction`, it runs inside the change's transaction instead, with
    the claim as it will be saved: for writing rows that must exist exactly when
    the change does. It must not do I/O.
    """
    (_within_change if in_transaction else _after_change).append(callback)


def _actor(actor: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return actor if actor is not None and actor.is_authenticated else None


def record(locked: Claim, published: bool, *, actor: AbstractBaseUser | None,
           note: str = "") -> PublicationChange:
    """History row, tombstones and after-commit effects for a change of `published`.

    For callers that hold the claim's row lock and write the row themselves in
    the same transaction (`authoring.update_claim` changing several fields at
    once, `authoring.create_claim`). `locked` holds the state *before* the change.
    """
    if not published and locked.published:
        feeds = [Feed.CLAIM]
        if locked.status in VERDICTS:
            feeds.append(Feed.CLAIMREVIEW)
        bury(locked.pk, feeds=feeds, reason=Gone.UNPUBLISHED, was_published=True)
    change = PublicationChange.objects.create(claim_id=locked.pk, published=published,
                                              actor=_actor(actor), note=note)
    locked.published = published
    announce(locked, change)
    return change


def announce(claim: Claim, change: PublicationChange) -> None:
    """The registered effects of `change`: those that write in the transaction now, the
    others once it commits (`record`, and `authoring.create_claims_many` for claims born
    published)."""
    for callback in _within_change:
        callback(claim, change)
    for callback in _after_change:
        transaction.on_commit(lambda cb=callback: cb(claim, change))


def _set(claim: Claim, published: bool, actor: AbstractBaseUser | None,
         note: str) -> PublicationChange | None:
    with transaction.atomic():
        # Row lock: a publish racing an unpublish (or an edit) serialises here;
        # the second sees the first one's state and version.
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if locked.published == published:
            change = None  # already so: no version bump, no history row, no effect
        else:
            Claim.objects.filter(pk=locked.pk).update(
                published=published, version=F("version") + 1, updated_at=timezone.now())
            change = record(locked, published, actor=actor, note=note)
    claim.refresh_from_db()
    return change


def publish(claim: Claim, *, actor: AbstractBaseUser | None,
            note: str = "") -> PublicationChange | None:
    """Publish `claim`; None when it already was. `claim` is refreshed in place."""
    return _set(claim, True, actor, note)


def unpublish(claim: Claim, *, actor: AbstractBaseUser | None,
              note: str = "") -> PublicationChange | None:
    """Take `claim` down; partners' sync feeds get a tombstone. None when it was not out."""
    return _set(claim, False, actor, note)


def set_published_many(claims: Iterable[Claim], published: bool, *,
                       actor: AbstractBaseUser | None, note: str = "") -> list[PublicationChange]:
    """Publish or unpublish several claims, each in its own transaction; the changes made."""
    action = publish if published else unpublish
    return [change for claim in claims
            if (change := action(claim, actor=actor, note=note)) is not None]
