"""Forms of the "Import article" page: the article, then one form of all proposals."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.forms import formset_factory

from claims.models import Attribution, Qualifier, Role, Stance
from sources.models import Source, SourceKind

from . import MAX_CHARS
from .accept import AcceptedAttribution, AcceptedClaim
from .languages import LANGUAGES as _LANGUAGES
from .types import Extraction

LANGUAGES = [("", "Detect"), *((code, lang.name) for code, lang in _LANGUAGES.items())]


def _source_widget() -> AutocompleteSelect:
    return AutocompleteSelect(Attribution._meta.get_field("source"), admin.site,
                              attrs={"data-width": "22em"})


class ArticleForm(forms.Form):
    text = forms.CharField(
        label="Article text", required=False, max_length=MAX_CHARS, strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 100,
                                     "placeholder": "Paste the article here…"}),
    )
    url = forms.URLField(
        label="Its address", required=False, assume_scheme="https", max_length=2048,
        help_text="With pasted text: the claims' “reported in” link, the outlet from its "
                  "site and the date from its page. Alone: the text is read from the page.")
    language = forms.ChoiceField(choices=LANGUAGES, required=False)

    def clean(self):
        data = super().clean()
        text, url = (data.get("text") or "").strip(), data.get("url")
        if not text and not url and not self.errors:
            raise forms.ValidationError("Paste the article's text, give its address, or both.")
        return data


class ArticleContextForm(forms.Form):
    """Carried from the first step to the second."""

    language = forms.ChoiceField(choices=LANGUAGES[1:], widget=forms.HiddenInput)
    url = forms.URLField(required=False, widget=forms.HiddenInput, assume_scheme="https",
                         max_length=2048)
    outlet = forms.ModelChoiceField(
        Source.objects.all(), required=False, widget=_source_widget(),
        help_text="The publication. Each claim gets it as outlet and the address as "
                  "“reported in” evidence.",
    )
    made_on = forms.DateField(
        label="Article date", required=False,
        help_text="From the page's metadata when the address answers; each claim's "
                  "“date made”.")


class ProposalForm(forms.Form):
    selected = forms.BooleanField(required=False, initial=True, label="Create")
    # Set when the review step found the proposal on file (and unticked it): ticking it
    # then files it again on purpose. A repeat filed by someone else after the review
    # is left out instead (importer.accept.file_once).
    file_again = forms.BooleanField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "cols": 90}))
    summary_en = forms.CharField(label="English summary", required=False,
                                 widget=forms.Textarea(attrs={"rows": 2, "cols": 90}))
    qualifier = forms.ChoiceField(label="Figure", required=False,
                                  choices=[("", "— none —"), *Qualifier.choices])
    value = forms.DecimalField(required=False, max_digits=24, decimal_places=4)
    lower = forms.DecimalField(required=False, max_digits=24, decimal_places=4)
    upper = forms.DecimalField(required=False, max_digits=24, decimal_places=4)
    unit = forms.CharField(required=False, max_length=64,
                           widget=forms.TextInput(attrs={"size": 5}))
    counted = forms.CharField(required=False, max_length=200)
    as_said = forms.CharField(required=False, max_length=200)

    def quantity(self) -> dict | None:
        d = self.cleaned_data
        if not d.get("qualifier"):
            return None
        return {"qualifier": d["qualifier"], "value": d.get("value"), "lower": d.get("lower"),
                "upper": d.get("upper"), "unit": d.get("unit") or "",
                "counted": d.get("counted") or "unspecified", "as_said": d.get("as_said") or ""}


class KnownSourceField(forms.ModelChoiceField):
    """A source choice that takes the row from `known` (every source the page's forms
    name, fetched in one query by `bound_forms`) instead of one query per form."""

    known: dict[str, Source] | None = None

    def to_python(self, value):
        if value not in self.empty_values and self.known is not None \
                and str(value) in self.known:
            return self.known[str(value)]
        return super().to_python(value)


class AttributionForm(forms.Form):
    keep = forms.BooleanField(required=False, initial=True)
    surface = forms.CharField(required=False, widget=forms.HiddenInput)
    source = KnownSourceField(Source.objects.all(), required=False, widget=_source_widget())
    new_source_name = forms.CharField(label="or new source", required=False, max_length=200)
    new_source_kind = forms.ChoiceField(choices=SourceKind.choices, required=False,
                                        initial=SourceKind.OTHER)
    new_source_aliases = forms.CharField(
        label="also known as", required=False, max_length=300,
        help_text="Other names of the new source, comma-separated (an acronym: HUR).")
    role = forms.ChoiceField(choices=Role.choices)
    phrase = forms.CharField(required=False, max_length=300)
    stance = forms.ChoiceField(choices=Stance.choices)

    def accepted(self) -> AcceptedAttribution | None:
        d = self.cleaned_data
        if not d.get("keep") or not (d.get("source") or d.get("new_source_name", "").strip()):
            return None
        return AcceptedAttribution(
            role=d["role"], source=d.get("source"), new_source_name=d.get("new_source_name", ""),
            new_source_kind=d.get("new_source_kind") or "other",
            new_source_aliases=[x for x in (d.get("new_source_aliases") or "").split(",")
                                if x.strip()],
            phrase=d.get("phrase", ""),
            stance=d["stance"],
        )


ProposalFormSet = formset_factory(ProposalForm, extra=0, max_num=500)
AttributionFormSet = formset_factory(AttributionForm, extra=1, max_num=20)


def _plain(value: Decimal | None) -> str | None:
    """600, not 6E+2 or 600.0000, in the form's inputs."""
    return f"{value.normalize():f}" if value is not None else None


