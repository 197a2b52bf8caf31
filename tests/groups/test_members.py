"""Coordinators invite, change roles and deactivate members of their own group."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from groups.models import Membership
from tests.browserless import form_data
from tests.helpers import SCOPE_QUERIES, make_member, make_user


def invite_url(slug="brugge"):
    return reverse("groups:member_invite", kwargs={"slug": slug})


def invite(client, **data):
    payload = {"email": "nieuw@example.org", "full_name": "Nora Nieuw", "role": "volunteer", **data}
    return client.post(invite_url(), payload)


def invitation_path(message) -> str:
    link = re.search(r"https?://[^/\s]+(/invitations/[^/\s]+/)", str(message.body))
    assert link is not None
    return link.group(1)


def test_inviting_a_current_member_is_a_clear_message_not_an_error(world, as_user):
    response = invite(as_user(world.coordinator_a), email="Vol-A@example.org")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Iemand met dit e-mailadres is al lid van Schakel Brugge" in html
    assert 'value="Vol-A@example.org"' in html
    assert world.group_a.memberships.filter(user=world.volunteer_a).count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "geen-apenstaartje"}, "email", "Dit is geen geldig e-mailadres"),
        ({"email": ""}, "email", "Vul een e-mailadres in."),
        ({"role": "baas"}, "role", "Selecteer een geldige keuze"),
    ],
)
def test_bad_input_is_named_at_the_field_and_nothing_is_saved(world, as_user, data, field, message):
    users_before = User.objects.count()
    response = invite(as_user(world.coordinator_a), **data)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert message in html
    if data.get("email"):
        assert f'value="{data["email"]}"' in html
    assert User.objects.count() == users_before
    assert mail.outbox == []


def test_a_coordinator_changes_a_role(world, as_user):
    membership = world.group_a.memberships.get(user=world.volunteer_a)
    url = reverse("groups:member_edit", kwargs={"slug": "brugge", "pk": membership.pk})
    client = as_user(world.coordinator_a)
    response = client.post(url, {**form_data(client, url), "role": "coordinator"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Membership.Role.COORDINATOR


def test_the_last_coordinator_cannot_step_down(world, as_user):
    membership = world.group_a.memberships.get(user=world.coordinator_a)
    url = reverse("groups:member_edit", kwargs={"slug": "brugge", "pk": membership.pk})
    response = as_user(world.coordinator_a).post(url, {"role": "volunteer"})
    assert response.status_code == 200
    assert "enige coördinator" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Membership.Role.COORDINATOR


def test_the_last_coordinator_cannot_be_deactivated(world, as_user):
    membership = world.group_a.memberships.get(user=world.coordinator_a)
    url = reverse("groups:member_deactivate", kwargs={"slug": "brugge", "pk": membership.pk})
    response = as_user(world.coordinator_a).post(url, follow=True)
    assert "enige coördinator" in response.content.decode()
    membership.refresh_from_db()
    assert membership.is_active


def test_a_deactivated_member_loses_access_and_can_be_reactivated(world, as_user):
    membership = world.group_a.memberships.get(user=world.volunteer_a)
    coordinator = as_user(world.coordinator_a)
    coordinator.post(reverse("groups:member_deactivate", kwargs={"slug": "brugge", "pk": membership.pk}))
    volunteer = as_user(world.volunteer_a)
    assert volunteer.get(reverse("reports:home", kwargs={"slug": "brugge"})).status_code == 404
    coordinator.post(reverse("groups:member_activate", kwargs={"slug": "brugge", "pk": membership.pk}))
    assert volunteer.get(reverse("reports:home", kwargs={"slug": "brugge"})).status_code == 200


def test_a_coordinator_of_another_group_cannot_invite_into_this_one(world, as_user):
    response = as_user(world.coordinator_b).post(
        invite_url("brugge"), {"email": "x@example.org", "full_name": "X", "role": "coordinator"}
    )
    assert response.status_code == 404
    assert not User.objects.filter(email="x@example.org").exists()


def test_the_group_home_shows_members_to_coordinators_only(world, as_user):
    url = reverse("reports:home", kwargs={"slug": "brugge"})
    coordinator_page = as_user(world.coordinator_a).get(url).content.decode()
    volunteer_page = as_user(world.volunteer_a).get(url).content.decode()
    assert "Arne Vrijwilliger" in coordinator_page
    assert "Bram Vrijwilliger" not in coordinator_page  # group B's volunteer
    assert "Leden van de groep" not in volunteer_page
    assert reverse("groups:members", kwargs={"slug": "brugge"}) not in volunteer_page


def test_the_member_list_shows_only_this_group(world, as_user):
    html = (
        as_user(world.coordinator_a)
        .get(reverse("groups:members", kwargs={"slug": "brugge"}))
        .content.decode()
    )
    assert "vol-a@example.org" in html
    assert "vol-b@example.org" not in html
    assert "coord-b@example.org" not in html


@pytest.mark.parametrize("url_name", ["reports:home", "groups:members"])
def test_pages_do_a_fixed_number_of_queries_whatever_the_group_size(
    world, as_user, queries_stay_constant, url_name
):
    def grow():
        for i in range(25):
            make_member(make_user(f"extra{i}@example.org"), world.group_a)

    url = reverse(url_name, kwargs={"slug": "brugge"})
    # The dashboard: a query a figure (the consent review list and the activity figures
    # included), the MFA rule's check,
    # plus the door's row-level security scope (SCOPE_QUERIES).
    assert queries_stay_constant(as_user(world.coordinator_a), url, grow) <= 19 + SCOPE_QUERIES


def test_the_member_list_is_paginated(world, as_user):
    for i in range(55):
        make_member(make_user(f"extra{i:02}@example.org", f"Zz Extra {i:02}"), world.group_a)
    client = as_user(world.coordinator_a)
    url = reverse("groups:members", kwargs={"slug": "brugge"})
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    assert "Pagina 1 van 2" in first
    assert "extra54@example.org" not in first and "extra54@example.org" in second
    assert client.get(url, {"page": "999"}).status_code == 200


def test_two_coordinators_cannot_leave_the_group_without_one(world):
    from groups import services

    second = make_member(make_user("coord-a2@example.org"), world.group_a, Membership.Role.COORDINATOR)
    first = world.group_a.memberships.get(user=world.coordinator_a)
    services.update_membership(membership=second, is_active=False)
    with pytest.raises(services.LastCoordinatorError):
        services.update_membership(membership=first, is_active=False)
    assert world.group_a.memberships.filter(role="coordinator", is_active=True).count() == 1
