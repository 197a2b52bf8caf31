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


# Issue #9.6: the admin honours the app's rule (and lock): no group without a coordinator.


def _coordinator_membership(world):
    return world.group_a.memberships.get(user=world.coordinator_a)


def _change(superuser_client, membership, **changes):
    data = {
        "user": membership.user_id,
        "group": membership.group_id,
        "role": membership.role,
        "is_active": "on" if membership.is_active else "",
        **changes,
    }
    data = {k: v for k, v in data.items() if v != ""}
    return superuser_client.post(reverse("admin:groups_membership_change", args=[membership.pk]), data)


@pytest.mark.parametrize(
    "changes", [{"role": "volunteer"}, {"is_active": ""}], ids=["demoted", "deactivated"]
)
def test_the_admin_cannot_leave_a_group_without_a_coordinator(superuser_client, world, changes):
    membership = _coordinator_membership(world)
    response = _change(superuser_client, membership, **changes)
    assert response.status_code == 200
    assert "geen actieve coördinator meer" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "coordinator" and membership.is_active


def test_the_admin_cannot_move_the_last_coordinator_to_another_group(superuser_client, world):
    membership = _coordinator_membership(world)
    response = _change(superuser_client, membership, group=world.group_a2.pk)
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.group == world.group_a


def test_the_admin_may_demote_a_coordinator_when_another_remains(superuser_client, world):
    Membership.objects.filter(user=world.volunteer_a, group=world.group_a).update(role="coordinator")
    membership = _coordinator_membership(world)
    assert _change(superuser_client, membership, role="volunteer").status_code == 302
    membership.refresh_from_db()
    assert membership.role == "volunteer"


def test_the_admin_cannot_delete_the_last_coordinator(superuser_client, world):
    membership = _coordinator_membership(world)
    url = reverse("admin:groups_membership_delete", args=[membership.pk])
    response = superuser_client.post(url, {"post": "yes"}, follow=True)
    assert "geen actieve coördinator meer" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    bulk = superuser_client.post(
        reverse("admin:groups_membership_changelist"),
        {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
        follow=True,
    )
    assert "geen actieve coördinator meer" in bulk.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_group_pages_inline_keeps_a_coordinator(superuser_client, world):
    group = world.group_b
    memberships = list(group.memberships.order_by("pk"))
    data = {
        "name": group.name,
        "slug": group.slug,
        "municipality": group.municipality,
        "region": group.region_id,
        "is_active": "on",
        "visit_interval_weeks": group.visit_interval_weeks,
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(len(memberships)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for i, m in enumerate(memberships):
        data.update(
            {
                f"memberships-{i}-id": m.pk,
                f"memberships-{i}-group": group.pk,
                f"memberships-{i}-user": m.user_id,
                f"memberships-{i}-role": "volunteer",  # everybody volunteer: refused
                f"memberships-{i}-is_active": "on",
            }
        )
    response = superuser_client.post(reverse("admin:groups_group_change", args=[group.pk]), data)
    assert response.status_code == 200
    assert "geen actieve coördinator meer" in response.content.decode()
    assert group.memberships.filter(role="coordinator", is_active=True).exists()
