"""The form renderer: Django's own templates, with the small widget templates done in Python.

Every page with a form renders each field through Django's form templates: an input is three
templates (`text.html` includes `input.html`, which includes `attrs.html`), a choice is three
more per option. On the household page and the visit form that was about half of the page's
time (`bench/page_profile.py`). `FastTemplates` writes out exactly what those templates write,
byte for byte, with the same escaping and localisation (`render_value_in_context`, the
`stringformat` filter): the widgets, labels, error lists, a field (`field.html`) and a whole form
(`div.html`). Every other template (formsets, a form or widget with a template of its own) goes
to Django's engine. `tests/test_form_renderer.py` compares the two on every
widget kind and on the project's forms.

Settings: `FORM_RENDERER = "welzijn.form_renderer.FastTemplates"`.
"""

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.safestring import SafeData, mark_safe

WIDGETS = "django/forms/widgets/"


class _TemplateContext:
    """What `render_value_in_context` reads of a template Context rendered by the Django
    backend (the form renderer's engine): autoescape on, localisation and time zone unset."""

    autoescape = True
    use_l10n = None
    use_tz = None


_CONTEXT = _TemplateContext()


def _var(value: Any) -> str:
    """`{{ value }}`."""
    return render_value_in_context(value, _CONTEXT)  # type: ignore[arg-type]  # duck-typed Context


