from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from claims.models import Claim
from factcheck.history import AppendOnly, AppendOnlyQuerySet


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


class AssignmentChangeQuerySet(AppendOnlyQuerySet):
    # PostgreSQL refuses updates and deletes as well (desk/migrations/0003).
    what = "Assignment history"


class AssignmentChange(AppendOnly):
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


    def __str__(self) -> str:
        return f"{self.from_user or 'nobody'} → {self.to_user or 'nobody'}"


# --- Discussion -------------------------------------------------------------------------

class Comment(models.Model):
    """One message in a claim's discussion; what it says lives in its revisions.

    Separate from a status change's note and from the verdict's rationale: those
    are part of the claim's record, this is the desk talking about the work.
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="comments")
    # PROTECT: people who wrote on the desk are deactivated, not deleted.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"comment #{self.pk} on #{self.claim_id}"


class CommentRevisionQuerySet(AppendOnlyQuerySet):
    what = "Comment history"


class CommentRevision(AppendOnly):
    """What a comment said, each edit a new row: the thread keeps every version."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    body = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    at = models.DateTimeField(default=timezone.now)

    objects = CommentRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["comment_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "number"], name="comment_revision_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="comment_revision_from_1"),
            models.CheckConstraint(condition=~Q(body=""), name="comment_revision_says_something"),
        ]

    def __str__(self) -> str:
        return f"comment #{self.comment_id} v{self.number}"


# --- Checklists -------------------------------------------------------------------------

class ChecklistTemplate(models.Model):
    """A list of tasks the desk works through on a claim, edited in the admin."""

    name = models.CharField(max_length=120, unique=True)
    apply_to_new_claims = models.BooleanField(
        default=False, help_text="Give every claim created from now on these tasks.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ChecklistTemplateItem(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE,
                                 related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField("task", max_length=200)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "text"], name="checklist_item_once"),
        ]

    def __str__(self) -> str:
        return self.text


class ChecklistTaskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_at__isnull=True)


class ChecklistTask(models.Model):
    """One task on one claim; done when `done_at` is set, by `done_by`."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="checklist")
    text = models.CharField("task", max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    template = models.ForeignKey(ChecklistTemplate, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")

    objects = ChecklistTaskQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            # Applying a template twice gives no task twice.
            models.UniqueConstraint(fields=["claim", "text"], name="checklist_task_once"),
        ]
        indexes = [models.Index(fields=["claim"], condition=Q(done_at__isnull=True),
                                name="checklist_task_open")]

    def __str__(self) -> str:
        return self.text


class ChecklistTickQuerySet(AppendOnlyQuerySet):
    what = "Checklist history"


class ChecklistTick(AppendOnly):
    """Who ticked or unticked a task, and when: the task row shows only the latest."""

    task = models.ForeignKey(ChecklistTask, on_delete=models.CASCADE, related_name="ticks")
    done = models.BooleanField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    objects = ChecklistTickQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"task #{self.task_id} {'done' if self.done else 'reopened'}"


# --- Notifications ----------------------------------------------------------------------

class Follow(models.Model):
    """Someone who hears about a claim's status and evidence."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="followed_claims")
    since = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["claim", "user"], name="follow_once")]

    def __str__(self) -> str:
        return f"{self.user_id} follows #{self.claim_id}"


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", "assigned to you"
    MENTIONED = "mentioned", "mentioned"
    STATUS = "status", "status changed"
    EVIDENCE = "evidence", "evidence broke or changed"


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One thing one person should know, written in the transaction of what happened."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+", verbose_name="by")
    message = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "created_at"]),
                   models.Index(fields=["recipient"], condition=Q(read_at__isnull=True),
                                name="notification_unread")]
        constraints = [models.CheckConstraint(condition=Q(kind__in=NotificationKind.values),
                                              name="notification_kind_valid")]

    def __str__(self) -> str:
        return self.message
