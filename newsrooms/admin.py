from django.contrib import admin, messages

from factcheck.admin_labels import LabelledTabularInline

from .keys import revoke
from .models import ApiKey, Newsroom


class ApiKeyInline(LabelledTabularInline):
    model = ApiKey
    extra = 0
    fields = ("prefix", "name", "scope", "user", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        # Keys are issued by `manage.py create_api_key`, which shows the secret once.
        return False


@admin.register(Newsroom)
class NewsroomAdmin(admin.ModelAdmin):
    list_display = ("name", "created_at")
    search_fields = ("name",)
    filter_horizontal = ("members",)
    inlines = [ApiKeyInline]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("prefix", "newsroom", "scope", "user", "last_used_at", "revoked_at")
    list_filter = ("scope", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("prefix", "newsroom__name", "name")
    readonly_fields = ("prefix", "newsroom", "scope", "user", "created_at", "last_used_at",
                       "revoked_at")
    fields = ("prefix", "newsroom", "name", "scope", "user", "rate_per_minute", "created_at",
              "last_used_at", "revoked_at")
    actions = ["revoke_keys"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Revoke the selected keys")
    def revoke_keys(self, request, queryset):
        for key in queryset.active():
            revoke(key)
        self.message_user(request, "Revoked.", messages.SUCCESS)
