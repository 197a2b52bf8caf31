"""Coordinators invite, change roles and deactivate members of their own group."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from groups.models import Invitation, Membership
from tests.conftest import SCOPE_QUERIES, make_member, make_user


def invite_url(slug="brugge"):
    return reverse("groups:member_invite", kwargs={"slug": slug})


def invite(client, **data):
    payload = {"email": "nieuw@example.org", "full_name": "Nora Nieuw", "role": "volunteer", **data}
    return client.post(invite_url(), payload)


def invitation_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/invitations/[^/\s]+/)", message.body).group(1)


def test_inviting_a_new_person_creates_the_user_the_membership_and_mails_a_link(world, as_user):
    response = invite(as_user(world.coordinator_a))
    assert response.status_code == 302
    assert response["Location"] == reverse("groups:members", kwargs={"slug": "brugge"})
    user = User.objects.get(email="nieuw@example.org")
    assert user.full_name == "Nora Nieuw"
    assert not user.has_usable_password()
    membership = world.group_a.memberships.get(user=user)
    assert membership.role == Membership.Role.VOLUNTEER and membership.is_active
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nieuw@example.org"]
    assert "Schakel Brugge" in mail.outbox[0].subject
    assert invitation_path(mail.outbox[0])


def test_the_invitation_link_sets_a_password_and_logs_in(world, as_user, client):
    invite(as_user(world.coordinator_a))
    path = invitation_path(mail.outbox[0])
    page = client.get(path)
    assert page.status_code == 200
    assert "nieuw@example.org" in page.content.decode()
    response = client.post(
        path, {"new_password1": "mijn-eigen-wachtwoord-7", "new_password2": "mijn-eigen-wachtwoord-7"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:home", kwargs={"slug": "brugge"})
    user = User.objects.get(email="nieuw@example.org")
    assert user.check_password("mijn-eigen-wachtwoord-7")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert Invitation.objects.get(membership__user=user).accepted_at is not None
    # The link works once.
    assert client.get(path).status_code == 404


def test_mismatched_passwords_on_the_invitation_keep_the_link_usable(world, as_user, client):
    invite(as_user(world.coordinator_a))
    path = invitation_path(mail.outbox[0])
    response = client.post(
        path, {"new_password1": "mijn-eigen-wachtwoord-7", "new_password2": "iets-anders-9"}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not User.objects.get(email="nieuw@example.org").has_usable_password()
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("token", ["onbekend", "x" * 43])
def test_an_unknown_invitation_token_gets_a_clear_page(db, client, token):
    response = client.get(reverse("invitation_accept", kwargs={"token": token}))
    assert response.status_code == 404
    assert "Deze uitnodiging is niet (meer) geldig" in response.content.decode()


def test_an_expired_invitation_is_refused(world, as_user, client):
    invite(as_user(world.coordinator_a))
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.post(
        invitation_path(mail.outbox[0]),
        {"new_password1": "mijn-eigen-wachtwoord-7", "new_password2": "mijn-eigen-wachtwoord-7"},
    )
    assert response.status_code == 404
    assert not User.objects.get(email="nieuw@example.org").has_usable_password()


def test_an_invitation_of_a_deactivated_membership_is_refused(world, as_user, client):
    invite(as_user(world.coordinator_a))
    Membership.objects.filter(user__email="nieuw@example.org").update(is_active=False)
    assert client.get(invitation_path(mail.outbox[0])).status_code == 404


def test_the_token_is_not_stored_in_the_database(world, as_user):
    invite(as_user(world.coordinator_a))
    token = invitation_path(mail.outbox[0]).rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get()
    assert token not in invitation.token_hash
    assert invitation.token_hash == Invitation.hash_token(token)


def test_inviting_someone_who_already_has_an_account_adds_them_without_a_token(world, as_user):
    response = invite(as_user(world.coordinator_a), email="VOL-B@example.org", full_name="")
    assert response.status_code == 302
    assert world.group_a.memberships.filter(user=world.volunteer_b, is_active=True).exists()
    assert not Invitation.objects.exists()
    assert reverse("account_login") in mail.outbox[0].body
    assert "/invitations/" not in mail.outbox[0].body
    world.volunteer_b.refresh_from_db()
    assert world.volunteer_b.full_name == "Bram Vrijwilliger"


def test_inviting_a_current_member_is_a_clear_message_not_an_error(world, as_user):
    response = invite(as_user(world.coordinator_a), email="Vol-A@example.org")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Iemand met dit e-mailadres is al lid van Schakel Brugge" in html
    assert 'value="Vol-A@example.org"' in html
    assert world.group_a.memberships.filter(user=world.volunteer_a).count() == 1
    assert mail.outbox == []


def test_reinviting_a_deactivated_member_reactivates_them_with_the_new_role(world, as_user):
    Membership.objects.filter(user=world.volunteer_a).update(is_active=False)
    invite(as_user(world.coordinator_a), email="vol-a@example.org", role="coordinator")
    membership = world.group_a.memberships.get(user=world.volunteer_a)
    assert membership.is_active
    assert membership.role == Membership.Role.COORDINATOR


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
    response = as_user(world.coordinator_a).post(url, {"role": "coordinator"})
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
    # The dashboard: a query a figure, plus the door's row-level security scope (SCOPE_QUERIES).
    assert queries_stay_constant(as_user(world.coordinator_a), url, grow) <= 15 + SCOPE_QUERIES


def test_a_member_without_a_password_can_get_a_new_invitation(world, as_user, client):
    invite(as_user(world.coordinator_a))
    first = invitation_path(mail.outbox[0])
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    membership = Membership.objects.get(user__email="nieuw@example.org")
    coordinator = as_user(world.coordinator_a)
    edit_url = reverse("groups:member_edit", kwargs={"slug": "brugge", "pk": membership.pk})
    assert "Uitnodiging opnieuw sturen" in coordinator.get(edit_url).content.decode()
    response = coordinator.post(
        reverse("groups:member_reinvite", kwargs={"slug": "brugge", "pk": membership.pk})
    )
    assert response["Location"] == edit_url
    second = invitation_path(mail.outbox[1])
    assert second != first
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_no_new_invitation_for_someone_who_can_already_log_in(world, as_user):
    membership = world.group_a.memberships.get(user=world.volunteer_a)
    coordinator = as_user(world.coordinator_a)
    edit_url = reverse("groups:member_edit", kwargs={"slug": "brugge", "pk": membership.pk})
    assert "Uitnodiging opnieuw sturen" not in coordinator.get(edit_url).content.decode()
    coordinator.post(reverse("groups:member_reinvite", kwargs={"slug": "brugge", "pk": membership.pk}))
    assert mail.outbox == []
    assert not Invitation.objects.exists()


def test_a_mail_server_failure_keeps_the_member_and_says_how_to_retry(world, as_user, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
        }
    }
    coordinator = as_user(world.coordinator_a)
    response = invite(coordinator)
    assert response.status_code == 302
    page = coordinator.get(response["Location"]).content.decode()
    assert "de e-mail kon niet verstuurd worden" in page
    assert Membership.objects.filter(user__email="nieuw@example.org", is_active=True).exists()


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


def test_the_invite_form_does_not_tell_whether_an_address_has_an_account(world, as_user):
    # With or without an existing account, the same answer: no name needed, no difference.
    new = invite(as_user(world.coordinator_a), email="onbekend@example.org", full_name="")
    known = invite(as_user(world.coordinator_a), email="vol-b@example.org", full_name="")
    assert new.status_code == known.status_code == 302
    assert User.objects.get(email="onbekend@example.org").get_full_name() == "onbekend@example.org"


def test_an_invitation_link_stops_working_once_a_password_was_chosen_another_way(world, as_user, client):
    invite(as_user(world.coordinator_a))
    user = User.objects.get(email="nieuw@example.org")
    user.set_password("via-wachtwoord-vergeten-1")
    user.save()
    assert client.get(invitation_path(mail.outbox[0])).status_code == 404


def test_two_coordinators_cannot_leave_the_group_without_one(world):
    from groups import services

    second = make_member(make_user("coord-a2@example.org"), world.group_a, Membership.Role.COORDINATOR)
    first = world.group_a.memberships.get(user=world.coordinator_a)
    services.update_membership(membership=second, is_active=False)
    with pytest.raises(services.LastCoordinatorError):
        services.update_membership(membership=first, is_active=False)
    assert world.group_a.memberships.filter(role="coordinator", is_active=True).count() == 1
