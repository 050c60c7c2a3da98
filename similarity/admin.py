"""The claims admin, extended: a Similar claims panel, a duplicate flag on the add form,
the editors' one-click answers, and the figure tracker.

The claims admin knows nothing of this app: `extend(Claim, SimilarClaimsAdmin)`
re-registers it with this mixin on top (factcheck/admin_extend.py). The page
layout stays claims' own: the change form template extends whatever template
the admin below uses and only fills `form_top` and `after_related_objects`.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import select_template
from django.urls import path, reverse

from claims.models import Claim
from factcheck.admin_extend import extend

from . import attach, embedding, finder, tracker
from .models import NotRelated

DECISION = "_similar_decision"
PANEL_LIMIT = 10


class SimilarClaimsAdmin:
    change_form_template = "admin/similarity/claim_change_form.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/similar/answer/", view(self.answer_view),
                 name="claims_claim_similar_answer"),
            path("figures/", view(self.figures_view), name="claims_claim_figures"),
            *super().get_urls(),
        ]

    # --- the change page panel and the add form flag ---
    def render_change_form(self, request, context, add=False, change=False, form_url="",
                           obj=None):
        # The page stays the admin's below this mixin: our template extends it.
        below = super().change_form_template
        context["similarity_base_template"] = select_template(
            [below] if isinstance(below, str) else below or [
                f"admin/{self.opts.app_label}/{self.opts.model_name}/change_form.html",
                "admin/change_form.html",
            ]).template
        context["similarity_unavailable"] = embedding.availability()
        if obj is not None and obj.pk and not context["similarity_unavailable"]:
            try:
                matches = finder.similar_to_claim(obj, PANEL_LIMIT)
            except embedding.ModelUnavailable as exc:
                context["similarity_unavailable"] = str(exc)
            else:
                claims = Claim.objects.select_related("quantity").in_bulk(
                    [m.claim_id for m in matches])
                context["similar_claims"] = [(m, claims[m.claim_id]) for m in matches
                                             if m.claim_id in claims]
        context["similar_flag"] = getattr(request, "_similar_flag", None)
        context["similar_decision"] = DECISION
        context["can_answer"] = request.user.has_perm("claims.add_claimrelation")
        return super().render_change_form(request, context, add=add, change=change,
                                          form_url=form_url, obj=obj)

    def add_view(self, request: HttpRequest, form_url="", extra_context=None):
        if request.method == "POST" and not request.POST.get(DECISION):
            flagged = attach.likely_same(request.POST.get("text", ""))
            if flagged:
                request._similar_flag = flagged
        return super().add_view(request, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None and getattr(request, "_similar_flag", None):
            class FlaggedForm(form):
                def clean(self):
                    super().clean()
                    raise ValidationError(
                        "This claim looks like one already on file (see “Looks like a claim "
                        "on file” above): attach this attribution and evidence to it, or "
                        "create a new claim anyway.")
            return FlaggedForm
        return form

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        decision = request.POST.get(DECISION, "")
        if not change and decision.startswith("attach:"):
            existing = get_object_or_404(Claim, pk=int(decision.split(":", 1)[1]))
            moved = attach.attach_instead(form.instance, existing)
            request._similar_attached = (existing, moved)

    def response_add(self, request, obj, post_url_continue=None):
        attached = getattr(request, "_similar_attached", None)
        if attached:
            existing, moved = attached
            self.message_user(
                request, f"No new claim: {moved['attributions']} attribution(s) and "
                f"{moved['evidence']} evidence link(s) attached to claim #{existing.pk}.",
                messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:claims_claim_change",
                                                args=[existing.pk]))
        return super().response_add(request, obj, post_url_continue)

    # --- one-click answers ---
    def answer_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[pk]))
        if not request.user.has_perm("claims.add_claimrelation"):
            raise PermissionDenied
        claim = get_object_or_404(Claim, pk=pk)
        verdict, _, other_id = request.POST.get("similar_answer", "").partition(":")
        if verdict not in finder.Answer.CHOICES or not other_id.isdigit():
            messages.error(request, "Choose same as, conflicts with or not related.")
        else:
            other = get_object_or_404(Claim, pk=int(other_id))
            finder.answer(claim, other, verdict, actor=request.user)
            label = verdict.replace("_", " ")
            self.message_user(request, f"Claim #{claim.pk} {label} #{other.pk}: recorded.",
                              messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[pk])
                                    + "#similar-claims")

    # --- the figure tracker ---
    def figures_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        counted = request.GET.get("counted", "").strip()
        context = {**self.admin_site.each_context(request), "opts": self.opts,
                   "title": f"Figure tracker: {counted}" if counted else "Figure tracker",
                   "counted": counted}
        if counted:
            found = tracker.estimates(counted)
            context.update(estimates=found, chart=tracker.chart(found, counted))
        else:
            context["things"] = tracker.counted_things()
        return render(request, "admin/similarity/figure_tracker.html", context)


extend(Claim, SimilarClaimsAdmin)


@admin.register(NotRelated)
class NotRelatedAdmin(admin.ModelAdmin):
    list_display = ["from_claim", "to_claim", "decided_by", "decided_at"]
    raw_id_fields = ["from_claim", "to_claim"]
    readonly_fields = ["decided_by", "decided_at"]
