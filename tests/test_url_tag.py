"""`{% load welzijn_urls %}{% url %}` (groups/templatetags/welzijn_urls.py) gives what Django's gives."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse

from groups.templatetags.welzijn_urls import MARKER, cached_reverse

CASES = [
    ("home", {}),
    ("households:list", {"slug": "brugge"}),
    ("households:detail", {"slug": "brugge", "pk": 7}),
    ("households:detail", {"slug": "genk", "pk": 7}),
    ("households:detail", {"slug": "brugge", "pk": 1234567}),
    ("households:person_edit", {"slug": "brugge", "pk": 3, "person_pk": 33}),
    ("households:person_edit", {"slug": "brugge", "pk": 33, "person_pk": 3}),
    ("visits:detail", {"slug": "brugge", "pk": 0}),
    ("visits:follow_up_done", {"slug": "a-b-c", "pk": 12}),
    ("households:detail", {"slug": "brugge", "pk": "15"}),  # a string pk, as a template may give
    ("households:detail", {"slug": f"x{MARKER}", "pk": 5}),  # a slug holding the marker
]


@pytest.mark.parametrize(("name", "kwargs"), CASES)
def test_cached_reverse_gives_what_reverse_gives_every_time(name, kwargs):
    for _ in range(3):
        assert cached_reverse(name, kwargs) == reverse(name, kwargs=kwargs)


def test_a_group_never_gets_another_groups_url():
    first = cached_reverse("households:detail", {"slug": "brugge", "pk": 1})
    second = cached_reverse("households:detail", {"slug": "genk", "pk": 1})
    assert first == "/g/brugge/households/1/" and second == "/g/genk/households/1/"


def test_the_tag_renders_like_djangos_with_escaping_and_as():
    source = (
        "{% url 'households:detail' slug=slug pk=pk %}|"
        "{% url 'households:detail' slug=slug pk=pk as link %}{{ link }}|"
        "{% url 'households:detail' slug='nope/x' pk=pk as missing %}[{{ missing }}]|"
        "{% url 'home' %}"
    )
    context = {"slug": "brugge", "pk": 9}
    ours = Template("{% load welzijn_urls %}" + source).render(Context(context))
    django = Template(source).render(Context(context))
    assert ours == django == "/g/brugge/households/9/|/g/brugge/households/9/|[]|/"


def test_a_url_that_does_not_exist_fails_as_with_django():
    with pytest.raises(NoReverseMatch):
        Template("{% load welzijn_urls %}{% url 'households:detail' slug='x' %}").render(Context({}))
