"""allauth's password change and set pages, written out in templates/account/: the same form,
rules and button as allauth's own templates give, and they still change the password."""

import re

from django.urls import reverse

from tests.helpers import PASSWORD


def _main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_the_change_page_shows_the_form_with_the_password_rules(world, as_user):
    client = as_user(world.volunteer_a)
    response = client.get(reverse("account_change_password"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Wachtwoord wijzigen · Welzijn</title>" in html
    main = _main(html)
    assert "<h1>Wachtwoord wijzigen</h1>" in main
    assert (
        f'<form method="post" action="{reverse("account_change_password")}" class="form" novalidate>' in main
    )
    assert 'name="csrfmiddlewaretoken"' in main
    for name in ("oldpassword", "password1", "password2"):
        assert f'name="{name}"' in main
    rules = re.search(r'<div class="helptext" id="id_password1_helptext"><ul>(.*?)</ul></div>', main)
    assert rules is not None and rules.group(1).count("<li>") == 4
    assert "minstens 10 tekens" in rules.group(1)
    assert f'href="{reverse("account_reset_password")}"' in main  # "forgot your password?"
    assert '<button type="submit" class="button">Wachtwoord wijzigen</button>' in main


def test_a_wrong_current_password_is_summarised_and_changes_nothing(world, as_user):
    client = as_user(world.volunteer_a)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "fout",
            "password1": "een-nieuw-lang-wachtwoord",
            "password2": "een-nieuw-lang-wachtwoord",
        },
    )
    assert response.status_code == 200
    assert "data-error-summary" in response.content.decode()
    world.volunteer_a.refresh_from_db()
    assert world.volunteer_a.check_password(PASSWORD)


def test_the_change_page_changes_the_password(world, as_user):
    client = as_user(world.volunteer_a)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "een-nieuw-lang-wachtwoord",
            "password2": "een-nieuw-lang-wachtwoord",
        },
    )
    assert response.status_code == 302
    world.volunteer_a.refresh_from_db()
    assert world.volunteer_a.check_password("een-nieuw-lang-wachtwoord")


def test_without_a_password_the_set_page_shows_its_form_and_sets_one(world, as_user):
    world.volunteer_a.set_unusable_password()
    world.volunteer_a.save()
    client = as_user(world.volunteer_a)
    assert client.get(reverse("account_change_password")).status_code == 302  # allauth: to the set page
    main = _main(client.get(reverse("account_set_password")).content.decode())
    assert "<h1>Zet wachtwoord</h1>" in main
    assert f'<form method="post" action="{reverse("account_set_password")}" class="form" novalidate>' in main
    assert main.count('class="helptext"') == 1 and "minstens 10 tekens" in main
    assert '<button type="submit" name="action" class="button">Zet wachtwoord</button>' in main
    response = client.post(
        reverse("account_set_password"),
        {"password1": "een-nieuw-lang-wachtwoord", "password2": "een-nieuw-lang-wachtwoord"},
    )
    assert response.status_code == 302
    world.volunteer_a.refresh_from_db()
    assert world.volunteer_a.check_password("een-nieuw-lang-wachtwoord")


def test_in_english_the_pages_are_english(world, as_user):
    client = as_user(world.volunteer_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    main = _main(client.get(reverse("account_change_password")).content.decode())
    assert "<h1>Change password</h1>" in main
    assert "at least 10 characters" in main
