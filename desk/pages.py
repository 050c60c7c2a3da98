"""The desk's own admin pages: checklist templates and each person's notifications."""

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from . import checklists, notifications
from .models import ChecklistTemplate, ChecklistTemplateItem, Notification


class ChecklistTemplateItemInline(admin.StackedInline):
    # Stacked, not tabular: every field keeps its own label (Django ticket #36509).
    model = ChecklistTemplateItem
    fields = [("position", "text")]
    extra = 3

    # The items are part of the template: whoever may edit it may edit them.
    def has_view_permission(self, request, obj=None) -> bool:
        return notifications.can_read_the_desk(request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return checklists.can_tick(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return checklists.can_tick(request.user)

    has_delete_permission = has_change_permission


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    """Editors keep the desk's checklists; viewers may read them."""

    list_display = ["name", "apply_to_new_claims", "task_count"]
    inlines = [ChecklistTemplateItemInline]

    @admin.display(description="tasks")
    def task_count(self, obj) -> int:
        return obj.items.count()

    def has_view_permission(self, request, obj=None) -> bool:
        return notifications.can_read_the_desk(request.user)

    def has_module_permission(self, request) -> bool:
        return notifications.can_read_the_desk(request.user)

    def has_add_permission(self, request) -> bool:
        return checklists.can_tick(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return checklists.can_tick(request.user)

    has_delete_permission = has_change_permission


class UnreadFilter(admin.SimpleListFilter):
    title = "read"
    parameter_name = "unread"

    def lookups(self, request, model_admin):
        return [("1", "Unread"), ("0", "Read")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(read_at__isnull=True)
        if self.value() == "0":
            return queryset.filter(read_at__isnull=False)
        return queryset


@admin.action(description="Mark selected as read")
def mark_selected_read(modeladmin, request, queryset) -> None:
    done = notifications.mark_read(request.user, queryset.values_list("pk", flat=True))
    messages.success(request, f"{done} notification(s) marked read.")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Your notifications, and only yours: everyone who reads the desk has this page."""

    change_list_template = "admin/desk/notification/change_list.html"
    list_display = ["when", "kind", "about", "read"]
    list_display_links = None
    list_filter = [UnreadFilter, "kind"]
    actions = [mark_selected_read]
    list_per_page = 50

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": "Your notifications",
                                                 **(extra_context or {})})

    def get_queryset(self, request):
        return (super().get_queryset(request).filter(recipient=request.user)
                .select_related("claim", "actor"))

    @admin.display(description="when", ordering="created_at")
    def when(self, obj) -> str:
        return format_html('<time datetime="{}">{}</time>', obj.created_at.isoformat(),
                           obj.created_at.strftime("%d %b %Y %H:%M"))

    @admin.display(description="what")
    def about(self, obj) -> str:
        if obj.claim_id is None:
            return obj.message
        url = reverse("admin:desk_notification_open", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.message)

    @admin.display(description="read", boolean=True)
    def read(self, obj) -> bool:
        return obj.read_at is not None

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/open/", view(self.open_view), name="desk_notification_open"),
            path("read-all/", view(self.read_all_view), name="desk_notification_read_all"),
            *super().get_urls(),
        ]

    def open_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Go to what the notification is about, marking it read."""
        note = get_object_or_404(Notification, pk=pk, recipient=request.user)
        notifications.mark_read(request.user, [note.pk])
        if note.claim_id is None:
            return HttpResponseRedirect(reverse("admin:desk_notification_changelist"))
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[note.claim_id]))

    def read_all_view(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        done = notifications.mark_read(request.user)
        messages.success(request, f"{done} notification(s) marked read.")
        return HttpResponseRedirect(reverse("admin:desk_notification_changelist"))

    def has_view_permission(self, request, obj=None) -> bool:
        return notifications.can_read_the_desk(request.user) and (
            obj is None or obj.recipient_id == request.user.pk)

    def has_module_permission(self, request) -> bool:
        return notifications.can_read_the_desk(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
