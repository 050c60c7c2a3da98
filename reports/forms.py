"""Report filters as they arrive in a query string (page, downloads, API, command)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from .filters import ReportFilter
from .models import ReportSnapshot


class ReportFilterForm(forms.Form):
    date_from = forms.DateField(required=False, label="From",
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="Until",
                              widget=forms.DateInput(attrs={"type": "date"}))
    tag = forms.CharField(required=False, max_length=64)
    language = forms.CharField(required=False, max_length=35,
                               widget=forms.TextInput(attrs={"placeholder": "e.g. az, ko, ru"}))
    source = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1,
                                label="Source id")
    snapshot = forms.ModelChoiceField(
        queryset=ReportSnapshot.objects.only("pk", "week"), required=False,
        empty_label="Live figures", label="As of",
    )

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError({"date_to": "The end of the range is before its start."})
        if data.get("snapshot") and any(
            data.get(k) for k in ("date_from", "date_to", "tag", "language", "source")
        ):
            raise ValidationError({"snapshot": "A snapshot holds the unfiltered figures; "
                                               "drop the filters to read it."})
        return data

    def figures(self, *, published_only: bool = False,
                only: list[str] | None = None) -> dict[str, Any]:
        """The figures this (valid) form asks for: live, or as of its snapshot."""
        from .snapshots import read_figures

        return read_figures(self.to_filter(published_only=published_only),
                            self.cleaned_data.get("snapshot"), only=only)

    def to_filter(self, *, published_only: bool = False) -> ReportFilter:
        data = self.cleaned_data
        return ReportFilter(
            date_from=data.get("date_from"), date_to=data.get("date_to"),
            tag=(data.get("tag") or "").strip(), language=(data.get("language") or "").strip(),
            source=data.get("source"), published_only=published_only,
        )
