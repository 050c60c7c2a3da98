"""The desk on the claims admin: "My queue", "Unassigned", who has each claim, and
assigning from the list or the claim page, every change through desk.assignment."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from claims.models import OPEN_STATUSES
from factcheck.admin_labels import LabelledTabularInline

from .assignment import assign, editors
from .models import Assignment, AssignmentChange

QUEUE = "queue"


class QueueFilter(admin.SimpleListFilter):
    title = "desk"
    parameter_name = QUEUE

    def lookups(self, request, model_admin):
        return [("mine", "My queue (open, oldest first)"),
                ("unassigned", "Unassigned (open, oldest first)"),
                ("assigned", "Assigned to anyone")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "mine":
            return queryset.filter(assignment__assignee=request.user, status__in=OPEN_STATUSES)
        if value == "unassigned":
            return queryset.filter(status__in=OPEN_STATUSES).exclude(
                assignment__assignee__isnull=False)
        if value == "assigned":
            return queryset.filter(assignment__assignee__isnull=False)
        return queryset


class AssignmentForm(forms.ModelForm):
    note = forms.CharField(label="note", required=False, max_length=500)

    class Meta:
        model = Assignment
        fields = ["assignee"]
        labels = {"assignee": "assigned to"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = get_user_model().objects.filter(
            pk__in=[u.pk for u in editors()])
        self.fields["assignee"].empty_label = "— nobody (unassigned) —"


class AssignmentFormSet(forms.BaseInlineFormSet):
    actor = None

    def save(self, commit: bool = True) -> list:
        # Not a plain row save: the action module locks, checks and writes history.
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        for form in self.forms:
            if form.has_changed() and form.cleaned_data:
                assign(self.instance, form.cleaned_data.get("assignee"), actor=self.actor,
                       note=form.cleaned_data.get("note", ""))
        return []


class AssignmentInline(admin.StackedInline):
    model = Assignment
    form = AssignmentForm
    formset = AssignmentFormSet
    max_num = 1
    extra = 1
    can_delete = False
    fields = [("assignee", "note")]
    verbose_name = verbose_name_plural = "desk assignment"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"actor": request.user})

    def has_add_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("claims.change_claim")

    has_change_permission = has_add_permission

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("claims.view_claim")


class AssignmentHistoryInline(LabelledTabularInline):
    model = AssignmentChange
    extra = 0
    can_delete = False
    fields = readonly_fields = ["at", "from_user", "to_user", "actor", "note"]
    verbose_name_plural = "assignment history"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("from_user", "to_user", "actor")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("claims.view_claim")


def _assign_many(request, queryset, assignee) -> None:
    done = 0
    for claim in queryset:
        try:
            if assign(claim, assignee, actor=request.user):
                done += 1
        except ValidationError as exc:
            messages.warning(request, " ".join(exc.messages))
            break  # the same refusal would follow for every other claim
    who = assignee.get_username() if assignee else "nobody"
    messages.success(request, f"{done} claim(s) assigned to {who}.")


def assign_to_me(modeladmin, request, queryset) -> None:
    _assign_many(request, queryset, request.user)


def release(modeladmin, request, queryset) -> None:
    _assign_many(request, queryset, None)


class DeskQueues:
    """Mixed over the claims admin by desk.admin (factcheck.admin_extend)."""

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("assignment__assignee")

    def get_list_filter(self, request):
        return [QueueFilter, *super().get_list_filter(request)]

    def get_list_display(self, request):
        return [*super().get_list_display(request), "assigned_to"]

    def get_ordering(self, request):
        if request.GET.get(QUEUE) in ("mine", "unassigned"):
            return ["created_at", "id"]  # a queue is worked oldest first
        return super().get_ordering(request)

    def get_inlines(self, request, obj):
        return [AssignmentInline, *super().get_inlines(request, obj), AssignmentHistoryInline]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if request.user.has_perm("claims.change_claim"):
            actions["assign_to_me"] = (assign_to_me, "assign_to_me",
                                       "Assign selected claims to me")
            actions["release"] = (release, "release", "Unassign selected claims")
        return actions

    @admin.display(description="assigned to", ordering="assignment__assignee__username")
    def assigned_to(self, obj) -> str:
        try:
            assignee = obj.assignment.assignee
        except Assignment.DoesNotExist:
            return "—"
        return assignee.get_username() if assignee else "—"
