"""Joining a group needs the person's own yes: an invitation stays pending until it is
accepted through the mailed link, whether or not the address has an account (issue #8.2)."""

import re
import threading
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from groups import services
from groups.models import Invitation, Membership
from tests.helpers import PASSWORD

NEW_PASSWORD = "mijn-eigen-wachtwoord-7"


def invite(client, slug="brugge", **data):
    payload = {"email": "nieuw@example.org", "full_name": "Nora Nieuw", "role": "volunteer", **data}
    return client.post(reverse("groups:member_invite", kwargs={"slug": slug}), payload)


def invitation_path(message) -> str:
    link = re.search(r"https?://[^/\s]+(/invitations/[^/\s]+/)", str(message.body))
    assert link is not None
    return link.group(1)


def accept_as_new(client, path, name="Nora Nieuw", password=NEW_PASSWORD, repeat=None):
    return client.post(
        path, {"full_name": name, "new_password1": password, "new_password2": repeat or password}
    )


def members_url(slug="brugge"):
    return reverse("groups:members", kwargs={"slug": slug})


def test_inviting_a_new_address_makes_no_account_and_no_membership_until_accepted(world, as_user):
    response = invite(as_user(world.coordinator_a))
    assert response.status_code == 302
    assert not User.objects.filter(email="nieuw@example.org").exists()
    assert not world.group_a.memberships.filter(user__email="nieuw@example.org").exists()
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.full_name, invitation.role) == (
        "nieuw@example.org",
        "Nora Nieuw",
        "volunteer",
    )
    assert mail.outbox[0].to == ["nieuw@example.org"]
    assert "Schakel Brugge" in mail.outbox[0].subject


def test_the_member_list_shows_the_invitation_with_the_typed_name(world, as_user):
    coordinator = as_user(world.coordinator_a)
    invite(coordinator)
    html = coordinator.get(members_url()).content.decode()
    assert "Nora Nieuw" in html and "nieuw@example.org" in html
    assert "uitgenodigd" in html


def test_inviting_an_existing_account_does_not_add_it_nor_reveal_it(world, as_user):
    """The reproduction: an existing account used to be added at once, its name shown."""
    coordinator = as_user(world.coordinator_a)

    def answer(email):
        response = invite(coordinator, email=email, full_name="Typed Name")
        assert response.status_code == 302
        page = coordinator.get(response["Location"]).content.decode()  # reads the flash message
        notice = re.search(r"[^>]*is uitgenodigd[^<]*", page)
        assert notice is not None
        return notice.group(0).replace(email.lower(), "X")

    assert answer("VOL-B@example.org") == answer("onbekend@example.org")
    assert not world.group_a.memberships.filter(user=world.volunteer_b).exists()
    page = coordinator.get(members_url()).content.decode()
    assert "Bram Vrijwilliger" not in page  # the account's own name is never shown
    bodies = [re.sub(r"/invitations/\S+", "", str(m.body)) for m in mail.outbox]
    assert bodies[0] == bodies[1]


def test_a_new_person_accepts_with_a_name_and_password_and_is_logged_in(world, as_user, client):
    invite(as_user(world.coordinator_a))
    path = invitation_path(mail.outbox[0])
    page = client.get(path)
    assert page.status_code == 200
    assert 'value="Nora Nieuw"' in page.content.decode()
    response = accept_as_new(client, path, name="Nora N.")
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:home", kwargs={"slug": "brugge"})
    user = User.objects.get(email="nieuw@example.org")
    assert user.full_name == "Nora N." and user.check_password(NEW_PASSWORD)
    assert world.group_a.memberships.get(user=user).is_active
    assert int(client.session["_auth_user_id"]) == user.pk
    # The link proved the address: it is the verified, primary login address.
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")) == [
        ("nieuw@example.org", True, True)
    ]
    assert Invitation.objects.get().accepted_at is not None
    assert client.get(path).status_code == 404  # the link works once


def test_an_existing_account_must_log_in_and_confirm(world, as_user, client):
    invite(as_user(world.coordinator_a), email="vol-b@example.org", role="coordinator")
    path = invitation_path(mail.outbox[0])
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not world.group_a.memberships.filter(user=world.volunteer_b).exists()
    volunteer_b = as_user(world.volunteer_b)
    page = volunteer_b.get(path)
    assert page.status_code == 200 and "Ja, ik doe mee" in page.content.decode()
    assert not world.group_a.memberships.filter(user=world.volunteer_b).exists()  # a GET is no yes
    response = volunteer_b.post(path)
    assert response.status_code == 302
    membership = world.group_a.memberships.get(user=world.volunteer_b)
    assert membership.is_active and membership.role == Membership.Role.COORDINATOR


def test_someone_logged_in_with_another_account_cannot_accept(world, as_user):
    """The reproduction of the pre-claimed address: only the owner of the invited address joins."""
    invite(as_user(world.coordinator_a), email="vol-b@example.org", role="coordinator")
    path = invitation_path(mail.outbox[0])
    intruder = as_user(world.volunteer_a)
    assert intruder.get(path).status_code == 403
    response = intruder.post(path)
    assert response.status_code == 403
    assert "ander e-mailadres" in response.content.decode()
    assert not world.group_a.memberships.filter(user=world.volunteer_b).exists()
    assert world.group_a.memberships.get(user=world.volunteer_a).role == "volunteer"


