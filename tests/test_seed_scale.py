"""seed_scale, run small: the rows it makes hang together as the app's own would."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from activities.models import Activity, Attendance, BoardSeat
from groups.models import Group, Membership
from households.models import Household, Person
from visits.models import FollowUp, Signal, Visit, VisitVolunteer


def test_seed_scale_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_scale", groups=2, households=10, visits=50)


def test_seed_scale_makes_consistent_data(db, settings):
    settings.DEBUG = True
    call_command("seed_scale", groups=4, households=30, visits=600, stdout=open("/dev/null", "w"))  # noqa: SIM115
    groups = Group.objects.filter(slug__startswith="scale-")
    assert groups.count() == 4
    assert Membership.objects.filter(group__in=groups).count() == 40
    assert Household.objects.filter(group__in=groups).count() == 30
    assert Person.objects.count() == 100  # 3 or 4 per household
    assert Visit.objects.count() == 600
    # Every row stays inside its group: the household's, the author's and the volunteers' group.
    assert not Visit.objects.exclude(group=F("household__group")).exists()
    assert not Visit.objects.exclude(author__memberships__group=F("group")).exists()
    assert not VisitVolunteer.objects.exclude(group=F("visit__group")).exists()
    assert not FollowUp.objects.exclude(group=F("household__group")).exists()
    assert not Signal.objects.exclude(group=F("household__group")).exists()
    assert FollowUp.objects.count() == 120 and Signal.objects.count() == 30
    assert Activity.objects.count() == 4 * 522
    assert Attendance.objects.exists()
    assert not Attendance.objects.exclude(group=F("activity__group")).exists()
    assert not Attendance.objects.exclude(group=F("person__group")).exists()
    assert not Attendance.objects.exclude(household=F("person__household")).exists()
    assert not Activity.objects.exclude(created_by__memberships__group=F("group")).exists()
    assert BoardSeat.objects.exists()
    assert not BoardSeat.objects.exclude(group=F("person__group")).exists()
    assert not BoardSeat.objects.exclude(household=F("person__household")).exists()
    assert not BoardSeat.objects.filter(ended_on__lt=F("started_on")).exists()
    # Running it again changes nothing.
    call_command("seed_scale", groups=4, households=30, visits=600, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Visit.objects.count() == 600
