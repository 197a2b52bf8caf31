from django.urls import reverse

from groups.models import Membership


def test_a_member_of_one_group_goes_straight_to_it(world, as_user):
    response = as_user(world.volunteer_a).get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:home", kwargs={"slug": "brugge"})


def test_a_member_of_several_groups_chooses(world, as_user):
    response = as_user(world.volunteer_a_and_a2).get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kies je groep" in html
    assert reverse("reports:home", kwargs={"slug": "brugge"}) in html
    assert reverse("reports:home", kwargs={"slug": "kortrijk"}) in html
    assert reverse("reports:home", kwargs={"slug": "genk"}) not in html


def test_a_deactivated_membership_is_not_offered(world, as_user):
    Membership.objects.filter(user=world.volunteer_a_and_a2, group=world.group_a2).update(is_active=False)
    response = as_user(world.volunteer_a_and_a2).get(reverse("home"))
    assert response["Location"] == reverse("reports:home", kwargs={"slug": "brugge"})


def test_someone_without_a_group_is_told_so(world, as_user):
    response = as_user(world.outsider).get(reverse("home"))
    assert response.status_code == 200
    assert "nog geen lid van een groep" in response.content.decode()


def test_a_superuser_is_not_let_into_groups_they_are_not_in(world, superuser_client):
    assert superuser_client.get(reverse("reports:home", kwargs={"slug": "brugge"})).status_code == 404


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
