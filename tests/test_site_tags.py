"""groups/templatetags/welzijn_site.py: the addresses and language names base.html shows on every
page, worked out once per process, are those `{% url %}` and `get_language_info` give."""

from django.template import engines
from django.urls import reverse

from groups.templatetags.welzijn_site import SITE_URLS, language_options, site_urls


def test_the_site_urls_are_the_reversed_names(db):
    assert site_urls() == {key: reverse(name) for key, name in SITE_URLS.items()}


def test_a_script_prefix_is_part_of_every_address(db):
    from django.urls import set_script_prefix

    try:
        set_script_prefix("/welzijn/")
        assert site_urls()["home"] == "/welzijn/"
        assert site_urls()["security"].startswith("/welzijn/")
    finally:
        set_script_prefix("/")
    assert site_urls()["home"] == "/"


def test_each_language_is_named_in_itself_in_the_settings_order(settings):
    options = language_options("en")
    assert options.index(">Nederlands<") < options.index(">English<")
    assert '<option value="en" lang="en" selected>English</option>' in options
    settings.LANGUAGES = [("en", "English")]
    assert "Nederlands" not in language_options("en")


def test_the_footer_offers_every_language_and_marks_the_current_one(client, db):
    html = client.get(reverse("account_login")).content.decode()
    assert '<option value="nl-be" lang="nl-be" selected>Nederlands</option>' in html
    assert '<option value="en" lang="en">English</option>' in html
    assert engines["django"].from_string(
        "{% load welzijn_site %}{% site_urls as u %}{{ u.logout }}"
    ).render() == (reverse("account_logout"))
