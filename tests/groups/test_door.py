"""The group door's own lookup, `groups.access.get_membership`: its SQL is written by hand for
speed, so it is held here to the rules and to the rows the ORM would give."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef

from groups.access import get_membership
from groups.models import Membership
from tests.helpers import make_member, make_user


def _by_the_orm(user, slug: str) -> Membership | None:
    elsewhere = Membership.objects.filter(user=user, is_active=True, group__is_active=True).exclude(
        group=OuterRef("group")
    )
    return (
        Membership.objects.select_related("group", "group__region")
        .filter(user=user, is_active=True, group__slug=slug, group__is_active=True)
        .annotate(other_groups=Exists(elsewhere))
        .first()
    )


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_the_membership_its_group_and_region_are_the_rows_the_orm_reads(world, django_assert_num_queries):
    for user, slug in [
        (world.coordinator_a, "brugge"),
        (world.volunteer_a_and_a2, "kortrijk"),
        (world.volunteer_b, "genk"),
    ]:
        expected = _by_the_orm(user, slug)
        with django_assert_num_queries(1):
            found = get_membership(user, slug)
            assert found is not None and expected is not None
            group, region = found.group, found.group.region  # no query of their own
        assert _fields(found) == _fields(expected)
        assert _fields(group) == _fields(expected.group)
        assert _fields(region) == _fields(expected.group.region)
        assert getattr(found, "other_groups") is getattr(expected, "other_groups")  # noqa: B009
        assert not found._state.adding and found._state.db == group._state.db == "default"


def test_other_groups_counts_only_active_memberships_of_active_groups(world):
    def other_groups(user) -> bool:
        return getattr(get_membership(user, "brugge"), "other_groups")  # noqa: B009 - an annotation

    assert other_groups(world.volunteer_a_and_a2) is True
    assert other_groups(world.volunteer_a) is False
    Membership.objects.filter(user=world.volunteer_a_and_a2, group=world.group_a2).update(is_active=False)
    assert other_groups(world.volunteer_a_and_a2) is False
    Membership.objects.filter(user=world.volunteer_a_and_a2, group=world.group_a2).update(is_active=True)
    assert other_groups(world.volunteer_a_and_a2) is True
    world.group_a2.is_active = False
    world.group_a2.save()
    assert other_groups(world.volunteer_a_and_a2) is False


def test_no_membership_for_another_group_an_inactive_one_or_an_unknown_slug(world, django_assert_num_queries):
    assert get_membership(world.coordinator_b, "brugge") is None
    assert get_membership(world.outsider, "brugge") is None
    assert get_membership(world.coordinator_a, "geen-groep") is None
    superuser = make_user("super@example.org", is_superuser=True, is_staff=True)
    assert get_membership(superuser, "brugge") is None
    with django_assert_num_queries(0):
        assert get_membership(AnonymousUser(), "brugge") is None
    Membership.objects.filter(user=world.volunteer_a, group=world.group_a).update(is_active=False)
    assert get_membership(world.volunteer_a, "brugge") is None
    world.group_b.is_active = False
    world.group_b.save()
    assert get_membership(world.coordinator_b, "genk") is None


def test_a_slug_is_a_value_never_sql(world):
    make_member(make_user("quote@example.org"), world.group_a)
    assert get_membership(world.coordinator_a, "brugge' OR '1'='1") is None
