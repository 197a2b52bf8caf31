"""Admins manage regions, groups and memberships in the Django admin."""

import pytest
from django.urls import reverse

from groups.models import Membership


@pytest.mark.parametrize(
    "model", ["groups_region", "groups_group", "groups_membership", "groups_invitation", "accounts_user"]
)
def test_changelists_search_and_filter(superuser_client, model):
    url = reverse(f"admin:{model}_changelist")
    assert superuser_client.get(url).status_code == 200
    assert superuser_client.get(url, {"q": "brugge"}).status_code == 200


def test_group_page_has_membership_inline(superuser_client, world):
    html = superuser_client.get(
        reverse("admin:groups_group_change", args=[world.group_a.pk])
    ).content.decode()
    assert "memberships-TOTAL_FORMS" in html
    assert "Arne Vrijwilliger" in html


def test_user_page_has_membership_inline(superuser_client, world):
    html = superuser_client.get(
        reverse("admin:accounts_user_change", args=[world.volunteer_a.pk])
    ).content.decode()
    assert "memberships-TOTAL_FORMS" in html


def test_autocomplete_finds_users_by_name(superuser_client, world):
    response = superuser_client.get(
        reverse("admin:autocomplete"),
        {"term": "Arne", "app_label": "groups", "model_name": "membership", "field_name": "user"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Arne Vrijwilliger"]


def test_a_membership_can_be_added_in_the_admin(superuser_client, world):
    response = superuser_client.post(
        reverse("admin:groups_membership_add"),
        {"user": world.volunteer_b.pk, "group": world.group_a.pk, "role": "volunteer", "is_active": "on"},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=world.volunteer_b, group=world.group_a).exists()


def test_the_admin_is_closed_to_coordinators(world, as_user):
    response = as_user(world.coordinator_a).get(reverse("admin:groups_group_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
