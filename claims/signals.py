"""Receivers that keep each claim's search document current, and tombstone deletions.

They live here, not in sources, because sources may not import claims: a new
alias of "KCNA" must reach the search text of every claim KCNA is named in.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from sources.models import Source, SourceAlias

from .models import VERDICTS, Attribution, Claim
from .search import refresh_for_sources, refresh_search_document
from .tombstones import Feed, Gone, bury


@receiver(post_save, sender=Claim, dispatch_uid="claims_search_claim_saved")
def claim_saved(sender, instance: Claim, raw: bool = False, **kwargs) -> None:
    if not raw:
        refresh_search_document(instance)


@receiver(post_save, sender=Attribution, dispatch_uid="claims_search_attribution_saved")
@receiver(post_delete, sender=Attribution, dispatch_uid="claims_search_attribution_deleted")
def attribution_changed(sender, instance: Attribution, raw: bool = False, **kwargs) -> None:
    if not raw:
        refresh_search_document(instance.claim_id)


@receiver(post_save, sender=SourceAlias, dispatch_uid="claims_search_alias_saved")
@receiver(post_delete, sender=SourceAlias, dispatch_uid="claims_search_alias_deleted")
@receiver(post_save, sender=Source, dispatch_uid="claims_search_source_saved")
def source_renamed(sender, instance, raw: bool = False, created: bool = False, **kwargs) -> None:
    if raw or (sender is Source and created):
        return
    refresh_for_sources([instance.source_id if sender is SourceAlias else instance.pk])


@receiver(post_delete, sender=Claim, dispatch_uid="claims_tombstone_claim_deleted")
def claim_deleted(sender, instance: Claim, **kwargs) -> None:
    """Every deletion (admin, bulk, cascade) leaves a tombstone for the sync feeds.

    A receiver rather than an action function: a queryset delete and the
    admin's cascades never pass through one, and a lost tombstone means a
    partner keeps a claim we removed.
    """
    feeds = [Feed.CLAIM]
    if instance.published and instance.status in VERDICTS:
        feeds.append(Feed.CLAIMREVIEW)
    bury(instance.pk, feeds=feeds, reason=Gone.DELETED, was_published=instance.published)
