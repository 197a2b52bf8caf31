"""Forms render through Django's Jinja2 form templates (settings.FORM_RENDERER) with the markup
Django's own template-language form templates give: the labels, `aria-describedby`, error lists
and hidden initial values the pages' accessibility and the stale-save check rely on.

Each case renders the same thing twice, with the configured renderer and with Django's
`DjangoTemplates`, and compares the HTML with the whitespace between tags taken out (the two
template languages lay out blank lines differently; nothing else may differ): every widget kind
with awkward values, whole forms with errors, and the project's own forms.
"""

import re
from datetime import date

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.template import TemplateDoesNotExist
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from welzijn.forms import PlainLabelBoundField


class DjangoTemplatesWithOurLabels(DjangoTemplates):
    """Django's template-language renderer with the configured renderer's bound field (labels
    without Django's ":", welzijn/forms.py): the comparison is of the templates alone."""

    bound_field_class = PlainLabelBoundField


CONFIGURED, DJANGO = get_default_renderer(), DjangoTemplatesWithOurLabels()

VALUES: list[object] = [None, "", "a<b>&\"'c", mark_safe("<b>veilig</b>"), 1234567, True, date(2026, 3, 4)]
ATTRS = [
    {},
    {"id": "id_veld", "class": "tap-choice", "required": True, "disabled": False, "data-x": '<"&>'},
]
CHOICES = [
    ("", "---------"),
    ("a", "Aa & <bb>"),
    (2, gettext_lazy("Status")),
    ("Groep <1>", [("g1", "Eén"), ("g2", mark_safe("<i>twee</i>"))]),
]
SIMPLE: list[type[forms.Widget]] = [forms.TextInput, forms.NumberInput, forms.HiddenInput, forms.DateInput]
SIMPLE += [forms.CheckboxInput, forms.Textarea]
CHOICE = [forms.Select, forms.SelectMultiple, forms.RadioSelect, forms.CheckboxSelectMultiple]


def _markup(html: str) -> str:
    """The HTML without whitespace between tags or at line ends, and with one spelling of the
    quote escapes (Jinja2's markupsafe writes &#34; and &#39;, Django &quot; and &#x27;): what a
    browser builds the same."""
    html = html.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
    return re.sub(r"\s*\n\s*", " ", re.sub(r">\s+<", "><", html)).strip()


def both(render) -> tuple[str, str]:
    with override("nl-be"):
        return _markup(render(CONFIGURED)), _markup(render(DJANGO))


def test_form_templates_come_from_djangos_jinja2_copies_and_the_rest_from_the_template_language():
    assert settings.FORM_RENDERER == "welzijn.form_renderer.FormRenderer"
    widget = CONFIGURED.get_template("django/forms/widgets/input.html")
    assert type(widget).__module__ == "django.template.backends.jinja2"
    admin_widget = CONFIGURED.get_template("admin/widgets/related_widget_wrapper.html")
    assert type(admin_widget).__module__ == "django.template.backends.django"
    with pytest.raises(TemplateDoesNotExist):
        CONFIGURED.get_template("django/forms/widgets/nothing_by_this_name.html")


def _error_lists() -> list:
    from django.forms.utils import ErrorDict, ErrorList

    return [
        ErrorList(),
        ErrorList(["Verplicht <veld>"]),
        ErrorList(["Één", "Twee"], error_class="nonfield", field_id="id_x"),
        ErrorDict(),
        ErrorDict({"naam": ErrorList(["Verplicht"])}),
    ]


@pytest.mark.parametrize("index", range(len(_error_lists())))
@pytest.mark.parametrize("method", ["as_ul", "as_text", "__str__"])
def test_error_lists_empty_or_not_render_as_the_template_language_does(index, method):
    def render(renderer) -> str:
        errors = _error_lists()[index]
        errors.renderer = renderer
        return str(getattr(errors, method)())

    configured, django = both(render)
    assert configured == django
    if index in (0, 3):
        assert configured == ""


def test_the_select_with_its_options_written_in_is_ours():
    select = CONFIGURED.get_template("django/forms/widgets/select.html")
    assert select.origin.name == str(
        settings.BASE_DIR / "welzijn" / "jinja2" / "django" / "forms" / "widgets" / "select.html"
    )
    option = CONFIGURED.get_template("django/forms/widgets/select_option.html")  # Django's, as before
    assert "welzijn" not in option.origin.name


@pytest.mark.parametrize("widget_class", SIMPLE)
@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", VALUES)
def test_simple_widgets_render_as_django_renders_them(widget_class, attrs, value):
    widget = widget_class(dict(attrs))
    configured, django = both(lambda renderer: widget.render("veld", value, renderer=renderer))
    assert configured == django


@pytest.mark.parametrize("widget_class", CHOICE)
@pytest.mark.parametrize("value", [None, "a", ["a", "g2"], 2, "<niet>"])
def test_choice_widgets_and_their_options_render_as_django_renders_them(widget_class, value):
    widget = widget_class({"class": "tap-choice"}, choices=CHOICES)
    configured, django = both(lambda renderer: widget.render("veld", value, renderer=renderer))
    assert configured == django


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

    configured, django = both(render)
    assert configured == django


def test_the_chips_filter_gives_the_markup_of_the_template_loop_it_stands_for():
    """`{{ field|chips }}` (templates/_choice_chips.html) writes what a template loop over the
    field's choices wrote: each input in its label, escaped alike."""
    from django.template import engines

    loop = engines["django"].from_string(
        '{% for widget in field %}<label for="{{ widget.id_for_label }}">{{ widget.tag }} '
        "{{ widget.choice_label }}</label>{% endfor %}"
    )
    chips = engines["django"].from_string("{% load welzijn_forms %}{{ field|chips }}")
    with override("nl-be"):
        for data in [None, {"soort": "a", "wat": ["a", "g2"]}, {"soort": "<z>"}]:
            form = Everything(data)
            for name in ("soort", "wat"):
                assert chips.render({"field": form[name]}) == loop.render({"field": form[name]}), (data, name)


class OnlyHidden(forms.Form):
    a = forms.IntegerField(widget=forms.HiddenInput)
    b = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("Alles <fout>")


@pytest.mark.parametrize("data", [None, {"a": "x"}, {"a": "1"}])
def test_a_form_of_hidden_fields_renders_as_django_renders_it(data):
    configured, django = both(lambda renderer: str(OnlyHidden(data, renderer=renderer)))
    assert configured == django


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

    configured, django = both(render)
    assert configured == django
