import uuid
from datetime import date
from typing import cast

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import (
    MAX_OCCURRENCES,
    SIGNAL_KINDS,
    Activity,
    ActivityKind,
    ActivitySeries,
    local_datetime,
)
from groups.models import Group
from households.choices import LifeDomain
from households.forms import MembersField, group_members
from households.models import Household, Person
from households.selectors import search_households
from visits.models import Signal
from welzijn.forms import DATE_WIDGET, TextsOnce, check_period
from writes.stale import VersionedFormMixin

ONCE = "once"
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class SignalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Signal) -> str:
        return f"{obj.get_institution_display()} – {obj.get_theme_display()} ({obj.noticed_on:%d/%m/%Y})"


TAP_CHOICES = {"class": "tap-choice"}
END_BEFORE_START = _("Het einde moet na het begin liggen.")


class ActivityFieldsForm(TextsOnce, forms.Form):
    """The fields one activity and a series of them share, declared once: what kind, the
    times, the place, the themes, who organises and a short description (place and
    description as the Activity model defines them). Subclasses set the organisers' queryset."""

    kind = forms.ChoiceField(
        label=_("Soort activiteit"),
        choices=ActivityKind.choices,
        widget=forms.RadioSelect(attrs=TAP_CHOICES),
        error_messages={"required": _("Kies de soort activiteit.")},
    )
    start_time = forms.TimeField(
        label=_("Van"), widget=TIME_WIDGET, error_messages={"required": _("Kies een beginuur.")}
    )
    end_time = forms.TimeField(
        label=_("Tot"), widget=TIME_WIDGET, error_messages={"required": _("Kies een einduur.")}
    )
    place = Activity._meta.get_field("place").formfield()
    themes = forms.MultipleChoiceField(
        label=_("Thema's"),
        choices=LifeDomain.choices,
        widget=forms.CheckboxSelectMultiple(attrs=TAP_CHOICES),
        required=False,
    )
    organisers = MembersField(
        label=_("Wie organiseerde?"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs=TAP_CHOICES),
        error_messages={"invalid_choice": _("Kies alleen leden van deze groep.")},
    )
    description = Activity._meta.get_field("description").formfield(widget=forms.Textarea(attrs={"rows": 3}))


