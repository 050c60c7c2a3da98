"""Build a change-form POST from what the admin page rendered, as a browser would."""

from typing import Any


def _value(field) -> Any:
    value = field.value()
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, bool):
        return "on" if value else ""
    return str(value)


def form_data(response) -> dict[str, Any]:
    data: dict[str, Any] = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        bound = form[name]
        value = _value(bound)
        if field.widget.__class__.__name__ in ("CheckboxInput",) and not value:
            continue
        data[bound.html_name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        # Extra (blank) forms too: a browser posts their defaults, which is what
        # tells Django they were left unchanged.
        for f in formset.forms:
            for name in f.fields:
                value = _value(f[name])
                if name == "DELETE" and not value:
                    continue
                data[f[name].html_name] = value
    return {k: v for k, v in data.items() if v != "" or k.endswith(("TOTAL_FORMS", "FORMS"))}


def inline(response, prefix: str):
    """The inline formset with this prefix ("attributions", "quantity"...), wherever it sits."""
    return next(i.formset for i in response.context["inline_admin_formsets"]
                if i.formset.prefix == prefix)
