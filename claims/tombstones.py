"""What the sync feeds say about a claim or ClaimReview that left them.

A partner that copied a published claim must learn when the desk takes it
down, or its copy lives on. Rows here are written in the transaction that
removes the thing from a feed (unpublish, retraction, a verdict reopened,
deletion) and stamped like `updated_at`, so the feed's horizon
(factcheck/api/sync.py) covers them as it covers live rows.

`claim_id` is a plain integer, not a foreign key: the tombstone of a deleted
claim outlives it.
"""

from django.db import models
from django.utils import timezone


class Feed(models.TextChoices):
    CLAIM = "claim", "Claim"
    CLAIMREVIEW = "claimreview", "ClaimReview"


class Gone(models.TextChoices):
    DELETED = "deleted", "Deleted"
    UNPUBLISHED = "unpublished", "Unpublished"
    RETRACTED = "retracted", "Retracted"
    WITHDRAWN = "withdrawn", "Verdict withdrawn (reopened)"


class Tombstone(models.Model):
    feed = models.CharField(max_length=16, choices=Feed.choices)
    claim_id = models.BigIntegerField()
    reason = models.CharField(max_length=16, choices=Gone.choices)
    # Read keys see only tombstones of things they could have seen: a draft
    # deleted before it was ever published leaves no trace for them.
    was_published = models.BooleanField()
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["feed", "at", "id"], name="tombstone_feed_at")]
        constraints = [
            models.CheckConstraint(condition=models.Q(feed__in=Feed.values),
                                   name="tombstone_feed_valid"),
            models.CheckConstraint(condition=models.Q(reason__in=Gone.values),
                                   name="tombstone_reason_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.feed} #{self.claim_id} {self.reason}"

    def as_entry(self) -> dict:
        """The feed entry: `deleted` is true for a deletion, else the reason."""
        return {"id": self.claim_id,
                "deleted": True if self.reason == Gone.DELETED else self.reason,
                "at": self.at.isoformat()}


def bury(claim_id: int, *, feeds: list[str], reason: str, was_published: bool) -> None:
    """Record that the claim left these feeds now (call inside the removing transaction)."""
    now = timezone.now()
    Tombstone.objects.bulk_create([
        Tombstone(feed=feed, claim_id=claim_id, reason=reason, was_published=was_published,
                  at=now) for feed in feeds
    ])