class ActivityForm(ActivityFieldsForm, forms.ModelForm):
    """Create or edit an activity. On create, `repeat` makes it a weekly or monthly series."""

    date = forms.DateField(
        label=_("Datum"), widget=DATE_WIDGET, error_messages={"required": _("Kies een datum.")}
    )
    signals = SignalChoiceField(
        label=_("Welke signalen neemt deze activiteit op?"),
        help_text=_("Alleen voor een actie of een overleg met een instelling."),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs=TAP_CHOICES),
        error_messages={"invalid_choice": _("Kies alleen signalen van deze groep.")},
    )
    repeat = forms.ChoiceField(
        label=_("Herhalen?"),
        choices=[(ONCE, _("eenmalig")), *ActivitySeries.Frequency.choices],
        initial=ONCE,
        widget=forms.RadioSelect(attrs=TAP_CHOICES),
    )
    repeat_until = forms.DateField(
        label=_("Herhalen tot en met"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Hoogstens %(max)s keer.") % {"max": MAX_OCCURRENCES},
    )
    submission_id = forms.UUIDField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Activity
        fields = ["kind", "title", "place", "themes", "description", "organisers", "signals"]
        error_messages = {"title": {"required": _("Geef de activiteit een titel, bv. Praatcafé.")}}

    def __init__(self, *args, group: Group, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.group = group
        signals = group.signals.exclude(status=Signal.Status.RESOLVED)
        organisers = group_members(group)
        if self.instance.pk:
            del self.fields["repeat"], self.fields["repeat_until"], self.fields["submission_id"]
            organised = list(self.instance.activity_organisers.values_list("user_id", flat=True))
            linked = list(self.instance.activity_signals.values_list("signal_id", flat=True))
            # Someone who has since left still organised it; a signal since resolved was still taken up.
            organisers = group_members(group, keep=organised)
            signals = group.signals.filter(Q(status__in=["open", "raised"]) | Q(pk__in=linked))
            local = timezone.localtime(self.instance.starts_at)
            self.initial.update(
                {
                    "date": local.date(),
                    "start_time": local.time(),
                    "end_time": timezone.localtime(self.instance.ends_at).time(),
                    "organisers": organised,
                    "signals": linked,
                    "version": self.instance.version,
                }
            )
        else:
            del self.fields["version"]
            self.initial.setdefault("organisers", [user.pk])
            self.initial.setdefault("submission_id", uuid.uuid4())
        cast(forms.ModelChoiceField, self.fields["organisers"]).queryset = organisers
        cast(forms.ModelChoiceField, self.fields["signals"]).queryset = signals.select_related(None).order_by(
            "-noticed_on", "-pk"
        )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        day, start, end = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start and end:
            starts_at = local_datetime(day, start)
            ends_at = local_datetime(day, end)
            if ends_at <= starts_at:
                self.add_error("end_time", END_BEFORE_START)
            else:
                self.instance.starts_at, self.instance.ends_at = starts_at, ends_at
        if day and self.instance.pk and day > timezone.localdate() and self.instance.attendances.exists():
            # Who came is ticked: the activity has happened. Moved to a later day, its attendance
            # would follow (update_activity) and count as a contact and a figure still to come.
            self.add_error(
                "date",
                _(
                    "Bij deze activiteit zijn al aanwezigen aangeduid: ze kan niet naar een dag na "
                    "vandaag. Maak voor een volgende keer een nieuwe activiteit."
                ),
            )
        if cleaned.get("signals") and cleaned.get("kind") not in SIGNAL_KINDS:
            self.add_error(
                "signals", _("Alleen een actie of een overleg met een instelling kan signalen opnemen.")
            )
        if "repeat" in self.fields and cleaned.get("repeat") not in (None, ONCE) and day:
            until = cleaned.get("repeat_until")
            if until is None:
                self.add_error("repeat_until", _("Kies tot wanneer de activiteit herhaald wordt."))
            else:
                series = ActivitySeries(
                    group=self.group, frequency=cleaned["repeat"], first_date=day, last_date=until
                )
                try:
                    series.clean()
                except forms.ValidationError as error:
                    for message in error.message_dict.get("last_date", []):
                        self.add_error("repeat_until", message)
                else:
                    self.series = series
        return cleaned

    @property
    def series_or_none(self) -> ActivitySeries | None:
        return getattr(self, "series", None)


class AttendanceForm(forms.Form):
    """The tap-to-tick sheet of one activity.

    Only changes are applied: the ticks the page showed travel with it (`seen_*`), so that two
    volunteers ticking on two phones at the same time add up instead of undoing each other, and
    sending the same form twice changes nothing the second time.
    """

    present = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        error_messages={"invalid_choice": _("Kies alleen gezinsleden van deze groep.")},
    )
    helped = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        error_messages={"invalid_choice": _("Kies alleen gezinsleden van deze groep.")},
    )
    spoke = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        error_messages={"invalid_choice": _("Kies alleen gezinsleden van deze groep.")},
    )
    volunteers = forms.TypedMultipleChoiceField(
        coerce=int, required=False, error_messages={"invalid_choice": _("Kies alleen leden van deze groep.")}
    )
    shown = forms.TypedMultipleChoiceField(coerce=int, required=False)
    seen_present = forms.TypedMultipleChoiceField(coerce=int, required=False)
    seen_helped = forms.TypedMultipleChoiceField(coerce=int, required=False)
    seen_spoke = forms.TypedMultipleChoiceField(coerce=int, required=False)
    seen_volunteers = forms.TypedMultipleChoiceField(coerce=int, required=False)
    unregistered_count = forms.IntegerField(
        label=_("Andere aanwezigen die niet geregistreerd zijn"),
        min_value=0,
        max_value=10_000,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": _("Het aantal kan niet kleiner dan 0 zijn."),
            "max_value": _("Dat zijn er te veel: vul een aantal tot 10.000 in."),
            "invalid": _("Vul een aantal in, bv. 3."),
        },
    )
    seen_unregistered_count = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, person_ids, member_ids, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # The page writes its own checkboxes: the choices only check what a POST sends.
            return
        persons = [(pk, pk) for pk in person_ids]
        members = [(pk, pk) for pk in member_ids]
        for name in ("present", "helped", "spoke", "shown", "seen_present", "seen_helped", "seen_spoke"):
            cast(forms.ChoiceField, self.fields[name]).choices = persons
        for name in ("volunteers", "seen_volunteers"):
            cast(forms.ChoiceField, self.fields[name]).choices = members

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        # Ticking "hielp organiseren" or "nam het woord" also means they were there.
        cleaned["present"] = sorted(
            set(cleaned.get("present", [])) | set(cleaned.get("helped", [])) | set(cleaned.get("spoke", []))
        )
        return cleaned

    def changes(self) -> dict[str, set[int]]:
        """What this user changed compared with what their page showed."""
        data = self.cleaned_data
        shown = set(data["shown"])
        present, seen_present = set(data["present"]) & shown, set(data["seen_present"]) & shown
        helped, seen_helped = set(data["helped"]) & shown, set(data["seen_helped"]) & shown
        spoke, seen_spoke = set(data["spoke"]) & shown, set(data["seen_spoke"]) & shown
        volunteers, seen_volunteers = set(data["volunteers"]), set(data["seen_volunteers"])
        return {
            "present_add": present - seen_present,
            "present_remove": seen_present - present,
            "helped_add": helped - seen_helped,
            "helped_remove": (seen_helped - helped) - (seen_present - present),
            "spoke_add": spoke - seen_spoke,
            "spoke_remove": (seen_spoke - spoke) - (seen_present - present),
            "volunteers_add": volunteers - seen_volunteers,
            "volunteers_remove": seen_volunteers - volunteers,
        }

    def unregistered_changed(self) -> int | None:
        value, seen = (
            self.cleaned_data.get("unregistered_count"),
            self.cleaned_data.get("seen_unregistered_count"),
        )
        if value is None or value == seen:
            return None
        return value


