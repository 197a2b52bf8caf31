"""Form labels look the same on every page: no colon after them ("Zoek een gezin", not "Zoek een
gezin:"). Django adds ":" to the labels it writes; the form renderer's bound field leaves it out
(welzijn/forms.py, PlainLabelBoundField), for our forms and the filters' alike."""

import re

from django import forms
from django.urls import reverse

from tests.isolation import GROUP_URLS

LABEL = re.compile(r"<(label|legend)\b[^>]*>(.*?)</\1>", re.S)
TAG = re.compile(r"<[^>]+>")

# Every group page a GET shows (a POST-only URL answers GET with 405).
PAGES = sorted(
    (name, case) for name, case in GROUP_URLS.items() if case.method == "get" and case.ok_status == 200
)


def label_texts(html: str) -> list[str]:
    return [" ".join(TAG.sub(" ", inner).split()) for _tag, inner in LABEL.findall(html)]


def test_no_label_on_a_group_page_ends_with_a_colon(world, as_user, subtests):
    coordinator = as_user(world.coordinator_a)
    checked = 0
    for name, case in PAGES:
        with subtests.test(name):
            url = reverse(name, kwargs={"slug": world.group_a.slug, **case.kwargs(world)})
            response = coordinator.get(url, case.data(world))
            assert response.status_code == 200
            if not response["Content-Type"].startswith("text/html"):
                continue  # an export
            labels = label_texts(response.content.decode())
            checked += len(labels)
            assert [label for label in labels if label.endswith(":")] == []
    # The walk reads the household filter's labels, among many others.
    assert checked > 50


def test_the_household_filter_labels_have_no_colon(world, as_user):
    html = (
        as_user(world.volunteer_a).get(reverse("households:list", kwargs={"slug": "brugge"})).content.decode()
    )
    labels = label_texts(html)
    assert "Zoek een gezin" in labels and "Status" in labels


def test_a_field_that_names_its_own_suffix_keeps_it():
    class Form(forms.Form):
        plain = forms.CharField(label="Naam")
        asked = forms.CharField(label="Vraag", label_suffix=" ?")

    form = Form()
    assert ">Naam</label>" in str(form["plain"].label_tag())
    assert ">Vraag ?</label>" in str(form["asked"].label_tag())
    assert ">Naam</legend>" in str(form["plain"].legend_tag())
