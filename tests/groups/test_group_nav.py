"""The group's navigation (`groups/templatetags/group_nav.py`): its links are cached per process,
keyed by group, role and language; the cache must never carry one group's links into another's
page, a coordinator's links into a volunteer's, or one language into another."""

import re

from django.urls import reverse

from groups.templatetags.group_nav import _links


def _nav(html: str) -> list[tuple[str, bool, str]]:
    """(URL, marked as the current page, label) of each link of the group's navigation."""
    nav = html.split('<nav class="group-nav"', 1)[1].split("</nav>", 1)[0]
    pattern = r'<li><a href="([^"]+)"( aria-current="page")?>([^<]+)</a></li>'
    return [(m[1], bool(m[2]), m[3]) for m in re.finditer(pattern, nav)]


def test_each_group_and_role_gets_its_own_links_whatever_was_cached_before(world, as_user):
    _links.cache_clear()
    coordinator_a = _nav(as_user(world.coordinator_a).get("/g/brugge/households/").content.decode())
    coordinator_b = _nav(as_user(world.coordinator_b).get("/g/genk/households/").content.decode())
    volunteer_a = _nav(as_user(world.volunteer_a).get("/g/brugge/households/").content.decode())

    assert [label for _url, _current, label in coordinator_a] == [
        "Start", "Gezinnen", "Contacten", "Mijn actiepunten", "Signalen", "Activiteiten",
        "Leden", "Actiepunten", "Toegangslog",
    ]  # fmt: skip
    assert all(url.startswith("/g/brugge/") for url, _current, _label in coordinator_a)
    assert all(url.startswith("/g/genk/") for url, _current, _label in coordinator_b)
    assert len(coordinator_b) == 9
    assert [label for _url, _current, label in volunteer_a] == [
        label for _url, _current, label in coordinator_a[:6]
    ]
    assert [url for url, _current, _label in volunteer_a] == [url for url, _c, _l in coordinator_a[:6]]


def test_the_current_page_is_marked_and_only_it(world, as_user):
    client = as_user(world.coordinator_a)
    for url, current in [
        ("/g/brugge/", "Start"),
        ("/g/brugge/households/", "Gezinnen"),
        (reverse("households:detail", kwargs={"slug": "brugge", "pk": world.household_a.pk}), "Gezinnen"),
        ("/g/brugge/follow-ups/mine/", "Mijn actiepunten"),
        ("/g/brugge/follow-ups/", "Actiepunten"),
        ("/g/brugge/access-log/", "Toegangslog"),
    ]:
        marked = [label for _url, mark, label in _nav(client.get(url).content.decode()) if mark]
        assert marked == [current], url


def test_the_links_follow_the_language(world, as_user):
    client = as_user(world.coordinator_a)
    assert "Gezinnen" in [label for *_rest, label in _nav(client.get("/g/brugge/").content.decode())]
    client.post(reverse("set_language"), {"language": "en", "next": "/g/brugge/"})
    english = [label for *_rest, label in _nav(client.get("/g/brugge/").content.decode())]
    assert "Households" in english and "Gezinnen" not in english