def test_a_new_address_invitation_cannot_be_accepted_by_a_logged_in_other_account(world, as_user):
    invite(as_user(world.coordinator_a))
    response = accept_as_new(as_user(world.volunteer_b), invitation_path(mail.outbox[0]))
    assert response.status_code == 403
    assert not User.objects.filter(email="nieuw@example.org").exists()


def test_mismatched_passwords_keep_the_link_usable_and_save_nothing(world, as_user, client):
    invite(as_user(world.coordinator_a))
    path = invitation_path(mail.outbox[0])
    response = accept_as_new(client, path, repeat="iets-anders-9")
    assert response.status_code == 200
    assert "De twee wachtwoorden zijn niet gelijk." in response.content.decode()
    assert not User.objects.filter(email="nieuw@example.org").exists()
    assert client.get(path).status_code == 200


def test_a_weak_password_is_refused_with_a_message(world, as_user, client):
    invite(as_user(world.coordinator_a))
    response = accept_as_new(client, invitation_path(mail.outbox[0]), password="12345678")
    assert response.status_code == 200
    assert response.context["form"].errors["new_password1"]
    assert not User.objects.filter(email="nieuw@example.org").exists()


@pytest.mark.parametrize("token", ["onbekend", "x" * 43])
def test_an_unknown_invitation_token_gets_a_clear_page(db, client, token):
    response = client.get(reverse("invitation_accept", kwargs={"token": token}))
    assert response.status_code == 404
    assert "Deze uitnodiging is niet (meer) geldig" in response.content.decode()


def test_an_expired_invitation_is_refused(world, as_user, client):
    invite(as_user(world.coordinator_a))
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = accept_as_new(client, invitation_path(mail.outbox[0]))
    assert response.status_code == 404
    assert not User.objects.filter(email="nieuw@example.org").exists()


def test_a_withdrawn_invitation_is_refused(world, as_user, client):
    coordinator = as_user(world.coordinator_a)
    invite(coordinator)
    invitation = Invitation.objects.get()
    response = coordinator.post(
        reverse("groups:invitation_withdraw", kwargs={"slug": "brugge", "pk": invitation.pk})
    )
    assert response.status_code == 302
    assert client.get(invitation_path(mail.outbox[0])).status_code == 404


def test_the_token_is_not_stored_in_the_database(world, as_user):
    invite(as_user(world.coordinator_a))
    token = invitation_path(mail.outbox[0]).rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get()
    assert token not in invitation.token_hash
    assert invitation.token_hash == Invitation.hash_token(token)


def test_an_invitation_can_be_sent_again_and_both_links_work(world, as_user, client):
    coordinator = as_user(world.coordinator_a)
    invite(coordinator)
    invitation = Invitation.objects.get()
    response = coordinator.post(
        reverse("groups:invitation_resend", kwargs={"slug": "brugge", "pk": invitation.pk})
    )
    assert response["Location"] == members_url()
    first, second = invitation_path(mail.outbox[0]), invitation_path(mail.outbox[1])
    assert first != second
    assert client.get(second).status_code == 200
    accept_as_new(client, second)
    # Accepting one closes them all.
    assert not Invitation.objects.pending().exists()
    assert Client().get(first).status_code == 404
    # The list shows one line per address, not one per mail.
    coordinator.get(members_url())


def test_reinviting_a_deactivated_member_reactivates_them_with_the_new_role_once_they_accept(world, as_user):
    Membership.objects.filter(user=world.volunteer_a).update(is_active=False)
    invite(as_user(world.coordinator_a), email="vol-a@example.org", role="coordinator")
    assert not world.group_a.memberships.get(user=world.volunteer_a).is_active
    as_user(world.volunteer_a).post(invitation_path(mail.outbox[0]))
    membership = world.group_a.memberships.get(user=world.volunteer_a)
    assert membership.is_active and membership.role == Membership.Role.COORDINATOR


def test_a_mail_server_failure_keeps_the_invitation_and_says_how_to_retry(world, as_user, settings):
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
    assert Invitation.objects.pending().filter(email="nieuw@example.org").exists()


def test_a_second_account_for_the_address_made_meanwhile_is_a_message_not_a_500(world, as_user, client):
    invite(as_user(world.coordinator_a))
    path = invitation_path(mail.outbox[0])
    client.get(path)
    User.objects.create_user(email="nieuw@example.org", password=PASSWORD)
    response = accept_as_new(client, path)
    # The address has an account now: the person is asked to log in with it instead.
    assert response.status_code in (302, 404)
    assert User.objects.filter(email__iexact="nieuw@example.org").count() == 1


def test_an_invitation_of_another_group_cannot_be_managed(world, as_user):
    invite(as_user(world.coordinator_b), slug="genk")
    invitation = Invitation.objects.get()
    url = reverse("groups:invitation_withdraw", kwargs={"slug": "brugge", "pk": invitation.pk})
    assert as_user(world.coordinator_a).post(url).status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_inviting_the_same_new_address_at_once_both_get_an_answer(world):
    """Issue #9.6: the second used to get an IntegrityError 500."""
    second = User.objects.create_user(email="coord-a2@example.org", password=PASSWORD)
    Membership.objects.create(user=second, group=world.group_a, role=Membership.Role.COORDINATOR)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(inviter):
        try:
            barrier.wait()
            services.invite_member(
                group=world.group_a, invited_by=inviter, email="Samen@example.org", role="volunteer"
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(u,)) for u in (world.coordinator_a, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Invitation.objects.filter(email="samen@example.org").count() == 2
    assert not User.objects.filter(email__iexact="samen@example.org").exists()
