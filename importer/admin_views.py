"""The admin's "Import article" page: paste or link an article, accept its proposed claims.

Step one extracts (nothing is written); step two creates the selected proposals,
their new sources, attributions and evidence in one transaction.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from similarity.attach import attach_chosen, flag_proposals

from . import BadText, UnsupportedLanguage, extract
from .accept import file_once
from .duplicates import on_file
from .fetch import Article, FetchError, NoMainText, UnsafeURL, fetch_article
from .forms import (
    ArticleContextForm,
    ArticleForm,
    accepted_claims,
    bound_forms,
    initial_forms,
    missing_claimant,
    name_fields,
    selected_indexes,
)
from .languages import LANGUAGES
from .outlets import proposed_outlet

TEMPLATE = "admin/importer/import_article.html"


def article_text(form: ArticleForm) -> tuple[str, str, Article | None]:
    """(text, url, fetched page) from the first step's form; fetch errors become form errors.

    Text and address together: the pasted text is read, the page is fetched only for its
    date and site (a page that does not answer then costs nothing but the date); an
    address the SSRF guard refuses is refused either way.
    """
    text = form.cleaned_data.get("text") or ""
    url = form.cleaned_data.get("url") or ""
    if not url:
        return text, "", None
    try:
        article = fetch_article(url)
    except UnsafeURL as exc:
        form.add_error("url", f"This address is refused: {exc.reason}.")
    except FetchError as exc:
        if text.strip():
            return text, url, None
        form.add_error("url", f"The page could not be fetched ({exc.kind}): {exc.message}")
    except NoMainText as exc:
        if text.strip():
            return text, url, None
        form.add_error("url", str(exc))
    else:
        return (text if text.strip() else article.text), url, article
    return "", url, None


@staff_member_required
def import_article(request: HttpRequest, admin_site=None) -> HttpResponse:
    if not request.user.has_perm("claims.add_claim"):
        raise PermissionDenied
    context = {**(admin_site.each_context(request) if admin_site else {}),
               "title": "Import article", "step": "input",
               "languages": ", ".join(lang.name for lang in LANGUAGES.values()),
               "media": ArticleContextForm().media}
    if request.method == "POST" and request.POST.get("step") == "create":
        return _create(request, context)
    form = ArticleForm(request.POST or None)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        text, url, page = article_text(form)
        if not form.errors:
            try:
                result = extract(text, form.cleaned_data.get("language") or None, url=url)
            except (BadText, UnsupportedLanguage) as exc:
                form.add_error("text", str(exc))
            else:
                proposals, attributions = initial_forms(result)
                name_fields(proposals, attributions)
                flag_proposals(proposals.forms)  # similar claims on file (similarity app)
                for proposal, found in zip(proposals.forms, on_file(result.claims),
                                           strict=True):
                    proposal.on_file = found
                    if found:  # already on file: not created again unless ticked
                        proposal.initial["selected"] = False
                        proposal.initial["file_again"] = True
                context.update(
                    step="review", extraction=result, text=text,
                    article=ArticleContextForm(initial={
                        "language": result.language, "url": url,
                        "outlet": proposed_outlet(result, url),
                        "made_on": page.published if page else None}),
                    rows=list(zip(proposals.forms, attributions, result.claims, strict=True)),
                    proposals=proposals,
                )
    return render(request, TEMPLATE, context)


def _create(request: HttpRequest, context: dict) -> HttpResponse:
    article = ArticleContextForm(request.POST)
    proposals, attributions = bound_forms(request.POST)
    name_fields(proposals, attributions)
    context.update(step="review", article=article, proposals=proposals,
                   rows=[(f, a, None) for f, a in zip(proposals.forms, attributions,
                                                      strict=True)])
    valid = article.is_valid() & proposals.is_valid() & all(a.is_valid() for a in attributions)
    if valid:
        if missing_claimant(proposals, attributions):
            context["errors"] = ["Some selected proposals have no claimant (see below): "
                                 "nothing was created."]
            return render(request, TEMPLATE, context)
        accepted = accepted_claims(proposals, attributions)
        if not accepted:
            context["errors"] = ["Select at least one proposal."]
            return render(request, TEMPLATE, context)
        try:
            # The API's accept action (importer.accept.file_once): the accept lock, the
            # repeats check, one transaction, a bounded number of queries.
            index = selected_indexes(proposals)  # accepted claim -> its proposal
            with transaction.atomic():
                filed = file_once(
                    accepted,
                    again=[bool(proposals.forms[i].cleaned_data.get("file_again"))
                           for i in index],
                    language=article.cleaned_data["language"],
                    article_url=article.cleaned_data.get("url") or "",
                    outlet=article.cleaned_data.get("outlet"),
                    made_on=article.cleaned_data.get("made_on"), actor=request.user,
                )
                # Proposals the editor chose to attach to a claim on file (similarity app).
                attached = attach_chosen(request.POST, [
                    (index[i], claim) for i, claim in zip(filed.created_indexes,
                                                          filed.created, strict=True)])
        except ValidationError as exc:
            context["errors"] = [f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()] \
                if hasattr(exc, "error_dict") else exc.messages
        else:
            messages.success(request, _done(filed, attached))
            return redirect(reverse("admin:claims_claim_changelist"))
    else:
        context.setdefault("errors", ["Some proposals need correcting (see below)."])
    return render(request, TEMPLATE, context)


def _done(filed, attached) -> str:
    """What the accept did, in one line: created, attached, left out as on file."""
    text = f"Created {len(filed.created) - len(attached)} claim(s) from the article"
    if attached:
        text += (f"; attached {len(attached)} to claims on file: "
                 + ", ".join(f"#{c.pk}" for c, _ in attached))
    if filed.skipped:
        text += (f"; left out {len(filed.skipped)} already on file (filed since the "
                 "review): " + ", ".join(f"#{d.claim_id}" for _, found in filed.skipped
                                         for d in found))
    return text + "."
