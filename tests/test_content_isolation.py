"""Isolation by content: what a page shows, and what a form changes, never crosses groups.

`test_url_isolation.py` proves the status codes (404 across groups). A list that used
`Household.objects.all()` would still pass those, so here every GET page of the registry is
rendered for group A and searched for marker texts of group B (and of group A2 for a volunteer
who is in both A and A2); every POST case is sent and group B's rows must be unchanged.
The registry in `tests/isolation.py` is the source of truth: a new URL is covered here as soon
as it has its isolation case.
"""

from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import models
from django.forms.models import model_to_dict
from django.urls import reverse

from groups.models import Group, Membership
from households.models import Household, Person
from tests.helpers import World, make_member, make_user, make_visit
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


@pytest.fixture
def planted(world: World) -> dict[str, Markers]:
    return {
        "a": _plant(world.group_a, "Aaa"),
        "a2": _plant(world.group_a2, "Kkk"),
        "b": _plant(world.group_b, "Bbb"),
    }


def _url(world: World, name: str, case: Case) -> str:
    return reverse(name, kwargs={"slug": world.group_a.slug, **case.kwargs(world)})


def _leaks(body: str, markers: Markers) -> list[str]:
    return [text for text in markers.texts if text in body]


GET_CASES = sorted(GROUP_URLS.items())


@pytest.mark.parametrize(("name", "case"), GET_CASES, ids=[n for n, _ in GET_CASES])
def test_no_page_of_group_a_shows_anything_of_group_b(world, planted, as_user, name, case):
    response = as_user(world.coordinator_a).get(_url(world, name, case))
    if response.status_code == 405:
        pytest.skip("POST-only URL: covered by the POST test below")
    assert response.status_code in (200, 302)
    body = response.content.decode(errors="replace")
    assert not _leaks(body, planted["b"]), f"{name} shows group B's data"
    assert not _leaks(body, planted["a2"]), f"{name} shows group A2's data"


MEMBER_CASES = [(n, c) for n, c in GET_CASES if c.who == "member"]


@pytest.mark.parametrize(("name", "case"), MEMBER_CASES, ids=[n for n, _ in MEMBER_CASES])
def test_a_volunteer_in_two_groups_sees_each_group_apart(world, planted, as_user, name, case):
    client = as_user(world.volunteer_a_and_a2)
    response = client.get(_url(world, name, case))
    if response.status_code in (403, 405):
        pytest.skip("not a page this volunteer may open, or POST-only")
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


def _snapshot(group: Group) -> dict[str, list[dict]]:
    """Every row of every group-owned table of `group`, field by field, plus its memberships'
    users and the group itself."""
    snap: dict[str, list[dict]] = {}
    for model in _group_owned_models():
        rows = model._default_manager.filter(group=group).order_by("pk")
        snap[model._meta.label] = [{"pk": row.pk, **model_to_dict(row)} for row in rows]
    snap["group"] = [model_to_dict(Group.objects.get(pk=group.pk))]
    users = Membership.objects.filter(group=group).values_list("user__email", "user__is_active")
    snap["users"] = [dict(users)]
    return snap


POST_CASES = [(n, c) for n, c in GET_CASES if c.method == "post"]


@pytest.mark.parametrize(("name", "case"), POST_CASES, ids=[n for n, _ in POST_CASES])
def test_no_form_of_group_a_changes_anything_of_group_b(world, planted, as_user, name, case):
    before = _snapshot(world.group_b), _snapshot(world.group_a2)
    user = world.coordinator_a if case.who == "coordinator" else world.volunteer_a
    response = getattr(as_user(user), case.method)(_url(world, name, case), case.data(world))
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
