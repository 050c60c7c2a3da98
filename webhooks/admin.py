"""The desk's view of webhooks: endpoints with their delivery log, and Replay.

Every change goes through webhooks/endpoints.py, as the API's do.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from factcheck.admin_labels import LabelledTabularInline

from . import endpoints
from .models import Attempt, Delivery, DeliveryState, Endpoint, EventType


class EndpointForm(forms.ModelForm):
    # Judged by the SSRF guard (clean_url), not by URLField's own idea of a URL.
    url = forms.CharField(max_length=2048, widget=forms.URLInput(attrs={"size": 80}))
    events = forms.MultipleChoiceField(choices=EventType.choices,
                                       widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Endpoint
        fields = ["newsroom", "url", "description", "events", "active"]

    def clean_url(self) -> str:
        try:
            return endpoints.check_endpoint_url(self.cleaned_data.get("url", ""))
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["url"]) from None


class DeliveryInline(LabelledTabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["webhook_id", "event_type", "state", "attempts", "last_status_code",
              "last_error", "next_attempt_at", "delivered_at", "replay_link"]
    readonly_fields = fields
    ordering = ["-id"]
    verbose_name_plural = "Delivery log (newest first; open one for its attempts and Replay)"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event")

    @admin.display(description="event")
    def event_type(self, obj: Delivery) -> str:
        return obj.event.type

    @admin.display(description="")
    def replay_link(self, obj: Delivery) -> str:
        return format_html('<a href="{}">Replay…</a>',
                           reverse("admin:webhooks_delivery_change", args=[obj.pk]))


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ["url", "newsroom", "active", "disabled_reason", "event_list",
                    "consecutive_failures", "updated_at"]
    list_filter = ["active", "newsroom"]
    search_fields = ["url", "newsroom__name", "description"]
    readonly_fields = ["secret", "previous_secret_until", "disabled_at", "disabled_reason",
                       "consecutive_failures", "failing_since", "created_at", "updated_at"]
    inlines = [DeliveryInline]
    actions = ["rotate_secrets", "replay_failed"]

    @admin.display(description="events")
    def event_list(self, obj: Endpoint) -> str:
        return ", ".join(obj.events or [])

    def save_model(self, request, obj: Endpoint, form, change: bool) -> None:
        data = form.cleaned_data
        if change:
            endpoints.update(obj, url=data["url"], events=data["events"],
                             description=data.get("description", ""),
                             active=data.get("active", True))
        else:
            created = endpoints.register(data["newsroom"], url=data["url"],
                                         events=data["events"],
                                         description=data.get("description", ""))
            obj.pk = created.pk
            obj.refresh_from_db()

    @admin.action(description="Rotate the signing secret (old one valid 24 h more)")
    def rotate_secrets(self, request, queryset) -> None:
        for endpoint in queryset:
            endpoints.rotate_secret(endpoint)
        self.message_user(request, "New secrets made; give them to the newsrooms.",
                          messages.SUCCESS)

    @admin.action(description="Replay the failed deliveries of the selected endpoints")
    def replay_failed(self, request, queryset) -> None:
        n = 0
        for delivery in Delivery.objects.filter(endpoint__in=queryset,
                                                state=DeliveryState.FAILED):
            endpoints.replay(delivery)
            n += 1
        self.message_user(request, f"{n} deliveries queued again.", messages.SUCCESS)


class AttemptInline(LabelledTabularInline):
    model = Attempt
    extra = 0
    can_delete = False
    fields = ["number", "at", "status_code", "duration_ms", "succeeded", "error",
              "response_excerpt"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["webhook_id", "endpoint", "event", "state", "attempts",
                    "last_status_code", "next_attempt_at", "delivered_at"]
    list_filter = ["state", "event__type"]
    search_fields = ["webhook_id", "endpoint__url"]
    list_select_related = ["endpoint__newsroom", "event"]
    fields = ["webhook_id", "endpoint", "event", "payload", "state", "attempts",
              "next_attempt_at", "retry_until", "last_status_code", "last_error",
              "delivered_at", "created_at", "replay_button"]
    readonly_fields = fields
    inlines = [AttemptInline]
    actions = ["replay_deliveries"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description="payload")
    def payload(self, obj: Delivery):
        import json

        return format_html("<pre>{}</pre>", json.dumps(obj.event.payload, indent=2,
                                                       ensure_ascii=False))

    @admin.display(description="")
    def replay_button(self, obj: Delivery):
        if obj.pk is None:
            return ""
        # A submit button of the change form itself (its CSRF token included),
        # posting to the replay view: a form inside the form would be invalid HTML.
        return format_html(
            '<button type="submit" class="button" formmethod="post" formaction="{}" '
            'name="_replay">Replay</button> <span class="help">Sends it again now, '
            'same webhook-id{}.</span>',
            reverse("admin:webhooks_delivery_replay", args=[obj.pk]),
            "" if obj.endpoint.active else "; the endpoint is disabled, so once it is enabled",
        )

    def get_urls(self):
        return [path("<int:pk>/replay/", self.admin_site.admin_view(self.replay_view),
                     name="webhooks_delivery_replay"), *super().get_urls()]

    def replay_view(self, request: HttpRequest, pk: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        delivery = get_object_or_404(Delivery, pk=pk)
        endpoints.replay(delivery)
        self.message_user(request, f"{delivery.webhook_id} queued again.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:webhooks_delivery_change", args=[pk]))

    @admin.action(description="Replay the selected deliveries")
    def replay_deliveries(self, request, queryset) -> None:
        for delivery in queryset:
            endpoints.replay(delivery)
        self.message_user(request, f"{queryset.count()} deliveries queued again.",
                          messages.SUCCESS)
