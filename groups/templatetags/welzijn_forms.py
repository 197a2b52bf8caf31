"""The error summary every form page starts with when something was wrong (issue #9, item 5).

`{% error_summary form formset … %}` lists every error of the given forms and formsets, each
linked to its field, including errors that have no visible field of their own (a hidden field,
a formset's own rules such as "at most 10"). static/js/phone.js moves focus to it.
"""

from django import template
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms import BaseForm, BaseFormSet
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


def _first_field_id(form: BaseForm) -> str:
    for bound in form.visible_fields():
        return bound.id_for_label or bound.auto_id or ""
    return ""


def _form_entries(form: BaseForm, prefix: str = "") -> list[dict]:
    if not form.is_bound or not form.errors:
        return []
    entries = []
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS or name not in form.fields:
            target, label = _first_field_id(form), prefix
        else:
            bound = form[name]
            target = "" if bound.is_hidden else bound.id_for_label or bound.auto_id or ""
            label = prefix if bound.is_hidden else f"{prefix}: {bound.label}" if prefix else str(bound.label)
        entries += [{"label": label, "message": message, "target": target} for message in errors]
    return entries


# What _error_summary.html gives without entries: nothing but its closing line break.
NO_SUMMARY = "\n"


@register.simple_tag(takes_context=True)
def error_summary(context: template.Context, *forms: BaseForm | BaseFormSet | None, title: str = "") -> str:
    """_error_summary.html with the entries of `forms`, rendered only when there is one: a form
    shown for the first time (most are) costs no template render. `title`: the heading, "Nog
    niet opgeslagen" unless the form saves nothing (a login step: "Dat lukte nog niet")."""
    entries = _entries(forms)
    if not entries:
        return NO_SUMMARY
    summary = context.template.engine.get_template("_error_summary.html")  # type: ignore[union-attr]
    return summary.render(context.new({"entries": entries, "title": title or _("Nog niet opgeslagen")}))


def _entries(forms: tuple[BaseForm | BaseFormSet | None, ...]) -> list[dict]:
    entries: list[dict] = []
    for form in forms:
        if form is None or not getattr(form, "is_bound", False):
            continue
        if isinstance(form, BaseFormSet):
            item = getattr(form, "item_label", None)
            first = _first_field_id(form.forms[0]) if form.forms else ""
            entries += [
                {"label": "", "message": message, "target": first} for message in form.non_form_errors()
            ]
            for number, sub in enumerate(form.forms, start=1):
                prefix = str(item) % {"number": number} if item else ""
                entries += _form_entries(sub, prefix)
        else:
            entries += _form_entries(form)
    return entries


@register.filter
def hidden_initial(bound_field) -> str:
    """The hidden copy of what the form showed (`show_hidden_initial`), for templates that draw a
    field's inputs themselves (the choice chips): without it every such field counts as changed,
    and the stale-save check (writes.stale) would name and write it."""
    if getattr(bound_field.field, "show_hidden_initial", False):
        return bound_field.as_hidden(only_initial=True)
    return ""


@register.filter
def chips(widgets) -> SafeString:
    """`{{ field|chips }}` (or a ChoiceParts' `shown` or `rest`): each choice's input inside its
    label, one after the other, as _choice_chips.html shows them: the markup of a template loop
    over the choices, without the loop."""
    return format_html_join(
        "", '<label for="{}">{} {}</label>', ((w.id_for_label, w.tag(), w.choice_label) for w in widgets)
    )
