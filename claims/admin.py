from collections import Counter

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from . import relations
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
from .workflow import TransitionNotAllowed, allowed_transitions, change_status, change_status_many


class ClaimAdminForm(forms.ModelForm):
    # Two editors on one claim: the second save is refused instead of silently
    # overwriting the first (the same rule the API enforces with If-Match).
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    new_status = forms.ChoiceField(label="Move to", required=False)
    status_note = forms.CharField(
        label="Note for the history", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Not a model field here: publishing goes through claims.publication (history, tombstones).
    published = forms.BooleanField(required=False)

    class Meta:
        model = Claim
        fields = [
            "text", "language", "summary_en", "tags", "made_on", "about_start", "about_end",
            "verdict_rationale",
        ]
        # The admin lists `published` in its fieldsets; excluded here so the
        # model save never writes it behind the action's back.
        exclude = ["published"]  # noqa: DJ006  (fields is set too; this wins over the fieldsets)
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3, "cols": 100}),
            "summary_en": forms.Textarea(attrs={"rows": 2, "cols": 100}),
            "verdict_rationale": forms.Textarea(attrs={"rows": 3, "cols": 100}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.status
        self.fields["new_status"].choices = [("", f"— stay {Status(current).label.lower()} —")] + [
            (s, Status(s).label) for s in allowed_transitions(current)
        ]
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
        self.fields["published"].initial = self.instance.published

    def clean(self) -> dict:
        cleaned = super().clean()
        expected = cleaned.get("expected_version")
        if self.instance.pk and expected is not None:
            # The admin runs the whole change view in one transaction, so this
            # row lock holds until the save commits: no one can slip in between
            # this check and the write.
            current = (
                Claim.objects.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
            )
            if current and current[0] != expected:
                raise ValidationError(
                    "Someone else changed this claim while you were editing it. "
                    "Open it again to see their changes, then redo yours."
                )
        if cleaned.get("status_note") and not cleaned.get("new_status"):
            self.add_error("status_note", "A note goes with a status change: choose “Move to”.")
        return cleaned


class QuantityInline(admin.StackedInline):
    model = Quantity
    max_num = 1
    extra = 0
    fields = [("qualifier", "value", "lower", "upper"), ("counted", "unit", "as_said")]
    verbose_name = "figure"
    verbose_name_plural = "figure"


class AttributionInline(admin.TabularInline):
    model = Attribution
    extra = 1
    autocomplete_fields = ["source", "link"]
    fields = ["source", "role", "phrase", "quote", "stance", "stated_on", "link", "credibility"]
    formfield_overrides = {
        # Tabular rows stay one line high; the quote opens up when typed into.
        Attribution._meta.get_field("quote").__class__: {
            "widget": forms.Textarea(attrs={"rows": 1, "cols": 30})
        },
    }


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 1
    autocomplete_fields = ["link"]
    fields = ["link", "relation", "note", "link_health"]
    readonly_fields = ["link_health"]
    formfield_overrides = {
        Evidence._meta.get_field("note").__class__: {
            "widget": forms.Textarea(attrs={"rows": 1, "cols": 40})
        },
    }

    @admin.display(description="health")
    def link_health(self, obj: Evidence) -> str:
        if not obj.pk:
            return "—"
        return format_html('<span class="health health-{}">{}</span>',
                           obj.link.health, obj.link.get_health_display())

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("link")


class RelationForm(forms.ModelForm):
    class Meta:
        model = ClaimRelation
        fields = ["to_claim", "kind", "note"]

    def save(self, commit: bool = True) -> ClaimRelation:
        relation = super().save(commit=False)
        # Symmetric relations are stored once, lower id first (a CHECK enforces it).
        if relation.kind in SYMMETRIC_RELATIONS and relation.from_claim_id > relation.to_claim_id:
            relation.from_claim_id, relation.to_claim_id = (
                relation.to_claim_id, relation.from_claim_id)
        if commit:
            relation.save()
        return relation


class RelationInline(admin.TabularInline):
    model = ClaimRelation
    form = RelationForm
    fk_name = "from_claim"
    extra = 0
    autocomplete_fields = ["to_claim"]
    verbose_name = "related claim"
    verbose_name_plural = "related claims (added from this claim)"


class PublicationHistoryInline(admin.TabularInline):
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


class StatusHistoryInline(admin.TabularInline):
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


class BulkStatusForm(forms.Form):
    new_status = forms.ChoiceField(label="Move to", choices=Status.choices)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    rationale = forms.CharField(
        label="Verdict rationale (optional)", required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


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
        text = obj.summary_en or obj.text
        return text if len(text) <= 140 else text[:139] + "…"

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
            format_html("<br>"), "{}: <a href='{}'>{}</a>",
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
        new_status = form.cleaned_data.get("new_status")
        if new_status:
            try:
                change_status(form.instance, new_status, actor=request.user,
                              note=form.cleaned_data.get("status_note", ""))
            except TransitionNotAllowed as exc:
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
