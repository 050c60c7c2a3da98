from django.db import models
from django.db.models import Q


class ReportSnapshot(models.Model):
    """The reports' figures as they stood when taken, kept so history stays as it was.

    `figures` holds `catalogue.build_all` output twice: "all" (what staff see) and
    "published" (what read-only API keys may see), so a snapshot never shows a
    newsroom an unpublished claim.
    """

    week = models.DateField(unique=True, help_text="Monday (UTC) of the week it was taken in.")
    taken_at = models.DateTimeField()
    figures = models.JSONField()

    class Meta:
        ordering = ["-week"]
        get_latest_by = "week"
        constraints = [
            models.CheckConstraint(
                condition=Q(figures__has_keys=["all", "published"]),
                name="report_snapshot_has_both_audiences",
            ),
        ]

    def __str__(self) -> str:
        return f"Reports for the week of {self.week:%Y-%m-%d}"


# --- Rollups (PostgreSQL): running counts the reports read instead of scanning
# every claim. Triggers (reports/rollups.py) append +1/-1 rows as claims,
# attributions, status history and links change; nothing updates a row in place,
# so writers never wait on each other here. `compact_rollups` folds the rows into
# one per key from time to time; readers always SUM(n), so they are exact either way.

class RunningCount(models.Model):
    n = models.IntegerField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.n:+d}"


class ClaimDayCount(RunningCount):
    """Claims by the day they were created, status and publication."""

    day = models.DateField()
    status = models.CharField(max_length=16)
    published = models.BooleanField()


class SourceCount(models.Model):
    """Per source and publication: attributions by role, and the verdicts of the
    claims it made (as claimant) — one row of the sources report, in deltas."""

    # No database constraint: a count may outlive the row it counts until compaction.
    source = models.ForeignKey("sources.Source", on_delete=models.DO_NOTHING,
                               db_constraint=False, db_index=False, related_name="+")
    published = models.BooleanField()
    as_claimant = models.IntegerField()
    as_conduit = models.IntegerField()
    as_outlet = models.IntegerField()
    supported = models.IntegerField()
    disputed = models.IntegerField()
    false = models.IntegerField()
    misleading = models.IntegerField()
    unverifiable = models.IntegerField()
    open = models.IntegerField()

    def __str__(self) -> str:
        return f"source {self.source_id}: {self.as_claimant:+d} made"


class VerdictWeekCount(RunningCount):
    """Verdicts given, by week (Monday, UTC) and verdict."""

    week = models.DateField()
    verdict = models.CharField(max_length=16)
    published = models.BooleanField()


class WaitCount(RunningCount):
    """Verdicts given, by week and the wait before them (in hours, whole quarter-days):
    `n` of all claims, `n_published` of published ones — one row per key, not two."""

    week = models.DateField()
    wait_hours = models.IntegerField()
    n_published = models.IntegerField()


class LinkHostCount(RunningCount):
    """Links by host, health and whether an archived copy is known."""

    host = models.CharField(max_length=255)
    health = models.CharField(max_length=16)
    archived = models.BooleanField()


class DeadEvidenceClaim(models.Model):
    """A claim that cites evidence of which no link still works, kept by triggers
    as evidence and link health change (one row per such claim, not a count)."""

    claim = models.OneToOneField("claims.Claim", on_delete=models.DO_NOTHING, primary_key=True,
                                 db_constraint=False, related_name="+")
    # Copies of the claim's, so the newest can be listed without visiting every claim.
    created_at = models.DateTimeField()
    published = models.BooleanField()
    evidence_links = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["-created_at"], name="reports_dead_newest")]

    def __str__(self) -> str:
        return f"claim {self.claim_id}: all {self.evidence_links} evidence links broken"


class QuantityCount(RunningCount):
    """Figures by what they count (lowercased), unit, qualifier and publication, with the
    sum and sum of squares of each figure's point (value, else its bound): all equal
    exactly when n·Σp² = (Σp)², so "these figures differ" needs no scan of quantities."""

    thing = models.CharField(max_length=200)
    unit = models.CharField(max_length=64)
    qualifier = models.CharField(max_length=16)
    published = models.BooleanField()
    sum_p = models.DecimalField(max_digits=60, decimal_places=4)
    sum_p2 = models.DecimalField(max_digits=80, decimal_places=8)
