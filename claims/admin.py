from collections import Counter

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from factcheck.admin_labels import LabelledTabularInline

from . import relations
from .admin_forms import (
    AttributionForm,
    AttributionFormSet,
    BulkStatusForm,
    ClaimAdminForm,
    EvidenceForm,
    EvidenceFormSet,
    RelationForm,
)
from .authoring import cite_outlet_links
from .freshness import refresh_claim_links
from .models import (
    SYMMETRIC_RELATIONS,
    Attribution,
    Claim,
    ClaimRelation,
    Evidence,
    PublicationChange,
    Quantity,
    Role,
    Status,
    StatusChange,
    Tag,
)
from .publication import set_published_many
from .workflow import change_status_many, move_to


class QuantityInline(admin.StackedInline):
    model = Quantity
    max_num = 1
    extra = 0
    fields = [("qualifier", "value", "lower", "upper"), ("counted", "unit", "as_said")]
    verbose_name = "figure"
    verbose_name_plural = "figure"


class AttributionInline(admin.StackedInline):
    """One block per attribution, three short lines: fits a laptop, every field labelled."""

    model = Attribution
    form = AttributionForm
    formset = AttributionFormSet
    extra = 1
    autocomplete_fields = ["source"]
    fields = [("source", "new_source_name", "new_source_kind"),
              ("role", "stance", "credibility", "stated_on"),
              ("phrase", "link_url"), "quote"]
    classes = ["attribution-rows"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source", "link")


class EvidenceInline(LabelledTabularInline):
    model = Evidence
    form = EvidenceForm
    formset = EvidenceFormSet
    extra = 1
    fields = ["link_url", "relation", "note", "link_health"]
    readonly_fields = ["link_health"]

    @admin.display(description="health")
    def link_health(self, obj: Evidence) -> str:
        if not obj.pk:
            return "—"
        return format_html('<span class="health health-{}">{}</span>',
                           obj.link.health, obj.link.get_health_display())

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("link")


class RelationInline(LabelledTabularInline):
    model = ClaimRelation
    form = RelationForm
    fk_name = "from_claim"
    extra = 0
    autocomplete_fields = ["to_claim"]
    verbose_name = "related claim"
    verbose_name_plural = "related claims (added from this claim)"


class PublicationHistoryInline(LabelledTabularInline):
    model = PublicationChange
    extra = 0
    can_delete = False
    fields = ["at", "published", "actor", "note"]
    readonly_fields = fields
    verbose_name_plural = "publication history"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class StatusHistoryInline(LabelledTabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    verbose_name = "status change"
    verbose_name_plural = "status history"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    form = ClaimAdminForm
    autocomplete_fields = ["tags"]
    list_display = [
        "headline", "status_badge", "claimants", "figure", "evidence_health", "language",
        "published", "updated_at",
    ]
    list_display_links = ["headline"]
    list_filter = [
        "status",
        ("attributions__source", admin.RelatedOnlyFieldListFilter),
        "attributions__source__kind",
        "attributions__source__reliability",
        "language",
        "made_on",
        "evidence__link__health",
        "published",
        ("tags", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = [
        "text", "summary_en", "attributions__quote", "attributions__phrase",
        "attributions__source__name", "attributions__source__aliases__alias",
    ]
    date_hierarchy = "created_at"
    list_per_page = 50
    inlines = [QuantityInline, AttributionInline, EvidenceInline, RelationInline,
               StatusHistoryInline, PublicationHistoryInline]
    readonly_fields = ["status_badge", "version", "reviewed_by", "reviewed_at", "created_by",
                       "created_at", "updated_at", "related_claims", "found_related"]
    fieldsets = [
        (None, {"fields": ["text", "language", "summary_en", "tags"]}),
        ("When", {"fields": [("made_on", "about_start", "about_end")]}),
        ("Workflow", {"fields": [
            "status_badge", ("new_status", "status_note"), "verdict_rationale",
            ("reviewed_by", "reviewed_at"), "published", "expected_version",
        ]}),
        ("Related", {"fields": ["related_claims", "found_related"]}),
        ("Record", {"fields": ["version", "created_by", "created_at", "updated_at"],
                    "classes": ["collapse"]}),
    ]
    actions = ["change_status_action", "publish", "unpublish", "refresh_links_now"]

    class Media:
        css = {"all": ["claims/admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).with_listing()

    # --- list columns (read from the prefetched rows: no query per claim) ---
    @admin.display(description="claim", ordering="summary_en")
    def headline(self, obj: Claim) -> str:
        # Two lines at most in the list (CSS clamps it); the whole text on hover.
        text = obj.summary_en or obj.text
        return format_html('<span class="claim-text" title="{}">{}</span>', text, text)

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj: Claim) -> str:
        return format_html('<span class="status status-{}">{}</span>', obj.status,
                           obj.get_status_display())

    @admin.display(description="claimant(s)")
    def claimants(self, obj: Claim) -> str:
        names = [a.source.name for a in obj.attributions.all() if a.role == Role.CLAIMANT]
        conduits = [a.source.name for a in obj.attributions.all() if a.role == Role.CONDUIT]
        text = ", ".join(names) or "—"
        return f"{text} (via {', '.join(conduits)})" if conduits else text

    @admin.display(description="figure")
    def figure(self, obj: Claim) -> str:
        try:
            return obj.quantity.in_words()
        except Quantity.DoesNotExist:
            return "—"

    @admin.display(description="evidence")
    def evidence_health(self, obj: Claim) -> str:
        counts = Counter(e.link.health for e in obj.evidence.all())
        if not counts:
            return "none"
        return format_html_join(
            " ", '<span class="health health-{}">{} {}</span>',
            ((health, n, health) for health, n in sorted(counts.items())),
        )

    @admin.display(description="related claims")
    def related_claims(self, obj: Claim) -> str:
        if not obj.pk:
            return "—"
        rows = [
            (r.get_kind_display(), r.to_claim) for r in
            obj.relations_out.select_related("to_claim")
        ] + [
            (r.get_kind_display() if r.kind in SYMMETRIC_RELATIONS else "Updated by", r.from_claim)
            for r in obj.relations_in.select_related("from_claim")
        ]
        if not rows:
            return "None yet."
        return format_html_join(
            mark_safe("<br>"), "{}: <a href='{}'>{}</a>",
            ((kind, reverse("admin:claims_claim_change", args=[c.pk]), str(c)[:120])
             for kind, c in rows),
        )

    @admin.display(description="found automatically")
    def found_related(self, obj: Claim) -> str:
        """Claims citing the same link, or the same source on the same figure and period."""
        found = relations.related_claims(obj) if obj.pk else []
        if not found:
            return "None."
        return format_html_join(
            mark_safe("<br>"), "<a href='{}'>{}</a> — {}{}",
            ((reverse("admin:claims_claim_change", args=[r.claim.pk]), str(r.claim)[:120],
              "; ".join(r.reasons), " — figures conflict" if r.conflicts else "")
             for r in found),
        )

    # --- saving ---
    def save_model(self, request, obj: Claim, form, change: bool) -> None:
        if change:
            obj.version = F("version") + 1
        else:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        obj.refresh_from_db(fields=["version"])

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        cite_outlet_links(form.instance)
        new_status = form.cleaned_data.get("new_status")
        if new_status:
            try:
                move_to(form.instance, new_status, actor=request.user,
                        note=form.cleaned_data.get("status_note", ""))
            except ValidationError as exc:
                # The forms checked the rules; this is someone else's move in between.
                messages.error(request, " ".join(exc.messages))
        if "published" in form.changed_data:
            set_published_many([form.instance], form.cleaned_data["published"],
                               actor=request.user, note=form.cleaned_data.get("status_note", ""))

    # --- bulk actions ---
    @admin.action(description="Change status of selected claims…", permissions=["change"])
    def change_status_action(self, request, queryset):
        form = BulkStatusForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done, refused = change_status_many(
                queryset, form.cleaned_data["new_status"], actor=request.user,
                note=form.cleaned_data["note"], rationale=form.cleaned_data["rationale"] or None,
            )
            if done:
                self.message_user(request, f"{len(done)} claim(s) moved to "
                                  f"“{Status(form.cleaned_data['new_status']).label}”.")
            for exc in refused:
                self.message_user(request, " ".join(exc.messages), messages.WARNING)
            return None
        return TemplateResponse(request, "admin/claims/claim/change_status.html", {
            **self.admin_site.each_context(request),
            "title": "Change the status of claims",
            "form": form,
            "claims": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })

    @admin.action(description="Refresh links now", permissions=["change"])
    def refresh_links_now(self, request, queryset) -> None:
        n = refresh_claim_links(queryset.values_list("pk", flat=True))
        self.message_user(request, f"{n} link(s) of {queryset.count()} claim(s) will be "
                                   "checked in a moment.")

    @admin.action(description="Publish selected claims", permissions=["change"])
    def publish(self, request, queryset) -> None:
        n = len(set_published_many(queryset, True, actor=request.user))
        self.message_user(request, f"{n} claim(s) published.")

    @admin.action(description="Unpublish selected claims", permissions=["change"])
    def unpublish(self, request, queryset) -> None:
        n = len(set_published_many(queryset, False, actor=request.user))
        self.message_user(request, f"{n} claim(s) unpublished.")


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    """The whole newsroom's status history, read-only."""

    list_display = ["at", "claim", "from_status", "to_status", "actor", "note"]
    list_filter = ["to_status", "from_status"]
    list_select_related = ["claim", "actor"]
    search_fields = ["note", "claim__text", "claim__summary_en"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
