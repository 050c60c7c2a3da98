from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from factcheck.admin_labels import LabelledTabularInline

from .links import get_or_create_link, normalize_url
from .models import Link, LinkCheck, LinkHealth, Source, SourceAlias
from .registry import ensure_name_alias
from .scheduling import acknowledge_change
from .tasks import request_check
from .text import fold

RELIABILITY_HELP = (
    "Admiralty grid, first axis: how reliable this source has been over time — A completely, "
    "B usually, C fairly, D not usually reliable, E unreliable, F cannot be judged. The "
    "second axis (1–6, how credible one piece of information is) is set per claim, on each "
    "attribution. See docs/editors.md."
)


class AliasFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        seen: dict[str, str] = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            alias = form.cleaned_data.get("alias")
            if not alias:
                continue
            key = fold(alias)
            if key in seen:
                form.add_error("alias", f"“{alias}” is the same alias as “{seen[key]}”.")
            seen[key] = alias


class SourceAliasInline(LabelledTabularInline):
    model = SourceAlias
    formset = AliasFormSet
    extra = 1
    fields = ["alias"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "reliability", "parent", "claim_count", "updated_at"]
    list_filter = ["kind", "reliability", "country"]
    search_fields = ["name", "aliases__alias", "aliases__folded"]
    autocomplete_fields = ["parent"]
    ordering = ["name"]
    inlines = [SourceAliasInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ["claims_by_role", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "country", "parent", "homepage"]}),
        ("Reliability", {"fields": ["reliability", "reliability_rationale"]}),
        (None, {"fields": ["notes"]}),
        ("Claims", {"fields": ["claims_by_role"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "reliability":
            field.help_text = RELIABILITY_HELP
        return field

    def get_queryset(self, request):
        return (
            super().get_queryset(request)
            .select_related("parent")
            .annotate(claim_count=Count("attributions__claim", distinct=True))
        )

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, obj: Source) -> int:
        return obj.claim_count

    @admin.display(description="Claims by role")
    def claims_by_role(self, obj: Source) -> str:
        if obj.pk is None:
            return "—"
        # The attribution model lives in claims, which sources must not import;
        # the reverse relation gives the rows without naming the model.
        rows = (
            obj.attributions.select_related("claim")
            .order_by("role", "-claim__updated_at")[:300]
        )
        if not rows:
            return "No claims yet."
        return format_html(
            "<table><thead><tr><th>Role</th><th>Claim</th><th>Status</th><th>Phrase</th></tr>"
            "</thead><tbody>{}</tbody></table>",
            format_html_join(
                "",
                "<tr><td>{}</td><td><a href='{}'>{}</a></td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        a.get_role_display(),
                        reverse("admin:claims_claim_change", args=[a.claim_id]),
                        str(a.claim)[:120],
                        a.claim.get_status_display(),
                        a.phrase,
                    )
                    for a in rows
                ),
            ),
        )

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        ensure_name_alias(form.instance)


class LinkForm(forms.ModelForm):
    """Adds a link. The duplicate check here gives the editor a message; the row itself
    comes from `get_or_create_link` (LinkAdmin.save_model), safe against a race."""

    class Meta:
        model = Link
        fields = ["url"]

    def clean_url(self) -> str:
        url = normalize_url(self.cleaned_data["url"])
        existing = Link.objects.filter(url=url).exclude(pk=self.instance.pk).first()
        if existing:
            raise ValidationError(format_html(
                'This link is already known as <a href="{}">#{}</a>: {}',
                reverse("admin:sources_link_change", args=[existing.pk]), existing.pk,
                existing.url))
        return url


class LinkCheckInline(LabelledTabularInline):
    """The link's life, read back: one row per real check, newest first (last 180 days)."""

    model = LinkCheck
    extra = 0
    can_delete = False
    ordering = ["-checked_at", "-id"]
    fields = readonly_fields = [
        "checked_at", "outcome", "http_status", "latency_ms", "method", "redirect_count",
        "final_url", "changed", "error",
    ]
    verbose_name_plural = "check history (last 180 days)"

    def get_queryset(self, request):
        since = timezone.now() - timedelta(days=180)
        return super().get_queryset(request).filter(checked_at__gte=since)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class OutcomeFilter(admin.AllValuesFieldListFilter):
    """The last outcome's values, the blank one (never checked) named: a filter link
    with no text cannot be read or followed by a screen reader (WCAG 2.4.4)."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            display = str(choice["display"])
            if not display.strip() or display.startswith(" ("):  # blank, or blank (count)
                choice = {**choice, "display": f"none yet (never checked){display}"}
            yield choice


@admin.register(Link)
class LinkAdmin(admin.ModelAdmin):
    form = LinkForm
    list_display = [
        "url", "host", "health_badge", "http_status", "last_outcome", "last_checked_at",
        "next_check_at",
    ]
    list_filter = ["health", ("last_outcome", OutcomeFilter), "last_checked_at"]
    search_fields = ["url", "title", "final_url"]
    readonly_fields = [
        "host", "health", "last_outcome", "last_error", "http_status", "final_url",
        "redirects", "title", "canonical_url", "site_name", "published_on", "page_language",
        "content_hash", "content_changed_at", "archive_link", "archived_at", "blocked_reason",
        "consecutive_failures", "last_checked_at", "next_check_at", "created_at", "updated_at",
    ]
    actions = ["refresh_now", "mark_changes_reviewed"]

    def get_inlines(self, request, obj=None) -> list:
        # A link being added has no checks yet; the add form stays one field.
        return [LinkCheckInline] if obj else []

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        # A link is its address: its check history, archived copy and the claims that
        # cite it all belong to that URL. Another address is another link.
        return [*self.readonly_fields, "url"] if obj else self.readonly_fields

    def save_model(self, request, obj: Link, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # The one way a Link comes to exist (sources/links.py). Another editor may add
        # the same address between this form's duplicate check and this save: the
        # editor then gets that row, not an IntegrityError.
        link, created = get_or_create_link(obj.url)
        obj.pk = link.pk
        obj._state.adding = False
        obj.refresh_from_db()
        if not created:
            self.message_user(request, f"Someone added {link.url} a moment ago; "
                              "this is that link.", messages.WARNING)

    @admin.action(description="Refresh selected links now", permissions=["change"])
    def refresh_now(self, request, queryset) -> None:
        n = request_check(queryset.values_list("pk", flat=True))
        self.message_user(request, f"{n} link(s) will be checked in a moment.")

    @admin.action(description="Mark page changes as reviewed", permissions=["change"])
    def mark_changes_reviewed(self, request, queryset) -> None:
        links = list(queryset.filter(health=LinkHealth.CHANGED))
        for link in links:
            acknowledge_change(link)
        self.message_user(request, f"{len(links)} changed link(s) marked as reviewed.")

    @admin.display(description="redirects")
    def redirects(self, obj: Link) -> str:
        if not obj.redirect_chain:
            return "—"
        return format_html_join(
            mark_safe("<br>"), "{} {} → {}",
            ((hop.get("status"), hop.get("url"), hop.get("location"))
             for hop in obj.redirect_chain),
        )

    @admin.display(description="health", ordering="health")
    def health_badge(self, obj: Link) -> str:
        return format_html('<span class="health health-{}">{}</span>', obj.health,
                           obj.get_health_display())

    @admin.display(description="archived copy")
    def archive_link(self, obj: Link) -> str:
        if not obj.archive_url:
            return "—"
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', obj.archive_url,
                           obj.archive_url)
