from django.contrib import admin

from .models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Read-only: what is waiting to run, how often it was sent, what was given up."""

    list_display = ("id", "task", "created_at", "due_at", "attempts", "gave_up_at")
    list_filter = ("task", ("gave_up_at", admin.EmptyFieldListFilter))
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
