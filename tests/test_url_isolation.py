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
    that must end in 404 and read nothing but the status (a 403, 405 or redirect is left as it
    is). Django takes the project's `handler404` from the root URLconf at each 404, so setting
    it there is enough. The page itself is rendered and read once per kind of visitor (the last
    test of this file)."""
    monkeypatch.setattr(welzijn.urls, "handler404", _bare_404, raising=False)


CASES = sorted(GROUP_URLS.items())
IDS = [name for name, _ in CASES]


@pytest.mark.parametrize(("name", "case"), CASES, ids=IDS)
def test_nobody_but_the_members_it_is_for_gets_it(world, as_user, bare_404, subtests, name, case):
    """Each kind of visitor of a URL of group A, one subtest each, in one test (one world copy
    and one client per visitor for all six): a member of another group, a user without any
    membership, a member whose role may not (403), anonymous, the member with a method the
    view does not take (405), and the member once the group is inactive (last: it changes the
    group). The member the URL is for: test_content_isolation.py."""
    url = _url(world, name, case, "brugge")
    with subtests.test("a member of another group gets 404"):
        client = as_user(world.coordinator_b)
        # Group A's URL as-is …
        assert _request(client, case, url, world).status_code == 404
        # … and group A's record under group B's own slug, where B's coordinator has every right.
        if "pk" in case.kwargs(world):
            assert _request(client, case, _url(world, name, case, "genk"), world).status_code == 404
    with subtests.test("a logged-in user without membership gets 404"):
        assert _request(as_user(world.outsider), case, url, world).status_code == 404
    forbidden = case.forbidden_user(world)  # volunteers on coordinator pages, or the case's own
    if forbidden is not None:
        with subtests.test("a member whose role may not gets 403"):
            assert _request(as_user(forbidden), case, url, world).status_code == 403
    with subtests.test("anonymous is sent to login"):
        response = _request(as_user(None), case, url, world)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert "next=" in response["Location"]
    member = as_user(world.coordinator_a if case.who == "coordinator" else world.volunteer_a)
    with subtests.test("a method the view does not take gets 405"):
        assert getattr(member, case.refused_method())(url).status_code == 405
    with subtests.test("an inactive group is gone for its own members"):
        world.group_a.is_active = False
        world.group_a.save()
        assert _request(member, case, url, world).status_code == 404


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
