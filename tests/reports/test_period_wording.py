"""Plain, correct Dutch (issue #12): report periods are filled in and offer "dit jaar" and
"vorig jaar"; counts agree with their noun; dates say "5 dec."; "je", never "u"."""

import re
from datetime import UTC, date, datetime
from typing import Any, cast

import time_machine
from django.contrib.auth.forms import SetPasswordForm
from django.urls import reverse
from django.utils import translation

from groups.formats import short_date
from households.models import Household
from tests.helpers import attend, make_activity, make_visit


@time_machine.travel("2026-06-15 10:00 +0000", tick=False)
def test_the_report_period_is_filled_in_with_shortcuts(world, as_user):
    html = (
        as_user(world.coordinator_a)
        .get(reverse("reports:report", kwargs={"slug": "brugge"}))
        .content.decode()
    )
    assert 'name="start" value="2026-01-01"' in html and 'name="end" value="2026-12-31"' in html
    assert 'href="?start=2026-01-01&amp;end=2026-12-31">dit jaar</a>' in html
    assert 'href="?start=2025-01-01&amp;end=2025-12-31">vorig jaar</a>' in html


def test_one_family_is_singular_on_the_dashboard(world, as_user):
    Household.objects.create(group=world.group_a, display_name="Familie Maes")  # never visited
    html = (
        as_user(world.coordinator_a).get(reverse("reports:home", kwargs={"slug": "brugge"})).content.decode()
    )
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "1 gezin zonder recent bezoek" in text
    assert "1 gezinnen" not in text


def test_no_family_needing_a_visit_is_said_in_words(world, as_user):
    for household in Household.objects.filter(group=world.group_a):
        make_visit(household, world.volunteer_a)  # today: nobody needs a visit
    html = (
        as_user(world.coordinator_a).get(reverse("reports:home", kwargs={"slug": "brugge"})).content.decode()
    )
    assert "Geen gezin heeft nu een bezoek nodig" in html
    assert "0 gezinnen" not in html


def test_nobody_is_said_in_words_on_an_activity_page(world, as_user):
    activity = make_activity(world.group_a, world.coordinator_a)
    attend(activity, world.person_a, spoke=True)
    url = reverse("activities:detail", kwargs={"slug": "brugge", "pk": activity.pk})
    text = re.sub(r"\s+", " ", as_user(world.volunteer_a).get(url).content.decode())
    assert "Niemand hielp organiseren." in text and "1 nam het woord." in text
    assert "0 hielpen" not in text


def test_month_abbreviations_are_lower_case_with_a_period():
    with translation.override("nl-be"):
        assert short_date(date(2026, 12, 5)) == "5 dec."
        assert short_date(date(2026, 5, 5), with_year=True) == "5 mei 2026"
    with translation.override("en"):
        assert short_date(date(2026, 12, 5)) == "5 Dec"


def test_a_moment_is_dated_by_the_day_in_belgium():
    """Half past midnight on 1 December in Brussels is 30 November in UTC, as stored."""
    moment = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    with translation.override("nl-be"):
        assert short_date(moment, with_year=True) == "1 dec. 2026"


def test_the_password_rules_say_je_not_u():
    with translation.override("nl-be"):
        form = SetPasswordForm(user=cast(Any, None))  # no user: only the help texts are read
        texts = " ".join(str(field.help_text) for field in form.fields.values())
    assert "Je wachtwoord" in texts
    assert not re.search(r"\b[Uu]w?\b", re.sub(r"<[^>]+>", " ", texts))


def test_every_password_rule_refuses_in_dutch():
    """Each validator's refusal, not only its help text: Django 6.1 reworded the length rule's and
    its own Dutch catalogue lags behind (locale/nl_BE has it)."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with translation.override("nl-be"):
        for password in ("kort", "12345678901", "password123"):
            try:
                validate_password(password)
            except ValidationError as error:
                messages = " ".join(error.messages)
            else:
                raise AssertionError(f"{password!r} was accepted")
            assert "wachtwoord" in messages.lower(), messages
            assert not re.search(r"\b(password|This|must)\b", messages), messages


@time_machine.travel("2026-11-30 10:00 +0000", tick=False)
def test_activity_pages_write_dates_as_people_do(world, as_user):
    """Django's "M" format gives "Nov" in Dutch too: the activity pages use short_date. On the
    activity's own day, when its attendance sheet opens."""
    moment = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)  # 19:00 in Brussels
    activity = make_activity(world.group_a, world.coordinator_a, starts_at=moment, title="Praatcafé")
    client = as_user(world.coordinator_a)
    pages = [
        reverse("activities:list", kwargs={"slug": "brugge"}),
        reverse("activities:detail", kwargs={"slug": "brugge", "pk": activity.pk}),
        reverse("activities:attendance", kwargs={"slug": "brugge", "pk": activity.pk}),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "30 nov. 2026" in html or "30 november 2026" in html, url
        assert "Nov" not in html, url


def test_no_template_abbreviates_a_month_the_way_django_does():
    """The kind, not the example: Django's "M", "b" and "N" date formats abbreviate months as
    "Nov", "nov" and "nov" (no period) in Dutch too, so no template uses them; `short_date`
    writes "30 nov. 2026" (groups/formats.py)."""
    from django.conf import settings

    used = []
    for path in sorted((settings.BASE_DIR / "templates").rglob("*.html")):
        for format_string in re.findall(r"""\|date:["']([^"']*)["']""", path.read_text()):
            if re.search(r"(?<!\\)[MbN]", format_string):
                used.append(f"{path.relative_to(settings.BASE_DIR)}: {format_string}")
    assert used == []
