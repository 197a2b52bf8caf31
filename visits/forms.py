import uuid
from typing import TYPE_CHECKING, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from groups.formats import short_date
from groups.models import Group
from households.choices import LifeDomain
from households.forms import ChoiceParts, MemberField, MembersField, group_members
from households.models import add_months
from visits.models import FollowUp, Signal, Support, Visit
from welzijn.forms import DATE_WIDGET, TextsOnce, not_in_future
from writes.stale import VersionedFormMixin

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise  # django-stubs' type of a lazy text

# How many topics and kinds of support show before "meer" (issue #12: the form fits a phone).
SHOWN_CHOICES = {"topics": 5, "support": 3, "volunteers": 4}


class VisitForm(TextsOnce, VersionedFormMixin, forms.ModelForm):
    volunteers = MembersField(
        label=_("Wie was erbij?"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "tap-choice"}),
        error_messages={
            "required": _("Kies wie erbij was."),
            "invalid_choice": _("Kies alleen leden van deze groep."),
        },
    )
    topics = forms.MultipleChoiceField(
        label=_("Waarover ging het?"),
        choices=LifeDomain.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "tap-choice"}),
        required=False,
    )
    support = forms.MultipleChoiceField(
        label=_("Praktische hulp"),
        choices=Support.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "tap-choice"}),
        required=False,
    )
    duration_minutes = forms.IntegerField(
        label=_("Hoe lang? (minuten, niet verplicht)"),
        required=False,
        min_value=1,
        max_value=24 * 60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": _("De duur moet meer dan 0 minuten zijn."),
            "max_value": _("Een contact duurt niet langer dan 24 uur (1440 minuten)."),
            "invalid": _("Vul een aantal minuten in, bv. 45."),
        },
    )
    note_lifetime = forms.ChoiceField(
        label=_("Hoe lang mag de notitie blijven?"),
        required=False,
        choices=[("", ""), ("3", _("3 maanden")), ("6", _("6 maanden")), ("12", _("12 maanden"))],
        help_text=_("Daarna wist Welzijn de notitie vanzelf."),
    )
    submission_id = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = Visit
        fields = [
            "date",
            "kind",
            "volunteers",
            "duration_minutes",
            "topics",
            "support",
            "support_note",
            "summary",
            "confidential_note",
        ]
        widgets = {
            "date": DATE_WIDGET,
            "kind": forms.RadioSelect(attrs={"class": "tap-choice"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "confidential_note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "confidential_note": _("Alleen jij en de coördinatoren kunnen dit lezen."),
        }

    def __init__(
        self,
        *args,
        group: Group,
        user,
        usual: dict[str, list[str]] | None = None,
        members: QuerySet | None = None,
        **kwargs,
    ) -> None:
        """`members`: the group's `group_members(group)` when the page offers them in other
        fields too (read once between them); a saved visit offers its own."""
        super().__init__(*args, **kwargs)
        self.usual = usual or {}
        self.user = user
        self.group = group
        present = (
            list(self.instance.visit_volunteers.values_list("user_id", flat=True)) if self.instance.pk else []
        )
        # Someone who has since left the group was still there that day: keep them choosable.
        cast(forms.ModelChoiceField, self.fields["volunteers"]).queryset = (
            group_members(group, keep=present) if present or members is None else members
        )
        default = group.note_lifetime_months
        note_lifetime = cast(forms.ChoiceField, self.fields["note_lifetime"])
        note_lifetime.choices = [
            (
                "",
                _("standaard van de groep (%(n)s maanden)") % {"n": default}
                if default
                else _("tot het gezin geanonimiseerd wordt"),
            ),
            *cast(list[tuple[str, str]], note_lifetime.choices)[1:],
        ]
        if self.instance.pk and self.instance.confidential_note_expires_on:
            self.fields["note_lifetime"].help_text = _(
                "Verdwijnt nu op %(date)s. Kies opnieuw om dat te veranderen."
            ) % {"date": self.instance.confidential_note_expires_on.strftime("%d/%m/%Y")}
        if self.instance.pk:
            self.fields["volunteers"].initial = present
            self.fields["submission_id"].initial = self.instance.submission_id
            self.fields["submission_id"].required = False
        else:
            # self.initial, not the field's: the unsaved instance gives an empty "volunteers".
            self.initial["volunteers"] = [user.pk]
            self.fields["submission_id"].initial = uuid.uuid4()

    def clean_date(self):
        return not_in_future(self.cleaned_data["date"])

    @property
    def changed_fields(self) -> list[str]:
        # The note's expiry is not a form field: it follows from `note_lifetime` (see clean()).
        names = [name for name in super().changed_fields if name not in ("submission_id", "note_lifetime")]
        if "note_lifetime" in self.changed_data or "confidential_note" in self.changed_data:
            names.append("confidential_note_expires_on")
        return names

    def clean(self):
        """The note's expiry date: the lifetime chosen now, or the group's default for a new note;
        kept as it was when an existing note is edited without choosing again."""
        super().clean()
        cleaned = self.cleaned_data
        note = cleaned.get("confidential_note")
        chosen = cleaned.get("note_lifetime")
        if not note:
            self.instance.confidential_note_expires_on = None
        elif (
            chosen
            or not self.instance.pk
            or "note_lifetime" in self.changed_data
            or ("confidential_note" in self.changed_data and not self.instance.confidential_note_expires_on)
        ):
            months = int(chosen) if chosen else self.group.note_lifetime_months
            self.instance.confidential_note_expires_on = (
                add_months(timezone.localdate(), months) if months else None
            )
        return cleaned

    def when_label(self) -> str:
        """'huisbezoek, vandaag' or 'telefoon, 5 dec.': the date and kind, said in one line."""
        kind = dict(Visit.Kind.choices).get(self["kind"].value() or Visit.Kind.HOME, "")
        day = self["date"].value()
        if isinstance(day, str):
            day = parse_date(day) if day else None
        when: str | Promise
        if day == timezone.localdate():
            when = _("vandaag")
        else:
            when = short_date(day, with_year=bool(day and day.year != timezone.localdate().year))
        return f"{kind}, {when}" if when else str(kind)

    @property
    def parts(self) -> dict[str, ChoiceParts]:
        """Who, topics and support in display order: for topics the household's needs, then
        what this volunteer and group use most (`usual`); the rest goes behind "meer"."""
        household = self.instance.household if self.instance.household_id else None
        needs = list(household.needs) if household else []
        # The volunteer, then the family's other contact persons (usually the duo partner).
        partners = [str(self.user.pk)]
        if household:
            partners += [str(pk) for pk in household.contacts.values_list("user_id", flat=True)]
        return {
            "volunteers": ChoiceParts(self["volunteers"], partners, SHOWN_CHOICES["volunteers"]),
            "topics": ChoiceParts(
                self["topics"], needs + self.usual.get("topics", []), SHOWN_CHOICES["topics"]
            ),
            "support": ChoiceParts(self["support"], self.usual.get("support", []), SHOWN_CHOICES["support"]),
        }


class FollowUpForm(TextsOnce, forms.ModelForm):
    assignee = MemberField(
        label=_("Wie doet het?"),
        queryset=None,
        empty_label=_("kies…"),
        error_messages={"invalid_choice": _("Kies iemand van deze groep.")},
    )

    class Meta:
        model = FollowUp
        fields = ["description", "due_date", "assignee"]
        widgets = {"due_date": DATE_WIDGET}
        error_messages = {
            "description": {"required": _("Beschrijf wat er moet gebeuren.")},
            "due_date": {"required": _("Kies tegen wanneer het moet gebeuren.")},
        }

    def __init__(self, *args, group: Group, user, members: QuerySet | None = None, **kwargs) -> None:
        """`members`: `group_members(group)`, when the page offers them in other fields too."""
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["assignee"]).queryset = (
            group_members(group) if members is None else members
        )
        if not self.instance.pk:
            self.fields["assignee"].initial = user.pk


class SignalForm(TextsOnce, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Signal
        fields = ["institution", "theme", "description", "status", "noticed_on", "raised_on", "resolved_on"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "noticed_on": DATE_WIDGET,
            "raised_on": DATE_WIDGET,
            "resolved_on": DATE_WIDGET,
        }
        error_messages = {
            "institution": {"required": _("Kies bij wie het signaal hoort.")},
            "theme": {"required": _("Kies een thema.")},
            "description": {"required": _("Beschrijf kort wat er misliep.")},
        }

    def __init__(self, *args, group: Group | None = None, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["institution"]).choices = [
            ("", _("kies…")),
            *Signal.Institution.choices,
        ]
        cast(forms.ChoiceField, self.fields["theme"]).choices = [("", _("kies…")), *LifeDomain.choices]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        for name in ("noticed_on", "raised_on", "resolved_on"):
            if cleaned.get(name):
                try:
                    not_in_future(cleaned[name])
                except forms.ValidationError as error:
                    self.add_error(name, error)
        status = cleaned.get("status")
        self.filled_in: list[str] = []
        if status == Signal.Status.RAISED and not cleaned.get("raised_on"):
            cleaned["raised_on"] = timezone.localdate()
            self.filled_in.append("raised_on")
        if status == Signal.Status.RESOLVED and not cleaned.get("resolved_on"):
            cleaned["resolved_on"] = timezone.localdate()
            self.filled_in.append("resolved_on")
        return cleaned

    @property
    def changed_fields(self) -> list[str]:
        """What the user changed, and the dates filled in for them."""
        changed = super().changed_fields
        return changed + [name for name in getattr(self, "filled_in", []) if name not in changed]


class SignalInlineForm(SignalForm):
    """In the visit form: a new signal is open; dates come later on the signal's own page."""

    class Meta(SignalForm.Meta):
        fields = ["institution", "theme", "description"]


class GroupFormSet(forms.BaseFormSet):
    """A formset whose forms are built for one group and user (follow-ups, signals in a visit)."""

    item_label: str | Promise = ""  # e.g. "Actiepunt %(number)s": names a sub-form in the error summary

    def __init__(self, *args, group: Group, user, members: QuerySet | None = None, **kwargs) -> None:
        self.group, self.user, self.members = group, user, members
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = {"group": self.group, "user": self.user}
        if self.members is not None:  # the follow-ups' assignees, read once for the whole page
            kwargs["members"] = self.members
        return kwargs

    @property
    def filled_forms(self):
        return [form for form in self.forms if form.has_changed() and form.is_valid()]


MAX_ITEMS = 10  # follow-ups or signals added with one visit


def group_formset(
    form: type[forms.BaseForm], *, item_label: str | Promise, too_many: "str | _StrPromise"
) -> type[GroupFormSet]:
    """A GroupFormSet class of `form`: one empty sub-form to start, at most MAX_ITEMS (more is
    refused with `too_many`); `item_label` names a sub-form in the error summary."""
    formset = cast(
        type[GroupFormSet],
        forms.formset_factory(
            form,
            formset=GroupFormSet,
            extra=1,
            max_num=MAX_ITEMS,
            absolute_max=MAX_ITEMS,
            validate_max=True,
        ),
    )
    formset.item_label = item_label
    formset.default_error_messages = {**forms.BaseFormSet.default_error_messages, "too_many_forms": too_many}
    return formset


FollowUpFormSet = group_formset(
    FollowUpForm,
    item_label=_("Actiepunt %(number)s"),
    too_many=_("Je kunt ten hoogste 10 actiepunten tegelijk toevoegen."),
)
SignalFormSet = group_formset(
    SignalInlineForm,
    item_label=_("Signaal %(number)s"),
    too_many=_("Je kunt ten hoogste 10 signalen tegelijk toevoegen."),
)
