"""The admin shows no family data it does not log (issue #8.9): a walk over every page of every
model registered in the admin (change lists with a search, change forms, delete
confirmations, history) for a superuser. Wherever a family's text appears, a read of that
household was logged."""

import contextlib

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from households.models import AccessLogEntry

# Texts of group A's family data in the shared world (tests/helpers.py).
FAMILY_TEXTS = [
    "Familie Peeters",
    "Kerkstraat",
    "Mieke",
    "Brief OCMW nalezen",
    "Leefloon te laat",
    "Gesprek over de huur",
    "Geheim A",
]


def _pages(world):
    """(url, household it may show) for every admin page of every registered model."""
    objects = {
        "accounts.user": world.volunteer_a,
        "groups.group": world.group_a,
        "groups.region": world.region_a,
        "groups.membership": world.group_a.memberships.get(user=world.volunteer_a),
        "households.household": world.household_a,
        "households.person": world.person_a,
    }
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        yield reverse(f"admin:{info[0]}_{info[1]}_changelist") + "?q=Peeters"
        yield reverse(f"admin:{info[0]}_{info[1]}_changelist")
        obj = objects.get(model._meta.label_lower)
        if obj is None:
            continue
        for view in ("change", "delete", "history"):
            with contextlib.suppress(NoReverseMatch):
                yield reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[obj.pk])


def test_every_admin_page_that_shows_family_text_logged_the_read(world, superuser_client):
    shown_without_log = []
    for url in _pages(world):
        before = AccessLogEntry.objects.filter(household=world.household_a, action="admin_view").count()
        response = superuser_client.get(url)
        assert response.status_code in (200, 302, 403), url
        html = response.content.decode()
        shown = [text for text in FAMILY_TEXTS if text in html]
        after = AccessLogEntry.objects.filter(household=world.household_a, action="admin_view").count()
        if shown and after == before:
            shown_without_log.append((url, shown))
    assert shown_without_log == []


@pytest.mark.parametrize("who", ["group", "user"])
def test_delete_confirmations_count_family_records_instead_of_naming_them(world, superuser_client, who):
    """The reproduction: deleting a group (or a user who wrote visits) listed every household,
    follow-up and signal by name, unlogged."""
    if who == "group":
        url = reverse("admin:groups_group_delete", args=[world.group_a.pk])
    else:
        url = reverse("admin:accounts_user_delete", args=[world.volunteer_a.pk])
    response = superuser_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for text in FAMILY_TEXTS:
        assert text not in html


def test_the_bulk_delete_confirmation_hides_family_records_too(world, superuser_client):
    response = superuser_client.post(
        reverse("admin:groups_group_changelist"),
        {"action": "delete_selected", "_selected_action": [world.group_a.pk]},
    )
    html = response.content.decode()
    for text in FAMILY_TEXTS:
        assert text not in html
