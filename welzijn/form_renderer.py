"""The form renderer: Django's own Jinja2 copies of its form templates, and Django's template
language for a form template that exists only there (the admin's widget wrappers).

Django's form templates in Jinja2 give the same markup as its template-language ones in about
half the time, for the many small templates (input, options, label, error list) every field goes
through (docs/architecture.md, Rendering forms). Django's `Jinja2` renderer alone finds only
templates with a Jinja2 copy, so the admin's `related_widget_wrapper.html` and its like come from
Django's `DjangoTemplates` renderer instead. The page templates are not affected: they render
through settings.TEMPLATES as before.

`welzijn/jinja2/` is searched before Django's copies: its `select.html` writes each option in
instead of including `select_option.html` once per option (the same markup; a select of 20
options in less than half the time). tests/test_form_renderer.py compares every widget kind.
An empty error list or dict gives no markup in any of Django's error templates, so it is not
rendered at all: every field of every form asks for one (18 on the visit form). Each template is
looked up once per process (without DEBUG: neither engine reloads a template then), not on each
of the hundred-odd renders of a page with forms.
"""

from functools import cached_property
from pathlib import Path
from typing import Any

import django.forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist

from welzijn.forms import PlainLabelBoundField

# Django's templates for a form's, a field's or a formset's errors: with no errors, no markup.
ERROR_TEMPLATES = ("django/forms/errors/list/", "django/forms/errors/dict/")


class FormRenderer(Jinja2):
    """`get_template(name)`: our Jinja2 form template `name` (welzijn/jinja2/), else Django's
    Jinja2 one, else the template-language one; raises TemplateDoesNotExist when none has it.
    Every form's fields are `PlainLabelBoundField`s: labels without Django's ":" after them."""

    bound_field_class = PlainLabelBoundField

    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [Path(__file__).parent / "jinja2", Path(django.forms.__file__).parent / "jinja2"],
                "NAME": "djangoforms",
                "OPTIONS": {},
            }
        )

    @cached_property
    def template_language(self) -> DjangoTemplates:
        return DjangoTemplates()

    def render(self, template_name: str, context: dict, request=None) -> str:
        if template_name.startswith(ERROR_TEMPLATES) and not context.get("errors"):
            return ""
        return super().render(template_name, context, request)

    @cached_property
    def _found(self) -> dict[str, Any]:
        return {}

    def get_template(self, template_name: str):
        template = self._found.get(template_name)
        if template is None:
            try:
                template = super().get_template(template_name)
            except TemplateDoesNotExist:
                template = self.template_language.get_template(template_name)
            if not settings.DEBUG:  # with DEBUG, an edited template shows at once
                self._found[template_name] = template
        return template
