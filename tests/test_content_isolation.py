"""Isolation by content: what a page shows, and what a form changes, never crosses groups.

`test_url_isolation.py` proves the status codes (404 across groups, 403, 405, the login
redirect). Here the member each URL is for gets it: every page of the registry is rendered for
group A and searched for marker texts of group B (and of group A2, for a volunteer who is in
both A and A2), and every POST case is sent and group B's rows must be unchanged. A list that
used `Household.objects.all()` would pass the status codes, not these.
The registry in `tests/isolation.py` is the source of truth: a new URL is covered here as soon
as it has its isolation case. The markers are planted once for the module, on top of the
shared world (`planted`), not for each test.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from accounts.models import User
from groups.models import Group
from households.models import Household, Person
from tests.helpers import World, make_member, make_user, make_visit, rows_of
from tests.isolation import GROUP_URLS, Case
from visits.models import FollowUp, Signal


@dataclass(frozen=True)
class Markers:
    """Texts that only one group's pages may show."""

    texts: tuple[str, ...]


def _plant(group: Group, tag: str) -> Markers:
    """Give `group` a household, a person, a visit with a confidential note, a follow-up, a
    signal and a member, each carrying a text no other group has (`tag` keeps them apart)."""
    member = make_user(f"marker-{tag.lower()}@example.org", f"Quirijn Lid{tag}")
    make_member(member, group)
    household = Household.objects.create(
        group=group, display_name=f"Familie Zwaluw{tag}", street=f"Merelstraat{tag}", postcode="9000"
    )
    Person.objects.create(group=group, household=household, first_name=f"Xandrijn{tag}", birth_year=1990)
    visit = make_visit(
        household,
        member,
        summary=f"Verslag over de boiler{tag}.",
        confidential_note=f"Vertrouwelijk{tag}",
    )
    FollowUp.objects.create(
        group=group,
        household=household,
        visit=visit,
        description=f"Huurcontract nalezen{tag}",
        due_date="2026-01-10",
        assignee=member,
        created_by=member,
    )
    Signal.objects.create(
        group=group,
        household=household,
        visit=visit,
        institution="ocmw",
        theme="housing",
        description=f"Wachtlijst sociale woning{tag}.",
        created_by=member,
    )
    return Markers(
        texts=(
            f"Familie Zwaluw{tag}",
            f"Merelstraat{tag}",
            f"Xandrijn{tag}",
            f"Verslag over de boiler{tag}",
            f"Vertrouwelijk{tag}",
            f"Huurcontract nalezen{tag}",
            f"Wachtlijst sociale woning{tag}",
            f"Quirijn Lid{tag}",
        )
    )


@pytest.fixture(scope="module")
def planted(_shared_world) -> Iterator[dict[str, Markers]]:
    """Markers in groups A, A2 and B, written once for this module's tests, on top of the shared
    world (tests/conftest.py `SharedWorld.layer`); each test still rolls back its own writes."""

    def plant(world: World) -> dict[str, Markers]:
        return {
            "a": _plant(world.group_a, "Aaa"),
            "a2": _plant(world.group_a2, "Kkk"),
            "b": _plant(world.group_b, "Bbb"),
        }

    with _shared_world.layer(plant) as markers:
        yield markers


def _url(world: World, name: str, case: Case) -> str:
    return reverse(name, kwargs={"slug": world.group_a.slug, **case.kwargs(world)})


def _leaks(body: str, markers: Markers) -> list[str]:
    return [text for text in markers.texts if text in body]


def _member(world: World, case: Case) -> User:
    """The member a URL is for: A's coordinator for coordinator pages, else a volunteer of A."""
    return world.coordinator_a if case.who == "coordinator" else world.volunteer_a


# Every URL that shows a page. A POST-only URL answers GET with 405 (test_url_isolation.py).
PAGES = [
    (n, c) for n, c in sorted(GROUP_URLS.items()) if not (c.method == "post" and c.refused_method() == "get")
]


