"""What similarity stores: claim vectors, the embedding queue, editors' "not related" answers.

PostgreSQL is the store of record. The in-memory index (similarity/index.py)
is rebuilt from `ClaimVector` on start and kept in step from `updated_at`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from claims.models import Claim


class EmbeddedField(models.TextChoices):
    TEXT = "text", "claim text"
    SUMMARY_EN = "summary_en", "English summary"


class ClaimVector(models.Model):
    """One embedding of one of a claim's texts, by one model.

    `vector` is little-endian float32, L2-normalised, so a dot product is the
    cosine. `text_hash` says which text it was computed from: a claim whose
    text has not changed is not embedded again.
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="vectors")
    field = models.CharField(max_length=16, choices=EmbeddedField.choices)
    model = models.CharField(max_length=64, help_text="Model name and version.")
    vector = models.BinaryField()
    text_hash = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["claim", "field", "model"],
                                    name="claim_vector_unique"),
            models.CheckConstraint(condition=Q(field__in=EmbeddedField.values),
                                   name="claim_vector_field_valid"),
        ]

    def __str__(self) -> str:
        return f"#{self.claim_id} {self.field} ({self.model})"


class PendingEmbedding(models.Model):
    """A claim whose vectors are due: the queue, in a table.

    A row is written in the transaction that changes the claim, so a lost
    Celery message loses nothing: the periodic sweep takes the row. A worker
    takes rows by giving them a lease (FOR UPDATE SKIP LOCKED); the row is
    deleted only if it was not requested again meanwhile (`requested_at`
    unchanged), so an edit made while a worker embeds the old text is not lost.
    """

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, primary_key=True,
                                 related_name="+")
    requested_at = models.DateTimeField(db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    lease_token = models.UUIDField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"#{self.claim_id} due since {self.requested_at:%Y-%m-%d %H:%M}"


class NotRelated(models.Model):
    """An editor's answer that two claims are not related: never suggested again.

    Stored once per pair, lower id first. "Same as" and "conflicts with" are
    ClaimRelation rows (claims' own model) made by an editor.
    """

    from_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    to_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "not-related answer"
        constraints = [
            models.UniqueConstraint(fields=["from_claim", "to_claim"],
                                    name="not_related_unique"),
            models.CheckConstraint(condition=Q(from_claim__lt=F("to_claim")),
                                   name="not_related_ordered"),
        ]

    def __str__(self) -> str:
        return f"#{self.from_claim_id} not related to #{self.to_claim_id}"


class ClaimTextFacts(models.Model):
    """What the ranking reads from a claim's text (similarity/textfacts.py), read once.

    Computed by the embedding worker beside the claim's vectors (similarity/queue.py),
    so a `similar` answer reads 1,000 candidates' facts instead of deriving them from
    1,000 texts (docs/benchmarks.md, limit=250). `key` says which text and which rules
    they were read from (similarity/storedfacts.py): a row whose key does not match the
    claim's text now is ignored and the facts are read from the text, so an edit the
    worker has not reached yet, or new rules, never give wrong facts.

    `rules` is the rules' hash alone (storedfacts.RULES), so the worker's sweep finds
    the rows a deploy made stale by an index scan (storedfacts.refresh_stale); a row
    whose rules are "" is owed its facts (an embedded claim from before this column).
    """

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, primary_key=True,
                                 related_name="text_facts")
    key = models.CharField(max_length=64)
    rules = models.CharField(max_length=64, default="", db_index=True)
    facts = models.JSONField()

    class Meta:
        verbose_name_plural = "claim text facts"

    def __str__(self) -> str:
        return f"#{self.claim_id} text facts"


class ClaimFigure(models.Model):
    """One of a claim's main figures, by index: the figure channel (similarity/figures.py).

    A row per (main figure, what it counts, claimant): the recorded `Quantity` (value and
    bounds), else the figures its text is about (textfacts.main_figure_events); `event`
    is the event word of what is counted ("killed", "wounded", "percent"…), "" when none
    is known; `claimant` is null for a claim with no claimant. A similar-claims answer
    looks up its own figures here, so a claim stating the same figure is a candidate
    however far its embedding is. Derived data: rewritten whole per claim.
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(max_digits=24, decimal_places=4)
    event = models.CharField(max_length=32, blank=True)
    claimant = models.ForeignKey("sources.Source", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [
            # Each probe: one value (and event, or claimant), newest claims first, LIMIT.
            models.Index(fields=["value", "event", "claim"], name="claim_figure_event"),
            models.Index(fields=["value", "claim"], name="claim_figure_value"),
            models.Index(fields=["value", "claimant", "claim"], name="claim_figure_claimant"),
        ]

    def __str__(self) -> str:
        return f"#{self.claim_id} {self.value} {self.event or '?'}"
