from collections.abc import Iterable, Sequence
from typing import Any, cast

import django_filters.fields
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from groups.models import Group, Membership
from households.choices import Language, LifeDomain, ReferralSource
from households.models import Consent, Household, Person, current_year
from welzijn.forms import DATE_WIDGET, TextsOnce, not_in_future
from writes.stale import VersionedFormMixin


def _active_membership(group: Group):
    # A deactivated account counts as gone too, even if its membership was left on.
    return Membership.objects.filter(user=OuterRef("pk"), group=group, is_active=True, user__is_active=True)


def group_members(group: Group, *, keep: Iterable[int] = ()):
    """The people a form of this group may offer: its active members, plus `keep`, the users
    the record being edited already refers to (a contact person or a volunteer who has since
    left stays valid there, and is not dropped by an edit that did not touch them).

    Each user is annotated with `is_former` (no active membership of the group any more)."""
    active = _active_membership(group)
    return (
        get_user_model()
        .objects.filter(Q(Exists(active)) | Q(pk__in=list(keep)))
        .annotate(is_former=~Exists(active))
        .order_by("full_name", "email")
    )


def group_members_ever(group: Group):
    """Everyone who is or was a member of the group, for filters over its history."""
    active = _active_membership(group)
    return (
        get_user_model()
        .objects.filter(Exists(Membership.objects.filter(user=OuterRef("pk"), group=group)))
        .annotate(is_former=~Exists(active))
        .order_by("full_name", "email")
    )


def member_label(user) -> str:
    """A member's name; someone who left the group is marked so."""
    if getattr(user, "is_former", False):
        return gettext("%(name)s (geen lid meer)") % {"name": user.get_full_name()}
    return user.get_full_name()


class ChoiceParts:
    """A multiple-choice field split for display: the usual choices first, the rest folded.

    `shown` and `rest` are lists of the field's BoundWidgets (the inputs keep one name, so the
    form works the same without JavaScript); `rest_open` is true when a folded choice is ticked."""

    def __init__(self, bound_field, first: Sequence[str], count: int) -> None:
        order = list(dict.fromkeys([*first, *(str(value) for value, _label in bound_field.field.choices)]))
        widgets = {str(widget.data["value"]): widget for widget in bound_field.subwidgets}
        ordered = [widgets[value] for value in order if value in widgets]
        self.shown, self.rest = ordered[:count], ordered[count:]
        self.rest_open = any(widget.data["selected"] for widget in self.rest)


