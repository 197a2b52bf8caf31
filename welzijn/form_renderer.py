"""The form renderer: Django's own Jinja2 copies of its form templates, and Django's template
language for a form template that exists only there (the admin's widget wrappers).

Django's form templates in Jinja2 give the same markup as its template-language ones in about
half the time, for the many small templates (input, options, label, error list) every field goes
through (docs/architecture.md, Rendering forms). Django's `Jinja2` renderer alone finds only
templates with a Jinja2 copy, so the admin's `related_widget_wrapper.html` and its like come from
Django's `DjangoTemplates` renderer instead. The page templates are not affected: they render
through settings.TEMPLATES as before.
"""

from functools import cached_property

from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FormRenderer(Jinja2):
    """`get_template(name)`: Django's Jinja2 form template `name`, else the template-language
    one; raises TemplateDoesNotExist when neither has it."""

    @cached_property
    def template_language(self) -> DjangoTemplates:
        return DjangoTemplates()

    def get_template(self, template_name: str):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.template_language.get_template(template_name)
