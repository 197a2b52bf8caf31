"""The form renderer (welzijn/form_renderer.py) writes exactly what Django's form templates write.

Each case renders the same thing twice, with `FastTemplates` and with Django's own
`DjangoTemplates`, and compares the HTML byte for byte: every widget kind, awkward values (markup
to escape, text already safe, numbers and dates to localise, True/False attributes, option
groups, lazy labels), errors, and the project's own forms on the pages that use them.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from welzijn.form_renderer import TEMPLATES, FastTemplates

FAST, DJANGO = FastTemplates(), DjangoTemplates()

VALUES: list[object] = [None, "", "gewoon", "a<b>&\"'c", mark_safe("<b>veilig</b>"), 0, 1234567]
VALUES += [Decimal("12.50"), 3.5]
VALUES += [True, False, date(2026, 3, 4), datetime(2026, 3, 4, 5, 6, tzinfo=UTC), ["a", "b<"], ("x", 1)]
ATTRS = [
    {},
    {"id": "id_veld", "class": "tap-choice", "required": True, "disabled": False, "data-x": '<"&>'},
    {"id": mark_safe("id_<veilig>"), "inputmode": "numeric", "placeholder": gettext_lazy("Zoek een gezin")},
]
CHOICES = [
    ("", "---------"),
    ("a", "Aa & <bb>"),
    (2, gettext_lazy("Status")),
    ("Groep <1>", [("g1", "Eén"), ("g2", mark_safe("<i>twee</i>"))]),
    (date(2026, 1, 2), 12345),
]
SIMPLE = [
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.PasswordInput,
    lambda attrs: forms.PasswordInput(attrs, render_value=True),
    forms.HiddenInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
    forms.SearchInput,
    forms.TelInput,
    forms.ColorInput,
    forms.CheckboxInput,
    forms.Textarea,
]
CHOICE = [forms.Select, forms.SelectMultiple, forms.RadioSelect, forms.CheckboxSelectMultiple]


def both(render) -> tuple[str, str]:
    with override("nl-be"):
        return render(FAST), render(DJANGO)


@pytest.mark.parametrize("widget_class", SIMPLE)
@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", VALUES)
def test_simple_widgets_render_as_django_renders_them(widget_class, attrs, value):
    widget = widget_class(dict(attrs))
    fast, django = both(lambda renderer: widget.render("veld", value, renderer=renderer))
    assert fast == django


@pytest.mark.parametrize("widget_class", CHOICE)
@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", [None, "a", ["a", "g2"], 2, date(2026, 1, 2), "<niet>"])
def test_choice_widgets_and_their_options_render_as_django_renders_them(widget_class, attrs, value):
    widget = widget_class(dict(attrs), choices=CHOICES)
    fast, django = both(lambda renderer: widget.render("veld", value, renderer=renderer))
    assert fast == django


class Everything(forms.Form):
    naam = forms.CharField(label="Naam <echt>", help_text="Help & <uitleg>", max_length=5)
    jaar = forms.IntegerField(label=gettext_lazy("Status"), required=False)
    wanneer = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    soort = forms.ChoiceField(choices=CHOICES[1:3], widget=forms.RadioSelect(attrs={"class": "tap-choice"}))
    wat = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple, required=False)
    kies = forms.ChoiceField(choices=CHOICES)
    ja = forms.BooleanField(required=False, label="")
    tekst = forms.CharField(widget=forms.Textarea, required=False)
    verborgen = forms.CharField(widget=forms.HiddenInput, required=False)


@pytest.mark.parametrize(
    "data",
    [None, {}, {"naam": "veel te lang <x>", "jaar": "x", "wanneer": "2026-13-01", "soort": "z", "kies": "a"}],
)
def test_whole_forms_with_labels_help_and_errors_render_as_django_renders_them(data):
    def render(renderer):
        form = Everything(data, renderer=renderer, auto_id="id_%s", initial={"naam": "<begin>"})
        form.fields["naam"].show_hidden_initial = True
        parts = [str(form), str(form.errors), str(form.non_field_errors())]
        for field in form:
            parts += [field.label_tag(), field.legend_tag(), str(field.errors), field.as_field_group()]
            parts += [widget.tag() for widget in field.subwidgets]
        return "\n".join(parts)

    fast, django = both(render)
    assert fast == django


class OnlyHidden(forms.Form):
    a = forms.IntegerField(widget=forms.HiddenInput)
    b = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("Alles <fout>")


@pytest.mark.parametrize("data", [None, {"a": "x"}, {"a": "1"}])
def test_a_form_of_hidden_fields_renders_as_django_renders_it(data):
    fast, django = both(lambda renderer: str(OnlyHidden(data, renderer=renderer)))
    assert fast == django


def test_every_template_written_out_is_one_of_djangos_own():
    for name in TEMPLATES:
        DJANGO.get_template(name)  # raises TemplateDoesNotExist for a name Django does not have


def test_a_template_not_written_out_is_rendered_by_django():
    name = "django/forms/p.html"
    form = Everything()
    assert FAST.render(name, form.get_context()) == DJANGO.render(name, form.get_context())


def test_the_project_forms_render_as_django_renders_them(world, monkeypatch):
    import uuid

    from households.filters import HouseholdFilter
    from households.forms import ConsentForm, HouseholdForm, PersonForm
    from visits.filters import VisitFilter
    from visits.forms import FollowUpFormSet, SignalFormSet, VisitForm
    from visits.models import Visit

    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=1))  # the visit form's submission id
    group, user, household = world.group_a, world.volunteer_a, world.household_a
    person = household.persons.first()

    def render(renderer):
        made = [
            HouseholdForm(instance=household, group=group),
            HouseholdForm({"display_name": ""}, group=group),
            PersonForm(instance=person, prefix="p1") if person else PersonForm(prefix="p1"),
            PersonForm({"new-first_name": "", "new-birth_year": "3000"}, prefix="new"),
            ConsentForm(prefix="consent"),
            VisitForm(instance=Visit(household=household, group=group), group=group, user=user),
            VisitForm({"date": "x"}, instance=Visit(household=household), group=group, user=user),
            HouseholdFilter({"q": "<x>", "status": "all"}, group=group).form,
            VisitFilter({"date_from": "2026-02-01", "date_to": "2026-01-01"}, group=group).form,
        ]
        sets = [
            FollowUpFormSet(prefix="followup", group=group, user=user),
            SignalFormSet(prefix="signal", group=group, user=user),
        ]
        for form in made:
            form.renderer = renderer
        for formset in sets:
            formset.renderer = renderer  # type: ignore[attr-defined]
            for form in formset:
                form.renderer = renderer
        parts = [str(form) for form in made]
        for formset in sets:
            parts += [str(formset.management_form), *[str(form) for form in formset]]
        return "\n".join(parts)

    fast, django = both(render)
    assert fast == django