def _format(value: Any) -> str:
    """`{{ value|stringformat:'s' }}` (the filter is is_safe: safe text stays safe)."""
    text = stringformat(value, "s")
    return _var(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308 - it was safe


def _attrs(attrs: Mapping[str, Any]) -> str:
    """`django/forms/widgets/attrs.html` and `django/forms/attrs.html`."""
    out = []
    for name, value in attrs.items():
        if value is not False:
            out.append(" " + _var(name))
            if value is not True:
                out.append('="' + _format(value) + '"')
    return "".join(out)


def _input(widget: Mapping[str, Any]) -> str:
    """`input.html`, with its closing newline."""
    value = widget["value"]
    shown = ' value="' + _format(value) + '"' if value != None else ""  # noqa: E711 - as the template
    type_, name = _var(widget["type"]), _var(widget["name"])
    return f'<input type="{type_}" name="{name}"{shown}{_attrs(widget["attrs"])}>\n'


def _input_option(widget: Mapping[str, Any]) -> str:
    """`input_option.html`."""
    if not widget["wrap_label"]:
        return _input(widget) + "\n"
    id_ = widget["attrs"].get("id")
    label_for = ' for="' + _var(id_) + '"' if id_ else ""
    return f"<label{label_for}>{_input(widget)} {_var(widget['label'])}</label>\n"


def _select_option(widget: Mapping[str, Any]) -> str:
    """`select_option.html`."""
    value, label = _format(widget["value"]), _var(widget["label"])
    return f'<option value="{value}"{_attrs(widget["attrs"])}>{label}</option>\n'


def _option(widget: Mapping[str, Any]) -> str:
    """`{% include option.template_name with widget=option %}`, for the option templates known here."""
    return OPTIONS[widget["template_name"]](widget)


def _select(widget: Mapping[str, Any]) -> str:
    """`select.html`."""
    out = [f'<select name="{_var(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_var(group_name)}">')
        for option in group_choices:
            out.append("\n  " + _option(option))
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>\n")
    return "".join(out)


def _multiple_input(widget: Mapping[str, Any]) -> str:
    """`multiple_input.html` (radio buttons, checkboxes)."""
    attrs = widget["attrs"]
    id_, class_ = attrs.get("id"), attrs.get("class")
    out = ["<div", f' id="{_var(id_)}"' if id_ else "", f' class="{_var(class_)}"' if class_ else "", ">"]
    for group, options, _index in widget["optgroups"]:
        if group:
            out.append(f"\n  <div><label>{_var(group)}</label>")
        for option in options:
            out.append("<div>\n    " + _option(option) + "</div>")
        if group:
            out.append("\n  </div>")
    out.append("\n</div>\n")
    return "".join(out)


def _textarea(widget: Mapping[str, Any]) -> str:
    """`textarea.html`."""
    value = _var(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_var(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>\n'


def _label(context: Mapping[str, Any]) -> str:
    """`django/forms/label.html` (labels and legends)."""
    if context["use_tag"]:
        tag = _var(context["tag"])
        return f"<{tag}{_attrs(context['attrs'])}>{_var(context['label'])}</{tag}>\n"
    return _var(context["label"]) + "\n"


def _error_list(context: Mapping[str, Any]) -> str:
    """`django/forms/errors/list/ul.html` (and `default.html`, which includes it)."""
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    id_ = f' id="{_var(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{_var(error)}</li>" for error in errors)
    return f'<ul class="{_var(context["error_class"])}"{id_}>{items}</ul>'


def _field(context: Mapping[str, Any]) -> str:
    """`django/forms/field.html`: a field's label (or legend), help text, errors and widget."""
    field = context["field"]
    fieldset = field.use_fieldset
    if fieldset:
        described = field.aria_describedby
        described = f' aria-describedby="{_var(described)}"' if described else ""
        legend = _var(field.legend_tag()) if field.label else ""
        out = [f"\n  <fieldset{described}>\n  {legend}\n"]
    else:
        out = ["\n  " + (_var(field.label_tag()) if field.label else "") + "\n"]
    out.append("\n")
    if field.help_text:
        id_ = f' id="{_var(field.auto_id)}_helptext"' if field.auto_id else ""
        help_text = str(field.help_text)  # the |safe filter (a stringfilter)
        out.append(f'<div class="helptext"{id_}>{_var(mark_safe(help_text))}</div>')  # noqa: S308 - as |safe
    out.append("\n" + _var(field.errors) + "\n" + _var(field) + ("</fieldset>" if fieldset else "") + "\n")
    return "".join(out)


def _div(context: Mapping[str, Any]) -> str:
    """`django/forms/div.html`: a whole form, each field in a div, hidden fields after the last."""
    errors, fields = context["errors"], context["fields"]
    hidden = "".join(_var(field) for field in context["hidden_fields"])
    out = [_var(errors) + "\n"]
    if errors and not fields:
        out.append(f"\n  <div>{hidden}</div>\n")
    out.append("\n")
    for number, (field, _errors) in enumerate(fields, start=1):
        classes = field.css_classes()
        classes = f' class="{_var(classes)}"' if classes else ""
        out.append(f"\n  <div{classes}>\n    {_var(field.as_field_group())}\n    ")
        if number == len(fields):
            out.append(f"\n      {hidden}\n    ")
        out.append("\n</div>\n")
    out.append("\n")
    if not fields and not errors:
        out.append(f"\n  {hidden}\n")
    out.append("\n")
    return "".join(out)


OPTIONS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    WIDGETS + "select_option.html": _select_option,
    WIDGETS + "radio_option.html": lambda widget: _input_option(widget) + "\n",
    WIDGETS + "checkbox_option.html": lambda widget: _input_option(widget) + "\n",
}

_INPUTS = ["text", "number", "email", "url", "password", "hidden", "date", "datetime", "time"]
_INPUTS += ["search", "tel", "color", "checkbox"]


def _input_template(context: Mapping[str, Any]) -> str:
    """`text.html`, `number.html` …: each includes `input.html` and adds a newline."""
    return _input(context["widget"]) + "\n"


def _option_template(option: Callable[[Mapping[str, Any]], str]) -> Callable[[Mapping[str, Any]], str]:
    return lambda context: option(context["widget"])


# Template name -> a function of the template's context, giving what the template gives.
TEMPLATES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    **{WIDGETS + f"{name}.html": _input_template for name in _INPUTS},
    **{name: _option_template(option) for name, option in OPTIONS.items()},
    WIDGETS + "select.html": lambda context: _select(context["widget"]),
    WIDGETS + "radio.html": lambda context: _multiple_input(context["widget"]) + "\n",
    WIDGETS + "checkbox_select.html": lambda context: _multiple_input(context["widget"]) + "\n",
    WIDGETS + "textarea.html": lambda context: _textarea(context["widget"]),
    "django/forms/label.html": _label,
    "django/forms/field.html": _field,
    "django/forms/div.html": _div,
    "django/forms/errors/list/default.html": _error_list,
    "django/forms/errors/list/ul.html": _error_list,
}


class FastTemplates(DjangoTemplates):
    """Django's `DjangoTemplates` form renderer, with the templates in `TEMPLATES` written out
    in Python. Whatever else (another template, an option template not known here, a context
    without the expected keys) goes to Django's engine as before."""

    def render(self, template_name: str, context: dict[str, Any], request=None) -> str:
        fast = TEMPLATES.get(template_name)
        if fast is not None and request is None:
            try:
                return fast(context).strip()
            except (KeyError, TypeError, AttributeError):
                pass  # not the context Django's widgets give: let the template decide
        return super().render(template_name, context, request)
