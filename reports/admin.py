from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .models import ReportSnapshot


@admin.register(ReportSnapshot)
class ReportSnapshotAdmin(admin.ModelAdmin):
    """Snapshots are written by the weekly task only; here they are read."""

    list_display = ["week", "taken_at", "open_report"]
    date_hierarchy = "week"
    fields = ["week", "taken_at", "open_report"]
    readonly_fields = fields

    @admin.display(description="Report")
    def open_report(self, obj: ReportSnapshot) -> str:
        return format_html('<a href="{}?snapshot={}">Read the reports as of this week</a>',
                           reverse("reports:page"), obj.pk)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