def initial_forms(extraction: Extraction):
    """(ProposalFormSet, [AttributionFormSet per proposal]) filled from the extraction."""
    proposals = ProposalFormSet(prefix="claims", initial=[
        {
            "selected": True, "text": c.text,
            "qualifier": c.quantity.qualifier if c.quantity else "",
            "value": _plain(c.quantity.value) if c.quantity else None,
            "lower": _plain(c.quantity.lower) if c.quantity else None,
            "upper": _plain(c.quantity.upper) if c.quantity else None,
            "unit": c.quantity.unit if c.quantity else "",
            "counted": c.quantity.counted if c.quantity else "",
            "as_said": c.quantity.as_said if c.quantity else "",
        }
        for c in extraction.claims
    ])
    attributions = [
        AttributionFormSet(prefix=f"claims-{i}-attr", initial=[
            {"keep": True, "surface": a.surface, "source": a.source.id,
             "new_source_name": "" if a.source.id else a.source.name,
             "new_source_kind": a.source.kind,
             "new_source_aliases": "" if a.source.id else ", ".join(a.source.aliases),
             "role": a.role, "phrase": a.phrase,
             "stance": a.stance}
            for a in c.attributions
        ])
        for i, c in enumerate(extraction.claims)
    ]
    return proposals, attributions


_SOURCE_KEY = re.compile(r"^claims-\d+-attr-\d+-source$")


def bound_forms(data):
    proposals = ProposalFormSet(data, prefix="claims")
    attributions = [AttributionFormSet(data, prefix=f"claims-{i}-attr")
                    for i in range(proposals.total_form_count())]
    # Every chosen source in one query, whatever the number of proposals.
    ids = {v for k, v in data.items() if _SOURCE_KEY.match(k) and str(v).isdigit()}
    known = {str(pk): s for pk, s in Source.objects.in_bulk(ids).items()} if ids else {}
    for formset in attributions:
        for form in formset.forms:
            form.fields["source"].known = known
    return proposals, attributions


# The attribution table's cells have only a column header above them; a screen reader in
# forms mode reads the field's own name, so each names its column, row and proposal.
_ATTRIBUTION_COLUMNS = {"keep": "keep", "source": "source", "new_source_name": "or new source",
                        "new_source_aliases": "also known as",
                        "new_source_kind": "kind of new source", "role": "role",
                        "phrase": "phrase", "stance": "stance"}


