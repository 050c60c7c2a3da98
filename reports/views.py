"""The staff reports page and its downloads."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import exports, presentation
from .catalogue import REPORTS
from .forms import ReportFilterForm

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


@require_GET
@staff_member_required
def reports_page(request: HttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET or None)
    context: dict[str, Any] = {
        **admin.site.each_context(request), "form": form, "title": "Claim-status reports",
        "query": request.GET.urlencode(), "links": True,
    }
    if request.GET and not form.is_valid():
        return render(request, "reports/page.html", context, status=400)
    if not request.GET:
        form = ReportFilterForm({})
        form.is_valid()
        context["form"] = form
    built = form.figures()
    context.update(built=built, sections=presentation.sections(built),
                   headline=presentation.headline(built))
    return render(request, "reports/page.html", context)


@require_GET
@staff_member_required
def report_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS or (slug != "all" and slug not in REPORTS):
        raise Http404("No such report or format.")
    form = ReportFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponse(exports.to_json({"errors": form.errors.get_json_data()}),
                            status=400, content_type=FORMATS["json"])
    built = form.figures(only=None if slug == "all" else [slug])
    if fmt == "json":
        body = exports.to_json(built if slug == "all" else exports.single(built, slug))
    elif slug == "all":
        body = exports.to_csv_bundle(built)
    else:
        body = exports.to_csv(REPORTS[slug], built["reports"][slug])
    response = HttpResponse(body, content_type=FORMATS[fmt])
    stamp = (built.get("snapshot") or {}).get("week") or timezone.now().date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="claim-report-{slug}-{stamp}.{fmt}"'
    return response
