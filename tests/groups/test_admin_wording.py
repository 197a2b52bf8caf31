"""The admin in the same language and sense as the app (issue #12, item 9)."""

import re

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext


def test_a_superusers_landing_page_links_to_the_admin(superuser_client):
    html = superuser_client.get(reverse("home")).content.decode()
    assert f'href="{reverse("admin:index")}"' in html


def test_app_names_are_dutch_listed_once_and_without_djangos_permission_groups(superuser_client):
    html = superuser_client.get(reverse("admin:index")).content.decode()
    captions = re.findall(r'<caption>\s*<a [^>]*class="section"[^>]*>([^<]+)</a>', html)
    assert captions, "the admin index lists no apps"
    assert len(captions) == len(set(captions)), captions
    for name in ["Gezinnen", "Gebruikers", "Welzijnsschakels"]:
        assert name in captions
    assert "Households" not in captions
    # Django's own "Groepen" (permission groups) would be taken for Welzijnsschakels.
    assert "/admin/auth/group/" not in html


def test_users_are_found_by_e_mail(superuser_client, world):
    response = superuser_client.get(reverse("admin:accounts_user_changelist"), {"q": "vol-a@example"})
    assert list(response.context["cl"].result_list) == [world.volunteer_a]


def test_the_users_page_offers_no_permission_groups(superuser_client, world):
    html = superuser_client.get(
        reverse("admin:accounts_user_change", args=[world.volunteer_a.pk])
    ).content.decode()
    assert 'name="groups"' not in html


def test_admin_messages_need_no_article():
    """'De lidmaatschap' is wrong Dutch: the messages name the model without an article."""
    with translation.override("nl-be"):
        added = gettext("The {name} “{obj}” was added successfully.").format(name="lidmaatschap", obj="x")
        deleted = gettext("The %(name)s “%(obj)s” was deleted successfully.") % {
            "name": "lidmaatschap",
            "obj": "x",
        }
    assert added == "Toegevoegd: lidmaatschap ‘x’."
    assert deleted == "Verwijderd: lidmaatschap ‘x’."