class PersonChoiceField(forms.ModelChoiceField):
    """One person of the group's households, labelled "first name (household)"."""

    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.first_name} {obj.last_name}".strip() + f" ({obj.household.display_name})"


class BoardSeatForm(TextsOnce, forms.Form):
    """A person of one of the group's open households joins the group's board (kerngroep)."""

    person = PersonChoiceField(
        label=_("Wie?"),
        queryset=None,
        empty_label=_("Kies een gezinslid"),
        error_messages={
            "required": _("Kies wie in de kerngroep zit."),
            "invalid_choice": _("Kies een gezinslid van deze groep."),
        },
    )
    started_on = forms.DateField(
        label=_("Sinds"), widget=DATE_WIDGET, error_messages={"required": _("Kies sinds wanneer.")}
    )
    ended_on = forms.DateField(
        label=_("Tot en met"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Leeg laten zolang de persoon in de kerngroep zit."),
    )
    submission_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, group: Group, search: str = "", **kwargs) -> None:
        """`search`: offer only the persons of the households the household search finds for
        this text (a family name, a first name, a street: `households.selectors.search_households`),
        so that a big group's list stays short; empty offers every open household's persons."""
        super().__init__(*args, **kwargs)
        self.initial.setdefault("submission_id", uuid.uuid4())
        self.initial.setdefault("started_on", timezone.localdate())
        persons = (
            Person.objects.filter(group=group)
            .exclude(household__status=Household.Status.CLOSED)
            .select_related("household")
            .order_by("household__display_name", "household_id", "first_name", "pk")
        )
        if search.strip():
            persons = persons.filter(
                household__in=search_households(Household.objects.filter(group=group), search)
            )
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = persons

    def clean(self):
        super().clean()
        check_period(
            self, "started_on", "ended_on", _("Het einde kan niet voor het begin liggen (%(start)s).")
        )
        return self.cleaned_data


