"""The claim page's figure: typed once, read into the structured fields shown beside it."""

from django import forms
from django.contrib import admin

from claims.models import Qualifier, Quantity

from .figures import read_figure

EXAMPLES = "“at least 1,200”, “~600”, “10,000–13,000”, “more than 10 thousand”"


class FigureForm(forms.ModelForm):
    figure = forms.CharField(
        label="figure", max_length=200, required=False,
        help_text=f"As said, in any of az, ru, ko, en: {EXAMPLES}. Read into the fields below.",
        widget=forms.TextInput(attrs={"placeholder": "at least 1,200"}),
    )

    class Meta:
        model = Quantity
        fields = ["counted", "unit", "qualifier", "value", "lower", "upper"]
        help_texts = {"qualifier": "Filled from the figure; change it only if it reads wrong."}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["figure"].initial = self.instance.as_said if self.instance.pk else ""
        for name in ("qualifier", "counted"):
            # Filled from the figure when left empty; the model still requires them.
            self.fields[name].required = False

    def clean(self) -> dict:
        cleaned = super().clean()
        typed = (cleaned.get("figure") or "").strip()
        retyped = typed and (typed != (self.instance.as_said or "") or not self.instance.pk)
        if retyped:
            reading = read_figure(typed, self.data.get("language", "en"))
            if reading is None:
                self.add_error("figure", f"No figure could be read in “{typed}”. Write it as "
                                         f"{EXAMPLES}.")
                return cleaned
            for name in ("qualifier", "value", "lower", "upper"):
                cleaned[name] = getattr(reading, name)
            cleaned["unit"] = cleaned.get("unit") or reading.unit
            cleaned["counted"] = cleaned.get("counted") or reading.counted
            self.instance.as_said = typed
        elif not typed and not self.instance.pk and cleaned.get("value") is None \
                and cleaned.get("lower") is None and cleaned.get("upper") is None:
            self.add_error("figure", f"Type the figure as said: {EXAMPLES}.")
        if not cleaned.get("qualifier"):
            cleaned["qualifier"] = Qualifier.EXACT
        if not cleaned.get("counted") and "counted" not in self.errors:
            self.add_error("counted", "Say what is counted, e.g. “North Korean soldiers "
                                      "wounded”.")
        return cleaned


class FigureInline(admin.StackedInline):
    model = Quantity
    form = FigureForm
    max_num = 1
    extra = 1
    fields = [("figure", "counted", "unit"), ("qualifier", "value", "lower", "upper")]
    verbose_name = "figure"
    verbose_name_plural = "figure"
    classes = ["figure-entry"]


class FigureEntry:
    """Swaps the claims admin's structured figure rows for the one typed box."""

    def get_inlines(self, request, obj):
        from claims.admin import QuantityInline

        return [FigureInline if inline is QuantityInline else inline
                for inline in super().get_inlines(request, obj)]
