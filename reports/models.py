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
