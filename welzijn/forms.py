"""Form pieces every app shares: the date widget, the "not in the future" check and the period
check ("the end before the start")."""

from datetime import date

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
