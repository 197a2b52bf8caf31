from django import template

from groups import formats

register = template.Library()


@register.filter
def short_date(value, arg: str = ""):
    """`{{ visit.date|short_date }}` gives "5 dec."; `{{ d|short_date:"year" }}` "5 dec. 2026"."""
    return formats.short_date(value, with_year=arg == "year")
