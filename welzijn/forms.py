"""Form pieces every app shares: the date widget, the "not in the future" check, the period
check ("the end before the start") and the labels translated once per form (`TextsOnce`)."""

from datetime import date
from typing import Any

from django import forms
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
