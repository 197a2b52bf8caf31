"""A small world for every test: two groups in two regions, each with a coordinator and a
volunteer, plus a volunteer who is a member of both groups of region A."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from activities.models import Activity, Attendance
from groups.models import Group, Membership, Region
from households.models import Household, HouseholdContact, Person
from visits.models import FollowUp, Signal, Visit, VisitVolunteer

PASSWORD = "een-lang-testwachtwoord"


@dataclass
class World:
    region_a: Region
    region_b: Region
    group_a: Group
    group_a2: Group
    group_b: Group
    coordinator_a: User
    volunteer_a: User
    coordinator_b: User
    volunteer_b: User
    volunteer_a_and_a2: User
    outsider: User  # logged-in user without any membership
    household_a: Household
    person_a: Person
    household_b: Household
    visit_a: Visit | None = None
    follow_up_a: FollowUp | None = None
    signal_a: Signal | None = None
    visit_b: Visit | None = None
    activity_a: "Activity | None" = None
    activity_b: "Activity | None" = None


def make_user(email: str, full_name: str = "", **extra) -> User:
    return User.objects.create_user(email=email, password=PASSWORD, full_name=full_name or email, **extra)


def make_member(user: User, group: Group, role: str = Membership.Role.VOLUNTEER, **extra) -> Membership:
    return Membership.objects.create(user=user, group=group, role=role, **extra)


@pytest.fixture
def world(db) -> World:
    region_a = Region.objects.create(name="West-Vlaanderen", slug="west-vlaanderen")
    region_b = Region.objects.create(name="Limburg", slug="limburg")
    group_a = Group.objects.create(
        name="Schakel Brugge", slug="brugge", municipality="Brugge", region=region_a
    )
    group_a2 = Group.objects.create(
        name="Schakel Kortrijk", slug="kortrijk", municipality="Kortrijk", region=region_a
    )
    group_b = Group.objects.create(name="Schakel Genk", slug="genk", municipality="Genk", region=region_b)
    w = World(
        region_a=region_a,
        region_b=region_b,
        group_a=group_a,
        group_a2=group_a2,
        group_b=group_b,
        coordinator_a=make_user("coord-a@example.org", "Anna Coördinator"),
        volunteer_a=make_user("vol-a@example.org", "Arne Vrijwilliger"),
        coordinator_b=make_user("coord-b@example.org", "Bea Coördinator"),
        volunteer_b=make_user("vol-b@example.org", "Bram Vrijwilliger"),
        volunteer_a_and_a2=make_user("vol-twee@example.org", "Tine Tweegroepen"),
        outsider=make_user("nobody@example.org", "Niemand"),
        household_a=Household.objects.create(
            group=group_a,
            display_name="Familie Peeters",
            street="Kerkstraat",
            house_number="12",
            postcode="8000",
            municipality="Brugge",
            needs=["housing", "income_debt"],
        ),
        person_a=None,
        household_b=Household.objects.create(group=group_b, display_name="Familie Janssens", postcode="3600"),
    )
    w.person_a = Person.objects.create(
        group=group_a, household=w.household_a, first_name="Mieke", birth_year=1980
    )
    Person.objects.create(group=group_b, household=w.household_b, first_name="Jos", birth_year=1975)
    make_member(w.coordinator_a, group_a, Membership.Role.COORDINATOR)
    make_member(w.volunteer_a, group_a)
    make_member(w.coordinator_b, group_b, Membership.Role.COORDINATOR)
    make_member(w.volunteer_b, group_b)
    make_member(w.volunteer_a_and_a2, group_a)
    make_member(w.volunteer_a_and_a2, group_a2)
    HouseholdContact.objects.create(group=group_a, household=w.household_a, user=w.volunteer_a)
    w.visit_a = make_visit(
        w.household_a, w.volunteer_a, summary="Gesprek over de huur.", confidential_note="Geheim A"
    )
    w.follow_up_a = FollowUp.objects.create(
        group=group_a,
        household=w.household_a,
        visit=w.visit_a,
        description="Brief OCMW nalezen",
        due_date="2026-01-10",
        assignee=w.volunteer_a,
        created_by=w.volunteer_a,
    )
    w.signal_a = Signal.objects.create(
        group=group_a,
        household=w.household_a,
        visit=w.visit_a,
        institution="ocmw",
        theme="income_debt",
        description="Leefloon te laat uitbetaald.",
        created_by=w.volunteer_a,
    )
    w.visit_b = make_visit(
        w.household_b, w.volunteer_b, summary="Gesprek in Genk.", confidential_note="Geheim B"
    )
    w.activity_a = make_activity(group_a, w.coordinator_a, title="Praatcafé Brugge")
    attend(w.activity_a, w.person_a)
    w.activity_b = make_activity(group_b, w.coordinator_b, title="Kookavond Genk")
    return w


def attend(activity: Activity, person: Person, *, helped_organise: bool = False) -> Attendance:
    """`person` attended `activity`, stored as the service stores it (group, household, date)."""
    return Attendance.objects.create(
        group_id=activity.group_id,
        activity=activity,
        person=person,
        household_id=person.household_id,
        helped_organise=helped_organise,
        date=timezone.localtime(activity.starts_at).date(),
    )


def make_activity(group: Group, author: User, **fields) -> Activity:
    """An activity of `group` that started yesterday at 19:00 and lasted two hours."""
    starts_at = fields.pop("starts_at", None) or timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=1), time(19))
    )
    fields.setdefault("kind", "meeting")
    fields.setdefault("title", "Praatcafé")
    return Activity.objects.create(
        group=group, created_by=author, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), **fields
    )


def make_visit(household: Household, author: User, *others: User, **fields) -> Visit:
    visit = Visit.objects.create(group=household.group, household=household, author=author, **fields)
    for user in (author, *others):
        VisitVolunteer.objects.create(group=household.group, visit=visit, user=user)
    return visit


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def as_user():
    """`as_user(user)` gives a test client logged in as that user (None: anonymous)."""
    return client_for


@pytest.fixture
def superuser_client(world):
    """A client for a Django superuser without any membership: no back door into groups."""
    world.outsider.is_staff = world.outsider.is_superuser = True
    world.outsider.save()
    return client_for(world.outsider)


@pytest.fixture
def queries_stay_constant(django_assert_num_queries):
    """`queries_stay_constant(client, url, grow)`: the page answers 200 with as many queries after
    `grow()` added data as before it. Returns that number."""

    def check(client, url: str, grow, params: dict | None = None) -> int:
        client.get(url, params)  # warm up: session, caches
        with CaptureQueriesContext(connection) as small:
            assert client.get(url, params).status_code == 200
        grow()
        with django_assert_num_queries(len(small.captured_queries)):
            assert client.get(url, params).status_code == 200
        return len(small.captured_queries)

    return check


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
