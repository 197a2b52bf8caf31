"""Form pieces every app shares: the date widget, the "not in the future" check, the period
check ("the end before the start"), the labels translated once per form (`TextsOnce`) and labels
without a colon after them (`PlainLabelBoundField`)."""

from datetime import date
from typing import Any

from django import forms
from django.forms import BoundField
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The browser's own date picker; the value in ISO form, which is what <input type="date"> reads.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def not_in_future(value: date | None) -> date | None:
    """The date itself, or a ValidationError when it lies after today."""
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("De datum kan niet in de toekomst liggen."), code="future")
    return value


def check_period(form: forms.Form, start: str, end: str, message: str | Promise) -> None:
    """Adds `message` to the `end` field when it lies before `start`; the message may name the
    start date as %(start)s (dd/mm/yyyy)."""
    first, last = form.cleaned_data.get(start), form.cleaned_data.get(end)
    if first and last and last < first:
        form.add_error(end, message % {"start": first.strftime("%d/%m/%Y")})


class TextsOnce:
    """Mix in before the form class: the fields' labels and help texts translated once, when the
    form is made, instead of each time a render reads them (a lazy text translates itself on
    every read, about eight times per field). The fields are the form's own copies, and a form is
    made and shown in one request, in its language: the same texts."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.label, Promise):
                field.label = str(field.label)
            if isinstance(field.help_text, Promise):
                field.help_text = str(field.help_text)


class PlainLabelBoundField(BoundField):
    """Every form's fields, through the form renderer (`welzijn.form_renderer.FormRenderer`):
    a label with no ":" after it. Django adds its default label suffix ":" in `label_tag` and
    `legend_tag`; our labels stand above their fields, so the colon only made a filter's "Zoek:"
    look different from the labels written in the templates. One place for every form, ours, the
    filters' (django-filter) and any other; a field or a call that names a suffix still gets it."""

    def label_tag(self, contents=None, attrs=None, label_suffix=None, tag=None):
        if label_suffix is None and self.field.label_suffix is None:
            label_suffix = ""
        return super().label_tag(contents, attrs, label_suffix, tag)