class BoardSeatEndForm(forms.Form):
    """End a board seat: the last day the person sat on the board."""

    ended_on = forms.DateField(
        label=_("Laatste dag in de kerngroep"),
        widget=DATE_WIDGET,
        error_messages={"required": _("Kies de laatste dag."), "invalid": _("Vul een geldige datum in.")},
    )


class SeriesForm(ActivityFieldsForm, VersionedFormMixin, forms.ModelForm):
    """Edit a weekly or monthly series as a whole: what is typed here applies to every occurrence
    from `from_date` on (earlier ones, and all attendance, stay as they are). Each field shows
    the occurrence the coordinator came from (`reference`); only the fields changed here are
    written, so an occurrence edited on its own keeps its other fields. A later `last_date`
    adds occurrences, an earlier one ends the series early (activities.services.update_series)."""

    from_date = forms.DateField(
        label=_("Wijzigen vanaf"),
        widget=DATE_WIDGET,
        help_text=_("Deze keer en alle volgende keren. Wat voorbij is, blijft zoals het was."),
        error_messages={"required": _("Kies vanaf welke keer de wijziging geldt.")},
    )

    class Meta:
        model = ActivitySeries
        fields = ["title", "last_date"]
        widgets = {"last_date": DATE_WIDGET}
        help_texts = {"last_date": _("Een vroegere datum beëindigt de reeks; een latere voegt keren toe.")}
        error_messages = {
            "title": {"required": _("Geef de reeks een titel, bv. Praatcafé.")},
            "last_date": {"required": _("Kies tot wanneer de reeks loopt.")},
        }

    def __init__(self, *args, group: Group, reference: Activity | None, from_date: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.group = group
        organised: list[int] = []
        if reference is not None:
            organised = list(reference.activity_organisers.values_list("user_id", flat=True))
            self.initial.update(
                {
                    "kind": reference.kind,
                    "start_time": timezone.localtime(reference.starts_at).time(),
                    "end_time": timezone.localtime(reference.ends_at).time(),
                    "place": reference.place,
                    "themes": list(reference.themes),
                    "description": reference.description,
                    "organisers": organised,
                }
            )
        self.initial["from_date"] = from_date
        self.fields["organisers"].label = _("Wie organiseert?")
        cast(forms.ModelChoiceField, self.fields["organisers"]).queryset = group_members(
            group, keep=organised
        )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", END_BEFORE_START)
        today = timezone.localdate()
        from_date = cleaned.get("from_date")
        if from_date and from_date < today:
            self.add_error("from_date", _("Kies vandaag of later: wat voorbij is, blijft zoals het was."))
        last = cleaned.get("last_date")
        if last and "last_date" in self.changed_data and last < min(today, self.instance.last_date):
            self.add_error(
                "last_date",
                _("Een reeks kan niet eindigen voor vandaag: wat voorbij is, blijft zoals het was."),
            )
        return cleaned

    @property
    def data_changes(self) -> list[str]:
        """The changed fields that are data (where the change starts is not)."""
        return [name for name in self.changed_fields if name != "from_date"]


class SeriesEndForm(forms.Form):
    """End a series early: the last day it takes place. Prefixed: it shares its page with the
    series form, which has a `last_date` of its own."""

    prefix = "end"

    last_date = forms.DateField(
        label=_("Laatste keer op"),
        widget=DATE_WIDGET,
        error_messages={"required": _("Kies de laatste dag."), "invalid": _("Vul een geldige datum in.")},
    )

    def __init__(self, *args, series: ActivitySeries, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.series = series

    def clean_last_date(self) -> date:
        last = self.cleaned_data["last_date"]
        if last < self.series.first_date:
            raise forms.ValidationError(_("De laatste keer kan niet voor de eerste keer liggen."))
        if last < timezone.localdate():
            raise forms.ValidationError(
                _("Een reeks kan niet eindigen voor vandaag: wat voorbij is, blijft zoals het was.")
            )
        if last > self.series.last_date:
            raise forms.ValidationError(
                _("Om de reeks te verlengen, wijzig je de reeks en kies je een latere einddatum.")
            )
        return last
