"""A small world for every test: two groups in two regions, each with a coordinator and a
volunteer, plus a volunteer who is a member of both groups of region A."""

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import cast

import pytest
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, connection
from django.db.backends.signals import connection_created
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from activities.models import Activity, Attendance
from groups.models import Group, Membership, Region
from households.models import Household, HouseholdContact, Person
from rls import roles
from rls import scope as rls_scope
from visits.models import FollowUp, Signal, Visit, VisitVolunteer

PASSWORD = "een-lang-testwachtwoord"
# A fixed TOTP secret (base32) for test users who must have MFA: tests compute codes from it.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def give_mfa(user: User, secret: str = TOTP_SECRET) -> None:
    """Give `user` an authenticator app with `secret` (if they have none yet)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)


def totp_code(secret: str = TOTP_SECRET, offset: int = 0) -> str:
    """The code an authenticator app shows now (offset: periods later or earlier)."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


# What the group door's row-level security scope adds to a page's queries inside a test's
# transaction: SAVEPOINT, set_config, set_config back, RELEASE (in production: one set_config).
SCOPE_QUERIES = 4


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
        person_a=cast(Person, None),  # created just below, in household_a
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


def attend(
    activity: Activity, person: Person, *, helped_organise: bool = False, spoke: bool = False
) -> Attendance:
    """`person` attended `activity`, stored as the service stores it (group, household, date)."""
    return Attendance.objects.create(
        group_id=activity.group_id,
        activity=activity,
        person=person,
        household_id=person.household_id,
        helped_organise=helped_organise,
        spoke=spoke,
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
    """A client logged in as `user`, who has finished setting up their account: someone who
    must have MFA has it (accounts.services.requires_mfa). Tests of the MFA set-up itself use
    a plain Client."""
    from accounts.services import requires_mfa

    client = Client()
    if user is not None:
        if requires_mfa(user):
            give_mfa(user)
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
def _staff_figures_counted_on_every_request(settings):
    # A test that changes data between two requests sees the change; the cache itself is tested
    # in tests/reports/test_staff_cache.py, which turns it on.
    settings.STAFF_FIGURES_MAX_AGE = 0


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Two database roles and row-level security in the tests (rls/) -----------------------


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's own, except that the migration role creates, migrates and drops the test
    database. The tests' `default` connection is the app role, as in production."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    if not django_db_use_migrations:
        _disable_migrations()
    keepdb = django_db_keepdb and not django_db_createdb
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    with django_db_blocker.unblock(), roles.migration_role():
        db_cfg = setup_databases(
            verbosity=request.config.option.verbose,
            interactive=False,
            aliases=aliases,  # type: ignore[arg-type]  # django-stubs says Mapping; Django's runner passes a set too
            serialized_aliases=serialized_aliases,
            keepdb=keepdb,
        )
        # `migrate` (in setup_databases) granted the app role its rights: rls.roles.grant_after_migrate.
    yield
    if not keepdb:
        with django_db_blocker.unblock(), roles.migration_role():
            teardown_databases(db_cfg, verbosity=request.config.option.verbose)


@pytest.fixture(autouse=True)
def _test_code_sees_every_group(request) -> Iterator[None]:
    """The test's own queries (fixtures, assertions) see every group's rows; the requests it
    makes do not: while the test client handles a request, this is switched off, so each view
    reads only what its own scope (the group door, staff, admin) lets it read.

    The switch is `welzijn.all_groups` set for the test thread's connection (session level, so
    that it also holds between the statements of a transactional test); the live server's
    threads never see it. Tests of row-level security itself switch it off (`no_scope`)."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    if "transactional_db" in names or "live_server" in names or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker is not None:
        request.getfixturevalue("db")
    else:
        yield
        return
    test_thread = threading.get_ident()

    def switch(value: str) -> None:
        # No open connection: nothing to switch; the next one is set by `new_connection` (and
        # during a database outage the test must not wait for the pool here).
        if threading.get_ident() == test_thread and connection.connection is not None:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config(%s, %s, false)", [rls_scope.ALL_GROUPS, value])
            except DatabaseError:  # a test without a database (a mocked cursor): nothing to switch
                pass

    in_request = False

    def on(**kwargs) -> None:
        nonlocal in_request
        in_request = False
        switch("on")

    def off(**kwargs) -> None:
        nonlocal in_request
        in_request = True
        switch("")

    def new_connection(connection, **kwargs) -> None:  # e.g. after `rls.roles.migration_role()`
        if not in_request and threading.get_ident() == test_thread:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', false)", [rls_scope.ALL_GROUPS])

    switch("on")
    request_started.connect(off, weak=False)
    request_finished.connect(on, weak=False)
    connection_created.connect(new_connection, weak=False)
    try:
        yield
    finally:
        request_started.disconnect(off)
        request_finished.disconnect(on)
        connection_created.disconnect(new_connection)
        switch("")  # in an aborted test transaction it fails, but the rollback resets the setting
