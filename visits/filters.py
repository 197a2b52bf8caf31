import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Group
from households.choices import LifeDomain
from households.forms import group_members_ever, member_filter_field
from visits.models import FollowUp, Signal, Visit
from welzijn.forms import DATE_WIDGET, check_period


def _members_filter(filterset, name: str, group: Group) -> None:
    # Former members too: their visits and follow-ups stay in the group's history.
    filterset.filters[name].queryset = group_members_ever(group)
    member_filter_field(filterset.filters[name].field)


class VisitFilterForm(forms.Form):
    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        check_period(
            self,
            "date_from",
            "date_to",
            _("Het einde ligt vóór het begin. Kies %(start)s of een latere datum."),
        )
        return cleaned


class VisitFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("Van"), widget=DATE_WIDGET
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("Tot en met"), widget=DATE_WIDGET
    )
    volunteer = django_filters.ModelChoiceFilter(
        label=_("Vrijwilliger"), queryset=None, empty_label=_("iedereen"), method="filter_volunteer"
    )
    kind = django_filters.ChoiceFilter(label=_("Soort"), choices=Visit.Kind.choices, empty_label=_("alle"))
    topic = django_filters.ChoiceFilter(
        label=_("Onderwerp"), choices=LifeDomain.choices, empty_label=_("alle"), method="filter_topic"
    )

    class Meta:
        model = Visit
        fields: list[str] = []
        form = VisitFilterForm

    def __init__(self, *args, group: Group, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _members_filter(self, "volunteer", group)

    def filter_volunteer(self, queryset, name, value):
        return queryset.filter(visit_volunteers__user=value)

    def filter_topic(self, queryset, name, value):
        return queryset.filter(topics__contains=[value])


class FollowUpFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("overdue", _("te laat")), ("done", _("gedaan")), ("all", _("alle"))],
        empty_label=_("nog te doen"),
        method="filter_state",
    )
    assignee = django_filters.ModelChoiceFilter(label=_("Wie"), queryset=None, empty_label=_("iedereen"))

    class Meta:
        model = FollowUp
        fields: list[str] = []

    def __init__(self, *args, group: Group, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _members_filter(self, "assignee", group)

    @property
    def qs(self):
        queryset = super().qs
        if not (self.form.is_bound and self.form.is_valid() and self.form.cleaned_data.get("state")):
            queryset = queryset.filter(done_at__isnull=True)
        return queryset

    def filter_state(self, queryset, name, value):
        if value == "overdue":
            return queryset.filter(done_at__isnull=True, due_date__lt=timezone.localdate())
        if value == "done":
            return queryset.filter(done_at__isnull=False)
        return queryset


class SignalFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Signal.Status.choices, empty_label=_("alle")
    )
    institution = django_filters.ChoiceFilter(
        label=_("Bij wie"), choices=Signal.Institution.choices, empty_label=_("alle")
    )
    theme = django_filters.ChoiceFilter(label=_("Thema"), choices=LifeDomain.choices, empty_label=_("alle"))

    class Meta:
        model = Signal
        fields: list[str] = []
