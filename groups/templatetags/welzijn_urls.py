"""`{% url %}` that reverses each URL pattern once per process: `{% load welzijn_urls %}`.

Django's `{% url %}` reverses from scratch every time (about 600 Python calls); a list of 25
households or visits, with the group's navigation, spent about a fifth of its Python work there
(`bench/page_profile.py`). This tag gives the same URLs: for each view name and set of non-integer
arguments (the group's slug), it reverses once with a marker number in place of each integer
argument (a record's pk), keeps that, and for every later call puts the numbers in. An integer
becomes its digits in a URL (Django's `int` converter and our `<int:…>` patterns), so the result
is the one `reverse()` gives; where a marker does not come out exactly once (a custom converter,
a slug containing it), the tag calls `reverse()` as Django's does.

The kept patterns are strings of the URL configuration (view names and slugs), no data of a
family; the slug is part of the key, so a group's pattern never serves another group.
"""

import functools

from django import template
from django.template.defaulttags import URLNode, url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()

# Integers no pk or year in a URL of ours comes near; one per integer argument.
MARKER = 90_817_263_545_362


@functools.lru_cache(maxsize=4096)
def _pattern(
    urlconf: str | None,
    prefix: str,
    language: str | None,
    current_app: str | None,
    view_name: str,
    fixed: tuple[tuple[str, object], ...],
    numbered: tuple[str, ...],
) -> tuple[str, tuple[str, ...]] | None:
    """The URL of `view_name` with a marker for each argument in `numbered`, and the markers;
    None when a marker does not appear exactly once (then each call reverses). `urlconf`,
    `prefix` and `language` are part of the key: reverse() reads them from the thread."""
    kwargs: dict[str, object] = dict(fixed)
    markers = []
    for index, name in enumerate(numbered):
        kwargs[name] = MARKER + index
        markers.append(str(MARKER + index))
    pattern = reverse(view_name, kwargs=kwargs, current_app=current_app)
    if any(pattern.count(marker) != 1 for marker in markers):
        return None
    return pattern, tuple(markers)


def cached_reverse(view_name: str, kwargs: dict[str, object], current_app: str | None = None) -> str:
    """`reverse(view_name, kwargs=kwargs, current_app=current_app)`, from a kept pattern."""
    numbered = tuple(sorted(k for k, v in kwargs.items() if type(v) is int))
    fixed = tuple(sorted((k, v) for k, v in kwargs.items() if type(v) is not int))
    try:
        found = _pattern(
            get_urlconf(), get_script_prefix(), get_language(), current_app, view_name, fixed, numbered
        )
    except TypeError:  # an argument that cannot be a key (a list): as Django does
        found = None
    if found is None:
        return reverse(view_name, kwargs=kwargs, current_app=current_app)
    pattern, markers = found
    for marker, name in zip(markers, numbered, strict=True):
        pattern = pattern.replace(marker, str(kwargs[name]))
    return pattern


class CachedURLNode(URLNode):
    """Django's URLNode with keyword arguments reversed through `cached_reverse`; positional
    arguments go to Django's own."""

    def render(self, context):
        if self.args:
            return super().render(context)
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        try:
            found = cached_reverse(view_name, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
            found = ""
        if self.asvar:
            context[self.asvar] = found
            return ""
        return conditional_escape(found) if context.autoescape else found


@register.tag(name="url")
def cached_url(parser, token):
    """`{% url 'name' key=value … [as var] %}`, as Django's, reversed through kept patterns."""
    node = url(parser, token)
    return CachedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
