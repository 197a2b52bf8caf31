"""accounts.services.mfa_status: whether a user has a second factor and must have one, in one
statement written by hand for speed (the MFA middleware asks on every request of a user without
MFA). Held here to the rule as the ORM states it, for every kind of user."""

from allauth.mfa.models import Authenticator
from django.db.models import Q

from accounts.models import User
from accounts.services import has_mfa, mfa_status, requires_mfa
from groups.models import Membership
from tests.helpers import give_mfa


def _by_the_orm(user: User) -> tuple[bool, bool]:
    has = Authenticator.objects.filter(user=user, type__in=["totp", "webauthn"]).exists()
    coordinator = Q(
        memberships__role="coordinator", memberships__is_active=True, memberships__group__is_active=True
    )
    required = (
        user.is_staff
        or user.is_superuser
        or User.objects.filter(coordinator | Q(staff_regions__isnull=False), pk=user.pk).exists()
    )
    return has, required


def _everyone(world) -> list[User]:
    return [
        world.coordinator_a,
        world.volunteer_a,
        world.coordinator_b,
        world.volunteer_b,
        world.volunteer_a_and_a2,
        world.outsider,
    ]


def _check(world, django_assert_num_queries) -> None:
    for user in _everyone(world):
        user.refresh_from_db()
        with django_assert_num_queries(1):
            status = mfa_status(user)
        assert tuple(status) == _by_the_orm(user), user.email
        assert (has_mfa(user), requires_mfa(user)) == tuple(status)


def test_the_one_statement_agrees_with_the_rule_for_every_kind_of_user(world, django_assert_num_queries):
    _check(world, django_assert_num_queries)
    # A second factor; recovery codes alone are not one.
    give_mfa(world.volunteer_a)
    Authenticator.objects.create(user=world.volunteer_b, type=Authenticator.Type.RECOVERY_CODES, data={})
    # Regional staff, Django staff, a superuser.
    world.region_a.staff.add(world.outsider)
    User.objects.filter(pk=world.volunteer_b.pk).update(is_staff=True)
    # A coordinator whose membership, or whose group, is no longer active.
    Membership.objects.filter(user=world.coordinator_b).update(is_active=False)
    world.group_a.is_active = False
    world.group_a.save()
    # Made coordinator of a second group.
    Membership.objects.filter(user=world.volunteer_a_and_a2, group=world.group_a2).update(role="coordinator")
    _check(world, django_assert_num_queries)


def test_a_coordinator_of_an_active_group_must_and_a_volunteer_need_not(world):
    assert mfa_status(world.coordinator_a) == (False, True)
    assert mfa_status(world.volunteer_a) == (False, False)
    give_mfa(world.coordinator_a)
    assert mfa_status(world.coordinator_a) == (True, True)
    world.group_a.is_active = False
    world.group_a.save()
    assert mfa_status(world.coordinator_a) == (True, False)
