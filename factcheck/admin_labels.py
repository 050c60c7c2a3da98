"""Tabular inlines whose fields have names: "name, alias 2", not a bare text box.

Django's tabular inline shows each field's label once, as a column header, and gives the
inputs in the rows no label at all (Django ticket #36509), so a screen reader announces
"edit text" with nothing to say which column or row it is in, and axe-core reports every
field as unlabelled (WCAG 1.3.1, 4.1.2). Every tabular inline of ours uses this class:
each field is named by its column and its row, and the blank row the "Add another"
link copies says "new …" (the admin's script renumbers ids and names, not labels).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin


def name_row(form: forms.BaseForm, row: str) -> None:
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.HiddenInput):
            continue
        column = field.label if field.label is not None else name.replace("_", " ")
        # The widget belongs to this form's copy of the field, so rows do not share names.
        field.widget.attrs["aria-label"] = f"{column}, {row}"


class LabelledTabularInline(admin.TabularInline):
    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        noun = str(self.verbose_name or self.model._meta.verbose_name)

        class LabelledFormSet(formset):
            def _construct_form(self, i, **kwargs):
                form = super()._construct_form(i, **kwargs)
                name_row(form, f"{noun} {i + 1}")
                return form

            @property
            def empty_form(self):
                form = super().empty_form
                name_row(form, f"new {noun}")
                return form

        LabelledFormSet.__name__ = formset.__name__
        return LabelledFormSet
