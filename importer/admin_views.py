"""The admin's "Import article" page: paste or link an article, accept its proposed claims.

Step one extracts (nothing is written); step two creates the selected proposals,
their new sources, attributions and evidence in one transaction.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from similarity.attach import attach_chosen, flag_proposals
from sources.models import Source

from . import BadText, UnsupportedLanguage, extract
from .accept import create_claims
from .fetch import FetchError, NoMainText, UnsafeURL, fetch_article
from .forms import ArticleContextForm, ArticleForm, accepted_claims, bound_forms, initial_forms

TEMPLATE = "admin/importer/import_article.html"


def article_text(form: ArticleForm) -> tuple[str, str]:
    """(text, url) from the first step's form; fetching errors become form errors."""
    url = form.cleaned_data.get("url") or ""
    if not url:
        return form.cleaned_data["text"], ""
    try:
        article = fetch_article(url)
    except UnsafeURL as exc:
        form.add_error("url", f"This address is refused: {exc.reason}.")
    except FetchError as exc:
        form.add_error("url", f"The page could not be fetched ({exc.kind}): {exc.message}")
    except NoMainText as exc:
        form.add_error("url", str(exc))
    else:
        return article.text, url
    return "", url


@staff_member_required
def import_article(request: HttpRequest, admin_site=None) -> HttpResponse:
    if not request.user.has_perm("claims.add_claim"):
        raise PermissionDenied
    context = {**(admin_site.each_context(request) if admin_site else {}),
               "title": "Import article", "step": "input",
               "media": ArticleContextForm().media}
    if request.method == "POST" and request.POST.get("step") == "create":
        return _create(request, context)
    form = ArticleForm(request.POST or None)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        text, url = article_text(form)
        if not form.errors:
            try:
                result = extract(text, form.cleaned_data.get("language") or None)
            except (BadText, UnsupportedLanguage) as exc:
                form.add_error("text", str(exc))
            else:
                proposals, attributions = initial_forms(result)
                flag_proposals(proposals.forms)  # similar claims on file (similarity app)
                context.update(
                    step="review", extraction=result, text=text,
                    article=ArticleContextForm(initial={"language": result.language,
                                                        "url": url, "outlet": _outlet(url)}),
                    rows=list(zip(proposals.forms, attributions, result.claims, strict=True)),
                    proposals=proposals,
                )
    return render(request, TEMPLATE, context)


def _outlet(url: str) -> int | None:
    """The source whose homepage is on the article's site, if the tracker knows it."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    if not host:
        return None
    for source in Source.objects.exclude(homepage="").only("id", "homepage"):
        if (urlsplit(source.homepage).hostname or "").removeprefix("www.") == host:
            return source.pk
    return None


def _create(request: HttpRequest, context: dict) -> HttpResponse:
    article = ArticleContextForm(request.POST)
    proposals, attributions = bound_forms(request.POST)
    context.update(step="review", article=article, proposals=proposals,
                   rows=[(f, a, None) for f, a in zip(proposals.forms, attributions,
                                                      strict=True)])
    valid = article.is_valid() & proposals.is_valid() & all(a.is_valid() for a in attributions)
    if valid:
        accepted = accepted_claims(proposals, attributions)
        if not accepted:
            context["errors"] = ["Select at least one proposal."]
            return render(request, TEMPLATE, context)
        try:
            with transaction.atomic():
                claims = create_claims(
                    accepted, language=article.cleaned_data["language"],
                    article_url=article.cleaned_data.get("url") or "",
                    outlet=article.cleaned_data.get("outlet"), actor=request.user,
                )
                # Proposals the editor chose to attach to a claim on file (similarity app).
                attached = attach_chosen(request.POST, proposals.forms, claims)
        except ValidationError as exc:
            context["errors"] = [f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()] \
                if hasattr(exc, "error_dict") else exc.messages
        else:
            messages.success(request, f"Created {len(claims) - len(attached)} claim(s) from the "
                             "article" + (f"; attached {len(attached)} to claims on file: "
                             + ", ".join(f"#{c.pk}" for c, _ in attached) if attached else "")
                             + ".")
            return redirect(reverse("admin:claims_claim_changelist"))
    else:
        context.setdefault("errors", ["Some proposals need correcting (see below)."])
    return render(request, TEMPLATE, context)