def _figure_summary(form) -> str:
    """The figure as the fields hold it, for the line that stands for them when folded."""
    value = {name: form[name].value() or "" for name in
             ("qualifier", "value", "lower", "upper", "unit", "counted")}
    if not value["qualifier"]:
        return "none"
    bounds = (f" ({value['lower'] or '…'}–{value['upper'] or '…'})"
              if value["lower"] or value["upper"] else "")
    words = [dict(Qualifier.choices).get(value["qualifier"], value["qualifier"]),
             str(value["value"]) + bounds, value["unit"], value["counted"]]
    return " ".join(str(w) for w in words if str(w).strip())


def name_fields(proposals, attributions) -> None:
    """Give every field of the proposals page a name that says which proposal it is in,
    and each proposal the summary lines of its folded figure and sources.

    Forty proposals hold the same dozen fields each: "checkbox, checked" or "role" alone
    does not tell a screen reader user where they are (WCAG 1.3.1, 4.1.2).
    """
    for number, (form, attrs) in enumerate(zip(proposals.forms, attributions, strict=True),
                                           start=1):
        form.number = number
        form.fields["selected"].widget.attrs["aria-label"] = f"Create proposal {number}"
        form.fields["text"].widget.attrs["aria-label"] = f"Claim text, proposal {number}"
        form.fields["summary_en"].widget.attrs["aria-label"] = (
            f"English summary, proposal {number}")
        for name in ("qualifier", "value", "lower", "upper", "unit", "counted", "as_said"):
            label = "figure" if name == "qualifier" else name.replace("_", " ")
            form.fields[name].widget.attrs["aria-label"] = f"{label}, proposal {number}"
        form.figure_summary = _figure_summary(form)
        form.sources_summary = " · ".join(
            f"{(a['surface'].value() or '').strip()} ({a['role'].value()})"
            for a in attrs.forms if (a["surface"].value() or "").strip()) or "none found"
        for row, attr in enumerate(attrs.forms, start=1):
            surface = (attr["surface"].value() or "").strip()
            which = f"“{surface}”" if surface else f"row {row} (a source to add)"
            for name, column in _ATTRIBUTION_COLUMNS.items():
                attr.fields[name].widget.attrs["aria-label"] = (
                    f"{column}: {which}, proposal {number}")


def missing_claimant(proposals, attributions) -> bool:
    """Mark each selected proposal that has no claimant kept; True when any has none.

    A claim without who asserts it is not a claim the tracker can file: the editor names
    the claimant (or unticks the proposal) rather than having it created half-attributed.
    """
    missing = False
    for form, attrs in zip(proposals.forms, attributions, strict=True):
        if not form.cleaned_data.get("selected"):
            continue
        rows = [a for a in (f.accepted() for f in attrs.forms) if a is not None]
        if not any(a.role == Role.CLAIMANT for a in rows):
            have = ", ".join(f"{a.source or a.new_source_name} ({a.role})" for a in rows)
            form.add_error(None, "No claimant: keep or name who asserts this claim"
                           + (f" (it has only {have})" if have else "") + ", or untick it.")
            missing = True
    return missing


def accepted_claims(proposals, attributions) -> list[AcceptedClaim]:
    """The selected proposals, in order, as the accept action takes them."""
    out = []
    for form, attrs in zip(proposals.forms, attributions, strict=True):
        if not form.cleaned_data.get("selected"):
            continue
        rows = [a for a in (f.accepted() for f in attrs.forms) if a is not None]
        out.append(AcceptedClaim(text=form.cleaned_data["text"],
                                 summary_en=form.cleaned_data.get("summary_en", ""),
                                 quantity=form.quantity(), attributions=rows))
    return out


def selected_indexes(proposals) -> list[int]:
    """The form index of each accepted claim (`accepted_claims`' order)."""
    return [i for i, form in enumerate(proposals.forms) if form.cleaned_data.get("selected")]
