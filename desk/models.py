from django.conf import settings
from django.db import models
from django.db.models import F, Q

from claims.models import Claim


class Assignment(models.Model):
    """Who on the desk has the claim now (none: it waits in "Unassigned")."""

    claim = models.OneToOneField(
        Claim, on_delete=models.CASCADE, primary_key=True, related_name="assignment"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="assigned_claims",
    )
    assigned_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["assignee", "assigned_at"])]

    def __str__(self) -> str:
        return f"#{self.claim_id} → {self.assignee or 'nobody'}"


class AssignmentChangeQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Assignment history is append-only.")


class AssignmentChange(models.Model):
    """One row per (re)assignment, written in the transaction of the change itself."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="assignment_history")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name="from",
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name="to",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name="by",
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    note = models.TextField(blank=True)

    objects = AssignmentChangeQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "assignment change"
        constraints = [
            models.CheckConstraint(
                condition=Q(from_user__isnull=True, to_user__isnull=False)
                | Q(from_user__isnull=False, to_user__isnull=True)
                | (Q(from_user__isnull=False, to_user__isnull=False)
                   & ~Q(from_user=F("to_user"))),
                name="assignment_change_changes",
            ),
        ]

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise TypeError("Assignment history is append-only.")
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.from_user or 'nobody'} → {self.to_user or 'nobody'}"