class MembersOnce(forms.models.ModelChoiceIterator):
    """A member field's choices from one ordinary query, kept for the field's next pass.

    A form reads a field's choices more than once (ChoiceParts, the widget, the hidden initial
    value), and Django's iterator runs the query again each time, on a server-side cursor (three
    round trips). This one iterates the field's own queryset, which keeps its rows: one query
    per field and request, whatever the number of members. The queryset is the field's, made
    for this form: nothing outlives the request."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class FilterMembersOnce(django_filters.fields.ModelChoiceIterator, MembersOnce):
    """`MembersOnce` for a django-filter member filter (which may add a "none" choice)."""


def member_filter_field(field) -> None:
    """Make a django-filter ModelChoiceFilter's field show members: labelled by member_label,
    its choices read once (`FilterMembersOnce`)."""
    field.label_from_instance = member_label
    field.iterator = FilterMembersOnce


class SharesMembers:
    """A member field that keeps the queryset it is given, not a copy of it (Django's model
    choice fields copy it), so that the fields of one page given the same `group_members(...)`
    (the visit form's volunteers and each follow-up's assignee) read its rows in one query between
    them (`MembersOnce` iterates it). Each form is given its queryset per request: nothing is
    shared beyond the request."""

    _queryset: Any
    widget: Any
    choices: Any

    def _get_queryset(self):
        return self._queryset

    def _set_queryset(self, queryset) -> None:
        self._queryset = queryset
        self.widget.choices = self.choices

    queryset = property(_get_queryset, _set_queryset)

    def label_from_instance(self, obj) -> str:
        return member_label(obj)


class MembersField(SharesMembers, forms.ModelMultipleChoiceField):
    """Several members of the group, each labelled by member_label."""

    iterator = MembersOnce


class MemberField(SharesMembers, forms.ModelChoiceField):
    """One member of the group, labelled by member_label."""

    iterator = MembersOnce


COMMON_LANGUAGES = [Language.DUTCH, Language.FRENCH, Language.ENGLISH, Language.ARABIC, Language.TURKISH]


class HouseholdForm(TextsOnce, VersionedFormMixin, forms.ModelForm):
    """Create and edit a household. `version` travels with the form so that a save based on an
    outdated copy is caught; the hidden initial values let us show what the other person changed."""

    languages = forms.MultipleChoiceField(
        label=_("Talen die het gezin spreekt"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    needs = forms.MultipleChoiceField(
        label=_("Noden"),
        help_text=_("Op welke levensdomeinen heeft het gezin het moeilijk?"),
        choices=LifeDomain.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    contact_volunteers = MembersField(
        label=_("Contactpersonen"),
        help_text=_("Wie van de groep is het aanspreekpunt voor dit gezin?"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Kies alleen leden van deze groep.")},
    )

    class Meta:
        model = Household
        fields = [
            "display_name",
            "street",
            "house_number",
            "box",
            "postcode",
            "municipality",
            "phone",
            "email",
            "languages",
            "needs",
            "referral_source",
            "contact_volunteers",
            "status",
        ]
        widgets = {
            "postcode": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }
        error_messages = {
            "display_name": {"required": _("Vul de naam van het gezin in, bv. Familie Peeters.")},
            "postcode": {"max_length": _("Een Belgische postcode heeft 4 cijfers, bv. 8000.")},
            "email": {
                "invalid": _(
                    "Dit is geen geldig e-mailadres. Het moet een @ bevatten, bv. naam@voorbeeld.be."
                )
            },
        }

    def __init__(self, *args, group: Group, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.group = group
        contacts = list(self.instance.contacts.values_list("user_id", flat=True)) if self.instance.pk else []
        cast(forms.ModelChoiceField, self.fields["contact_volunteers"]).queryset = group_members(
            group, keep=contacts
        )
        if not self.instance.pk and user is not None:
            # Whoever registers a family is, nearly always, its first contact person.
            self.fields["contact_volunteers"].initial = [user.pk]
        cast(forms.ChoiceField, self.fields["referral_source"]).choices = [
            ("", _("weet ik niet")),
            *ReferralSource.choices,
        ]
        if self.instance.pk and not self.instance.is_closed:
            # Pausing is part of editing; closing has its own page (reason, date, coordinators).
            status = cast(forms.ChoiceField, self.fields["status"])
            status.choices = [
                (value, label)
                for value, label in Household.Status.choices
                if value != Household.Status.CLOSED
            ]
            status.widget = forms.RadioSelect(choices=cast(list[tuple[str, str]], status.choices))
            self.fields["status"].help_text = _(
                "Gepauzeerd: het gezin wil even geen bezoek, maar de opvolging loopt."
            )
        else:
            del self.fields["status"]
        if self.instance.pk:
            self.fields["contact_volunteers"].initial = contacts

    @property
    def language_parts(self) -> ChoiceParts:
        """The languages most families in Flanders speak first, the rest behind "meer talen"."""
        return ChoiceParts(self["languages"], COMMON_LANGUAGES, len(COMMON_LANGUAGES))

    def clean_display_name(self) -> str:
        return " ".join(self.cleaned_data["display_name"].split())


class DuplicateConfirmForm(forms.Form):
    confirm_new = forms.BooleanField(
        label=_("Ik heb gekeken: dit is een ander gezin. Toch opslaan."), required=False
    )


class PersonForm(TextsOnce, VersionedFormMixin, forms.ModelForm):
    birth_year = forms.IntegerField(
        label=_("Geboortejaar"),
        required=False,
        help_text=_("Alleen het jaar, bv. 1984."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Vul een jaartal in, bv. 1984.")},
    )

    class Meta:
        model = Person
        fields = ["first_name", "last_name", "birth_year", "role", "note"]
        error_messages = {"first_name": {"required": _("Vul een voornaam in.")}}

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data["birth_year"]
        if year is None:
            return None
        if year > current_year():
            raise forms.ValidationError(_("Het geboortejaar kan niet in de toekomst liggen."), code="future")
        if year < 1900:
            raise forms.ValidationError(_("Vul een geboortejaar in vanaf 1900."), code="too_old")
        return year


class ConsentForm(TextsOnce, forms.ModelForm):
    # The consent row that was current when the form was shown ("" for none): recording consent
    # over a newer row someone else added is a stale save (see households.services.record_consent).
    based_on = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Consent
        fields = ["status", "date", "method", "purpose"]
        widgets = {
            "status": forms.RadioSelect,
            "method": forms.RadioSelect,
            "date": DATE_WIDGET,
        }

    def clean_date(self):
        return not_in_future(self.cleaned_data["date"])


class CloseForm(TextsOnce, forms.Form):
    closed_on = forms.DateField(
        label=_("Afgesloten op"),
        initial=timezone.localdate,
        widget=DATE_WIDGET,
    )
    close_reason = forms.ChoiceField(
        label=_("Waarom sluiten jullie de opvolging af?"),
        choices=Household.CloseReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een reden.")},
    )
    close_note = forms.CharField(label=_("Toelichting (niet verplicht)"), max_length=300, required=False)

    def clean_closed_on(self):
        return not_in_future(self.cleaned_data["closed_on"])
