"""The desk's panel on the claim page: follow, checklist, discussion.

Each button posts to its own small view here, which calls the action module
(desk.notifications, desk.checklists, desk.comments) and comes back to the
claim page. The panel sits below the claim's form (block `content`), so its
forms are real forms of their own and never submit the claim's fields.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import select_template
from django.urls import path, reverse

from claims.models import Claim

from . import checklists, comments, notifications
from .models import ChecklistTask, ChecklistTemplate, Comment


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Add a comment", max_length=comments.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="For the desk, not the claim's record. Write @username to notify someone.")


def _back(pk: int, anchor: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[pk]) + anchor)


class DeskPanel:
    """Mixed over the claims admin by desk.admin (factcheck.admin_extend)."""

    change_form_template = "admin/desk/claim_change_form.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/desk/comment/", view(self.comment_view),
                 name="claims_claim_desk_comment"),
            path("<int:pk>/desk/comment/<int:comment_id>/edit/", view(self.edit_comment_view),
                 name="claims_claim_desk_edit_comment"),
            path("<int:pk>/desk/follow/", view(self.follow_view),
                 name="claims_claim_desk_follow"),
            path("<int:pk>/desk/checklist/<int:task_id>/", view(self.tick_view),
                 name="claims_claim_desk_tick"),
            path("<int:pk>/desk/checklist/apply/", view(self.apply_view),
                 name="claims_claim_desk_apply"),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="",
                           obj=None):
        below = super().change_form_template
        context["desk_base_template"] = select_template(
            [below] if isinstance(below, str) else below or [
                f"admin/{self.opts.app_label}/{self.opts.model_name}/change_form.html",
                "admin/change_form.html",
            ]).template
        if obj is not None and obj.pk and notifications.can_read_the_desk(request.user):
            context["desk"] = {
                "following": notifications.is_following(obj, request.user),
                "followers": obj.followers.count(),
                "tasks": list(ChecklistTask.objects.filter(claim=obj).select_related("done_by")),
                "can_tick": checklists.can_tick(request.user),
                "templates": list(ChecklistTemplate.objects.all()),
                "thread": comments.thread(obj),
                "comment_form": CommentForm(auto_id="id_desk_%s"),
                "me": request.user.pk,
            }
        return super().render_change_form(request, context, add=add, change=change,
                                          form_url=form_url, obj=obj)

    # --- the small views behind the panel's buttons ---
    def _claim_for(self, request: HttpRequest, pk: int) -> Claim:
        if not notifications.can_read_the_desk(request.user):
            raise PermissionDenied
        return get_object_or_404(Claim, pk=pk)

    def comment_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        claim = self._claim_for(request, pk)
        try:
            comment = comments.post_comment(claim, request.user, request.POST.get("body", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return _back(pk, "#desk-discussion")
        return _back(pk, f"#comment-{comment.pk}")

    def edit_comment_view(self, request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self._claim_for(request, pk)
        comment = get_object_or_404(Comment, pk=comment_id, claim_id=pk)
        try:
            comments.edit_comment(comment, request.user, request.POST.get("body", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return _back(pk, f"#comment-{comment.pk}")

    def follow_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        claim = self._claim_for(request, pk)
        if request.POST.get("follow") == "1":
            notifications.follow(claim, request.user)
            messages.success(request, f"You follow claim #{pk}: its status and evidence "
                                      "changes come to your notifications.")
        else:
            notifications.unfollow(claim, request.user)
            messages.success(request, f"You no longer follow claim #{pk}.")
        return _back(pk, "#desk-panel")

    def tick_view(self, request: HttpRequest, pk: int, task_id: int) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self._claim_for(request, pk)
        task = get_object_or_404(ChecklistTask, pk=task_id, claim_id=pk)
        checklists.tick(task, request.POST.get("done") == "1", actor=request.user)
        return _back(pk, f"#task-{task.pk}")

    def apply_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        claim = self._claim_for(request, pk)
        template_id = request.POST.get("template", "")
        if not template_id.isdigit():
            messages.error(request, "Choose a checklist to add.")
            return _back(pk, "#desk-checklist")
        template = get_object_or_404(ChecklistTemplate, pk=int(template_id))
        added = checklists.apply_template(claim, template, actor=request.user)
        messages.success(request, f"{len(added)} task(s) from “{template}” added.")
        return _back(pk, "#desk-checklist")
