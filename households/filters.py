import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from groups.models import Group
from households.choices import LifeDomain
from households.forms import group_members_ever, member_filter_field
from households.models import AccessLogEntry, Household
from households.selectors import needing_a_visit, search_households, without_active_contact

ALL = "all"


class HouseholdFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Zoek een gezin"),
        help_text=_("Naam, voornaam, straat, postcode of telefoonnummer"),
        method="filter_search",
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(ALL, _("alle gezinnen")), *Household.Status.choices],
        empty_label=_("actief en gepauzeerd"),
        method="filter_status",
    )
    need = django_filters.ChoiceFilter(
        label=_("Nood"), choices=LifeDomain.choices, empty_label=_("alle"), method="filter_need"
    )
    contact = django_filters.ModelChoiceFilter(
        label=_("Contactpersoon"), queryset=None, empty_label=_("iedereen"), method="filter_contact"
    )
    no_contact_weeks = django_filters.NumberFilter(
        label=_("Geen contact sinds (weken)"), method="filter_no_contact", min_value=1, max_value=520
    )
    without_contact = django_filters.BooleanFilter(
        label=_("Zonder actieve contactpersoon"),
        method="filter_without_contact",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Household
        fields: list[str] = []

    def __init__(self, *args, group: Group, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.group = group
        # Former members too: the households they were contact person for are still to be found.
        self.filters["contact"].queryset = group_members_ever(group)
        member_filter_field(self.filters["contact"].field)

    @property
    def qs(self):
        queryset = super().qs
        # An absent status means "open": closed households only show up when asked for.
        if not (self.form.is_bound and self.form.is_valid() and self.form.cleaned_data.get("status")):
            queryset = queryset.exclude(status=Household.Status.CLOSED)
        return queryset

    def filter_search(self, queryset, name, value):
        return search_households(queryset, value)

    def filter_status(self, queryset, name, value):
        if value == ALL:
            return queryset
        return queryset.filter(status=value)

    def filter_need(self, queryset, name, value):
        return queryset.filter(needs__contains=[value])

    def filter_contact(self, queryset, name, value):
        return queryset.filter(contacts__user=value)

    def filter_no_contact(self, queryset, name, value):
        return needing_a_visit(
            queryset, weeks=int(value), count_activities=self.group.activities_count_as_contact
        )

    def filter_without_contact(self, queryset, name, value):
        return without_active_contact(queryset) if value else queryset


class AccessLogFilter(django_filters.FilterSet):
    household = django_filters.ModelChoiceFilter(
        label=_("Gezin"), queryset=None, empty_label=_("alle gezinnen")
    )
    user = django_filters.ModelChoiceFilter(label=_("Wie"), queryset=None, empty_label=_("iedereen"))
    action = django_filters.ChoiceFilter(
        label=_("Wat"), choices=AccessLogEntry.Action.choices, empty_label=_("alles")
    )

    class Meta:
        model = AccessLogEntry
        fields = ["household", "user", "action"]
        form = forms.Form

    def __init__(self, *args, group: Group, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["household"].queryset = group.households.order_by("display_name")
        # Former members stay in the filter: their reads remain in the log.
        self.filters["user"].queryset = (
            get_user_model().objects.filter(memberships__group=group).order_by("full_name", "email")
        )
        self.filters["user"].field.label_from_instance = lambda user: user.get_full_name()
