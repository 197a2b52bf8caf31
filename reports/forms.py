from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.figures import Period

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    """A period for a report: a whole year by default, or any start and end."""

    start = forms.DateField(label=_("Van"), widget=DATE, required=False)
    end = forms.DateField(label=_("Tot en met"), widget=DATE, required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("Het einde ligt vóór het begin. Kies de begindatum of een latere datum."))
        return cleaned

    def period(self) -> Period:
        """The chosen period; the current calendar year when nothing (valid) was chosen."""
        today = timezone.localdate()
        default = Period(date(today.year, 1, 1), date(today.year, 12, 31))
        if not self.is_bound or not self.is_valid():
            return default
        return Period(
            self.cleaned_data.get("start") or default.start, self.cleaned_data.get("end") or default.end
        )
