"""Every group URL: other group 404, no membership 404, wrong role 403, anonymous to login, a
method the view does not take 405, an inactive group 404.

The member each URL is for gets it in `test_content_isolation.py`, which reads that very
answer for other groups' data (one request for both)."""

import pytest
from django.http import HttpRequest, HttpResponseNotFound
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import welzijn.urls
from tests.isolation import GROUP_URLS, OTHER_URLS, Case

# Third-party URL sets we include whole: not group data, tested by their authors and by our
# own login tests.
THIRD_PARTY_PREFIXES = ("admin/", "accounts/", "i18n/")


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _walk(entry.url_patterns, route, ns)
        elif isinstance(entry, URLPattern):
            yield route, (namespace + entry.name) if entry.name else None


def project_urls() -> list[tuple[str, str | None]]:
    return [(route, name) for route, name in _walk(get_resolver().url_patterns)]


def test_every_group_url_has_an_isolation_case():
    group_names = {name for route, name in project_urls() if route.startswith("g/<slug:slug>/")}
    assert None not in group_names, "every URL under g/<slug>/ needs a name"
    missing = group_names - GROUP_URLS.keys()
    assert not missing, f"add these to tests/isolation.py GROUP_URLS: {sorted(missing, key=str)}"
    stale = GROUP_URLS.keys() - group_names
    assert not stale, f"tests/isolation.py names URLs that do not exist: {sorted(stale)}"


def test_every_other_url_is_accounted_for():
    others = {
        name
        for route, name in project_urls()
        if not route.startswith("g/<slug:slug>/") and not route.startswith(THIRD_PARTY_PREFIXES)
    }
    unexplained = others - OTHER_URLS.keys()
    assert not unexplained, (
        f"URLs outside /g/<slug>/ need a reason in OTHER_URLS: {sorted(unexplained, key=str)}"
    )


def _url(world, name: str, case: Case, slug: str) -> str:
    return reverse(name, kwargs={"slug": slug, **case.kwargs(world)})


def _request(client, case: Case, url: str, world):
    return getattr(client, case.method)(url, case.data(world))


def _bare_404(request: HttpRequest, exception: Exception) -> HttpResponseNotFound:
    return HttpResponseNotFound()


@pytest.fixture
def bare_404(monkeypatch):
    """A 404 answer without its page, for the status-only cases below: some two hundred requests
    that must end in 404 and read nothing but the status. Django takes the project's
    `handler404` from the root URLconf at each 404, so setting it there is enough. The page
    itself is rendered and read once per kind of visitor (the last test of this file)."""
    monkeypatch.setattr(welzijn.urls, "handler404", _bare_404, raising=False)


CASES = sorted(GROUP_URLS.items())
IDS = [name for name, _ in CASES]


@pytest.mark.parametrize(("name", "case"), CASES, ids=IDS)
def test_a_member_of_another_group_gets_404(world, as_user, bare_404, name, case):
    client = as_user(world.coordinator_b)
    # Group A's URL as-is …
    assert _request(client, case, _url(world, name, case, "brugge"), world).status_code == 404
    # … and group A's record under group B's own slug, where B's coordinator has every right.
    if "pk" in case.kwargs(world):
        assert _request(client, case, _url(world, name, case, "genk"), world).status_code == 404


@pytest.mark.parametrize(("name", "case"), CASES, ids=IDS)
def test_a_logged_in_user_without_membership_gets_404(world, as_user, bare_404, name, case):
    response = _request(as_user(world.outsider), case, _url(world, name, case, "brugge"), world)
    assert response.status_code == 404


RESTRICTED = [(n, c) for n, c in CASES if c.who == "coordinator" or c.forbidden is not None]


@pytest.mark.parametrize(("name", "case"), RESTRICTED, ids=[n for n, _ in RESTRICTED])
def test_a_member_whose_role_may_not_gets_403(world, as_user, name, case):
    response = _request(as_user(case.forbidden_user(world)), case, _url(world, name, case, "brugge"), world)
    assert response.status_code == 403


@pytest.mark.parametrize(("name", "case"), CASES, ids=IDS)
def test_anonymous_is_sent_to_login(world, as_user, name, case):
    url = _url(world, name, case, "brugge")
    response = _request(as_user(None), case, url, world)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"]


@pytest.mark.parametrize(("name", "case"), CASES, ids=IDS)
def test_a_method_the_view_does_not_take_gets_405(world, as_user, name, case):
    user = world.coordinator_a if case.who == "coordinator" else world.volunteer_a
    client = as_user(user)
    url = _url(world, name, case, "brugge")
    wrong = getattr(client, case.refused_method())(url)
    assert wrong.status_code == 405


@pytest.mark.parametrize(("name", "case"), CASES, ids=IDS)
def test_an_inactive_group_is_gone_for_its_own_members(world, as_user, bare_404, name, case):
    world.group_a.is_active = False
    world.group_a.save()
    user = world.coordinator_a if case.who == "coordinator" else world.volunteer_a
    response = _request(as_user(user), case, _url(world, name, case, "brugge"), world)
    assert response.status_code == 404


@pytest.mark.parametrize("slug", ["bestaat-niet", "genk"])
def test_an_unknown_slug_and_a_foreign_slug_look_the_same(world, as_user, slug):
    response = as_user(world.volunteer_a).get(reverse("reports:home", kwargs={"slug": slug}))
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.content.decode()


@pytest.mark.parametrize(
    "visitor", ["member of another group", "no membership", "member of an inactive group"]
)
def test_the_404_page_renders_for_every_kind_of_visitor(world, as_user, visitor):
    """The 404 answers above skip their page (`bare_404`); here it is rendered and read, once for
    each kind of visitor they send, on a page of group A that shows a family."""
    user = {"member of another group": world.coordinator_b, "no membership": world.outsider}.get(
        visitor, world.volunteer_a
    )
    if visitor == "member of an inactive group":
        world.group_a.is_active = False
        world.group_a.save()
    response = as_user(user).get(
        reverse("households:detail", kwargs={"slug": "brugge", "pk": world.household_a.pk})
    )
    assert response.status_code == 404
    body = response.content.decode()
    assert "Deze pagina bestaat niet" in body
    assert world.household_a.display_name not in body
