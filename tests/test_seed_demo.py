import io

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import CommandError, call_command
from django.db.models import F

from accounts.models import User
from activities.models import Activity, Attendance, BoardSeat
from demo.management.commands.seed_demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from groups.models import Group, Membership, Region
from households.models import Household, Person
from visits.models import Visit


def _counts() -> tuple[int, ...]:
    """Regions, groups, users, memberships, households and persons: a second seed adds none."""
    return tuple(model.objects.count() for model in (Region, Group, User, Membership, Household, Person))


def test_seed_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_builds_the_demo_world_gives_who_must_have_mfa_a_fixed_key_and_is_idempotent(db, settings):
    """One demo world, seeded twice (each run about half a second), for all it must be: the
    groups and their members, who must have MFA with the fixed key it prints, and a second run
    that makes nothing twice."""
    settings.DEBUG = True
    first, second = io.StringIO(), io.StringIO()
    call_command("seed_demo", stdout=first)
    counts = _counts()
    assert counts[:2] == (2, 3)
    for group in Group.objects.all():
        roles = list(group.memberships.values_list("role", flat=True))
        assert roles.count("coordinator") == 1
        assert roles.count("volunteer") >= 2
    two_groups = [u for u in User.objects.all() if u.memberships.count() == 2]
    assert len(two_groups) == 1
    assert User.objects.get(email="an.coordinator@example.org").check_password(DEMO_PASSWORD)
    assert DEMO_TOTP_SECRET in first.getvalue()

    call_command("seed_demo", stdout=second)
    assert _counts() == counts
    assert Visit.objects.count() == 14
    assert counts[4:] == (7, 15)
    # Each group: a weekly praatcafé of 13 evenings and one dialogue; run twice, made once.
    assert Activity.objects.count() == 3 * 14
    assert Attendance.objects.exists() and not Attendance.objects.exclude(group=F("activity__group")).exists()
    assert not Attendance.objects.exclude(group=F("person__group")).exists()
    assert BoardSeat.objects.count() == 3 and not BoardSeat.objects.exclude(group=F("person__group")).exists()
    assert Visit.objects.count() == 14
    assert all(v.group_id == v.household.group_id for v in Visit.objects.select_related("household"))
    # Every demo household is in the group of its contact person.
    for household in Household.objects.prefetch_related("contacts__user__memberships"):
        for contact in household.contacts.all():
            assert household.group_id in {m.group_id for m in contact.user.memberships.all()}

    # Who must have MFA has the fixed key, still one authenticator each after the second run.
    assert DEMO_TOTP_SECRET in second.getvalue()
    for email in ["an.coordinator@example.org", "admin@example.org"]:
        totp = Authenticator.objects.get(user__email=email, type="totp")
        assert TOTP(totp).instance.data["secret"] == DEMO_TOTP_SECRET
    volunteers = User.objects.exclude(memberships__role="coordinator").exclude(is_staff=True)
    assert not Authenticator.objects.filter(user__in=volunteers).exists()
