"""The forms behind the claim page: one save creates what the editor names in place.

A new claimant or outlet is typed into its attribution row (name and kind; aliases
later, on the source page), a link is typed as an address (the Link row is found
or made on save), and nothing is created until every form on the page is valid,
inside the admin's one transaction.
"""

from django import forms
from django.core.exceptions import ValidationError

from sources.links import get_or_create_link, normalize_url
from sources.models import SourceKind
from sources.registry import create_source, resolve

from .models import (
    SYMMETRIC_RELATIONS,
    VERDICTS,
    Attribution,
    Claim,
    ClaimRelation,
    Evidence,
    Role,
    Status,
)
from .workflow import path_to, reachable

CREDIBILITY_HELP = (
    "Admiralty grid, 2nd axis: this information, 1 confirmed … 6 cannot be judged. "
    "The source's reliability (A–F) is on its page."
)


class ClaimAdminForm(forms.ModelForm):
    # Two editors on one claim: the second save is refused instead of silently
    # overwriting the first (the same rule the API enforces with If-Match).
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    new_status = forms.ChoiceField(
        label="Move to", required=False,
        help_text="A verdict can be reached in one save: the history records each step.",
    )
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
            "text": forms.Textarea(attrs={"rows": 3}),
            "summary_en": forms.Textarea(attrs={"rows": 2}),
            "verdict_rationale": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "verdict_rationale": "Required for a verdict (supported, disputed, false, "
                                 "misleading, unverifiable): why, in a few sentences.",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.status
        choices = [("", f"— stay {Status(current).label.lower()} —")]
        for target in reachable(current):
            steps = path_to(current, target)
            via = ", ".join(Status(s).label.lower() for s in steps[:-1])
            label = Status(target).label + (f" (via {via})" if via else "")
            choices.append((target, label))
        self.fields["new_status"].choices = choices
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
        new_status = cleaned.get("new_status")
        if cleaned.get("status_note") and not new_status:
            self.add_error("status_note", "A note goes with a status change: choose “Move to”.")
        if (new_status in VERDICTS and "verdict_rationale" in cleaned
                and not cleaned["verdict_rationale"].strip()):
            self.add_error("verdict_rationale", f"A verdict (“{Status(new_status).label}”) "
                                                "needs a rationale: say why, for the readers.")
        return cleaned


def _address(value: str) -> str:
    """A typed address in its stored form, with the reason when it cannot be a link."""
    try:
        return normalize_url(value)
    except ValidationError as exc:
        raise ValidationError(exc.messages) from None


class AttributionForm(forms.ModelForm):
    new_source_name = forms.CharField(
        label="or a new source", required=False, max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "name, if not in the list"}),
        help_text="Aliases can be added on its page later.",
    )
    new_source_kind = forms.ChoiceField(
        label="its kind", choices=SourceKind.choices, initial=SourceKind.OTHER, required=False,
    )
    link_url = forms.CharField(
        label="where it appeared", required=False, max_length=2048,
        help_text="An outlet's link also becomes “reported in” evidence.",
    )

    class Meta:
        model = Attribution
        fields = ["source", "role", "phrase", "quote", "stance", "stated_on", "credibility"]
        widgets = {"quote": forms.Textarea(attrs={"rows": 1})}
        help_texts = {"credibility": CREDIBILITY_HELP}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].required = False
        if self.instance.pk and self.instance.link_id:
            self.fields["link_url"].initial = self.instance.link.url

    def clean_link_url(self) -> str:
        value = self.cleaned_data["link_url"].strip()
        return _address(value) if value else ""

    def clean_new_source_name(self) -> str:
        return " ".join(self.cleaned_data["new_source_name"].split())

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("DELETE"):
            return cleaned
        source, name = cleaned.get("source"), cleaned.get("new_source_name")
        if source and name:
            self.add_error("new_source_name",
                           "Either pick a source or name a new one, not both.")
        elif not source and not name and "source" not in self.errors:
            self.add_error("source", "Pick who it is, or type a new source's name beside it.")
        return cleaned

    def save(self, commit: bool = True) -> Attribution:
        attribution = super().save(commit=False)
        name = self.cleaned_data.get("new_source_name")
        if name:
            # A name the registry already knows (any alias, any script) is that
            # source: typing "HUR" twice must not make two HURs.
            attribution.source = resolve(name) or create_source(
                name, kind=self.cleaned_data.get("new_source_kind") or SourceKind.OTHER)
        url = self.cleaned_data.get("link_url")
        attribution.link = get_or_create_link(url)[0] if url else None
        if commit:
            attribution.save()
        return attribution


class AttributionFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        kept = [f for f in self.forms if getattr(f, "cleaned_data", None)
                and not f.cleaned_data.get("DELETE")
                and (f.instance.pk or f.has_changed())]
        seen: set[tuple[str, str]] = set()
        for form in kept:
            name = form.cleaned_data.get("new_source_name")
            if not name:
                continue
            key = (name.casefold(), form.cleaned_data.get("role"))
            if key in seen:
                form.add_error("new_source_name", f"“{name}” is already named in this role above.")
            seen.add(key)
        # "Move to" is on the claim's own form; the rule needs the rows being
        # saved now, which only this formset sees. The workflow checks it again.
        moving_to = self.data.get("new_status")
        leaving_unverified = self.instance.status == Status.UNVERIFIED
        if moving_to and moving_to != Status.RETRACTED and leaving_unverified and not any(
                f.cleaned_data.get("role") == Role.CLAIMANT for f in kept):
            raise ValidationError(
                "A claim needs at least one claimant before it leaves “Unverified”: "
                "add who asserts it here.", code="claimant_required")


class EvidenceForm(forms.ModelForm):
    link_url = forms.CharField(label="address", max_length=2048)

    class Meta:
        model = Evidence
        fields = ["relation", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 1})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["link_url"].initial = self.instance.link.url

    def clean_link_url(self) -> str:
        return _address(self.cleaned_data["link_url"])

    def save(self, commit: bool = True) -> Evidence:
        evidence = super().save(commit=False)
        evidence.link = get_or_create_link(self.cleaned_data["link_url"])[0]
        if commit:
            evidence.save()
        return evidence


class EvidenceFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        seen: set[str] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("link_url"):
                continue
            if data["link_url"] in seen:
                form.add_error("link_url", "This address is already evidence above.")
            seen.add(data["link_url"])


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


class BulkStatusForm(forms.Form):
    new_status = forms.ChoiceField(label="Move to", choices=Status.choices)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    rationale = forms.CharField(
        label="Verdict rationale", required=False,
        help_text="Required to move claims to a verdict, unless each already has one.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