@pytest.mark.parametrize(("name", "case"), PAGES, ids=[n for n, _ in PAGES])
def test_the_member_it_is_for_gets_it_and_nothing_of_another_group(world, planted, as_user, name, case):
    """The member case of the URL walk, read: the member a page is for gets it (a POST URL's
    member case is the POST test below), and no page of group A shows anything of group B or
    A2, to that member nor to A's coordinator, who may see the most of the group."""
    url = _url(world, name, case)
    viewers = [world.coordinator_a]
    if case.method == "get" and case.who == "member":
        viewers.insert(0, world.volunteer_a)
    for user in viewers:
        if case.method == "get" and user == _member(world, case):
            response = as_user(user).get(url, case.data(world))
            assert response.status_code == case.ok_status
        else:
            response = as_user(user).get(url)
            assert response.status_code in (200, 302)
        body = response.content.decode(errors="replace")
        assert not _leaks(body, planted["b"]), f"{name} shows group B's data to {user}"
        assert not _leaks(body, planted["a2"]), f"{name} shows group A2's data to {user}"


MEMBER_PAGES = [(n, c) for n, c in PAGES if c.who == "member"]


@pytest.mark.parametrize(("name", "case"), MEMBER_PAGES, ids=[n for n, _ in MEMBER_PAGES])
def test_a_volunteer_in_two_groups_sees_each_group_apart(world, planted, as_user, name, case):
    client = as_user(world.volunteer_a_and_a2)
    response = client.get(_url(world, name, case))
    if response.status_code == 403:
        pytest.skip("not a page this volunteer may open (test_url_isolation.py, 403)")
    body = response.content.decode(errors="replace")
    assert not _leaks(body, planted["a2"]), f"{name} in group A shows group A2's data"
    assert not _leaks(body, planted["b"]), f"{name} in group A shows group B's data"
    if "pk" not in case.kwargs(world):
        # The same page in the volunteer's other group shows nothing of group A.
        other = client.get(reverse(name, kwargs={"slug": world.group_a2.slug}))
        assert other.status_code in (200, 302, 405)
        other_body = other.content.decode(errors="replace")
        assert not _leaks(other_body, planted["a"]), f"{name} in group A2 shows group A's data"


def _group_owned_models() -> list[type[models.Model]]:
    found = []
    for model in apps.get_models():
        field = next((f for f in model._meta.get_fields() if f.name == "group"), None)
        if field is not None and field.is_relation and field.related_model is Group:
            found.append(model)
    return found


def _snapshot(group: Group) -> dict[str, list[str]]:
    """Every row of every group-owned table of `group`, whole, plus the group itself and the
    users who are its members: in one query."""
    return rows_of(
        [
            *((model, "t.group_id = %s", [group.pk]) for model in _group_owned_models()),
            (Group, "t.id = %s", [group.pk]),
            (User, "t.id IN (SELECT user_id FROM groups_membership WHERE group_id = %s)", [group.pk]),
        ]
    )


POST_CASES = [(n, c) for n, c in sorted(GROUP_URLS.items()) if c.method == "post"]


@pytest.mark.parametrize(("name", "case"), POST_CASES, ids=[n for n, _ in POST_CASES])
def test_no_form_of_group_a_changes_anything_of_group_b(world, planted, as_user, name, case):
    """Also the member case of the URL walk for a POST URL: the member it is for gets it done."""
    before = _snapshot(world.group_b), _snapshot(world.group_a2)
    response = getattr(as_user(_member(world, case)), case.method)(_url(world, name, case), case.data(world))
    assert response.status_code == case.ok_status
    assert (_snapshot(world.group_b), _snapshot(world.group_a2)) == before


def test_the_snapshot_sees_a_change_in_group_b(world, planted):
    """The POST test above can fail: a change to group B's data changes its snapshot."""
    before = _snapshot(world.group_b)
    Signal.objects.filter(group=world.group_b).update(status=Signal.Status.RAISED)
    assert _snapshot(world.group_b) != before


def test_the_markers_are_shown_to_their_own_group(world, planted, as_user):
    """The GET tests above can fail: group A's markers do appear on group A's pages."""
    client = as_user(world.coordinator_a)
    bodies = "".join(
        client.get(reverse(name, kwargs={"slug": world.group_a.slug})).content.decode()
        for name in ("households:list", "visits:list", "visits:signal_list", "visits:follow_up_list")
    )
    bodies += client.get(reverse("groups:members", kwargs={"slug": world.group_a.slug})).content.decode()
    shown = [text for text in planted["a"].texts if text in bodies]
    assert "Familie ZwaluwAaa" in shown
    assert "Quirijn LidAaa" in shown
    assert "Wachtlijst sociale woningAaa" in shown
