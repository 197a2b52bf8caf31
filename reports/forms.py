from datetime import date
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.figures import Period
from welzijn.forms import DATE_WIDGET, check_period


class PeriodForm(forms.Form):
    """A period for a report: a whole year by default, or any start and end."""

    start = forms.DateField(label=_("Van"), widget=DATE_WIDGET, required=False)
    end = forms.DateField(label=_("Tot en met"), widget=DATE_WIDGET, required=False)

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
        super().clean()
        cleaned = self.cleaned_data
        check_period(
            self, "start", "end", _("Het einde ligt vóór het begin. Kies de begindatum of een latere datum.")
        )
        return cleaned

    def period(self) -> Period:
        """The chosen period, counted up to today (`Period.so_far`: the figures never count what
        has not happened yet); the current calendar year when nothing (valid) was chosen."""
        default = self.this_year()
        if self.is_bound and self.is_valid():
            chosen = Period(
                self.cleaned_data.get("start") or default.start, self.cleaned_data.get("end") or default.end
            )
        else:
            chosen = default
        return chosen.so_far(timezone.localdate())


class StaffPeriodForm(forms.Form):
    """Staff figures cover a whole month, quarter or year only: two overlapping periods of any
    length could otherwise be subtracted to recover a small count (reports.suppression)."""

    year = forms.IntegerField(label=_("Jaar"), min_value=2000)
    part = forms.ChoiceField(
        label=_("Periode"),
        required=False,
        choices=[
            ("y", _("heel het jaar")),
            *[(f"q{q}", _("kwartaal %(q)s") % {"q": q}) for q in range(1, 5)],
            *[(f"m{m}", date(2000, m, 1).strftime("%m")) for m in range(1, 13)],
        ],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.IntegerField, self.fields["year"]).max_value = timezone.localdate().year
        self.fields["year"].widget.attrs["max"] = timezone.localdate().year
        self.fields["year"].initial = timezone.localdate().year
        months = [
            _("januari"), _("februari"), _("maart"), _("april"), _("mei"), _("juni"),
            _("juli"), _("augustus"), _("september"), _("oktober"), _("november"), _("december"),
        ]  # fmt: skip
        part = cast(forms.ChoiceField, self.fields["part"])
        part.choices = [
            *cast(list[tuple[str, str]], part.choices)[:5],
            *[(f"m{m}", months[m - 1]) for m in range(1, 13)],
        ]

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("Dat jaar is nog niet begonnen."))
        return year

    def chosen(self) -> tuple[int, str]:
        """(year, code) with code 'y', 'q1'..'q4' or 'm1'..'m12'; this year when nothing valid."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["year"], self.cleaned_data["part"] or "y"
        return timezone.localdate().year, "y"
