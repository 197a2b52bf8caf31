from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.figures import Period

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    """A period for a report: a whole year by default, or any start and end."""

    start = forms.DateField(label=_("Van"), widget=DATE, required=False)
    end = forms.DateField(label=_("Tot en met"), widget=DATE, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The fields show the period the report is about, also before anything was chosen.
        year = self.this_year()
        self.fields["start"].initial, self.fields["end"].initial = year.start, year.end

    @staticmethod
    def this_year() -> Period:
        return Period.year(timezone.localdate().year)

    @staticmethod
    def last_year() -> Period:
        return Period.year(timezone.localdate().year - 1)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("Het einde ligt vóór het begin. Kies de begindatum of een latere datum."))
        return cleaned

    def period(self) -> Period:
        """The chosen period; the current calendar year when nothing (valid) was chosen."""
        default = self.this_year()
        if not self.is_bound or not self.is_valid():
            return default
        return Period(
            self.cleaned_data.get("start") or default.start, self.cleaned_data.get("end") or default.end
        )
