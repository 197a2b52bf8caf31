"""PostgreSQL itself keeps each group's rows to that group (rls/), and the app role owns nothing.

These tests remove the application's own filter on purpose: inside a group-A request, a query
on a group-owned table without `group=` must still return only group A's rows.
"""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, models, transaction
from django.http import HttpResponse, StreamingHttpResponse

from groups.access import group_view
from groups.models import Group, Invitation, Membership
from households.models import AccessLogEntry, Consent, Household, HouseholdContact
from rls import scope
from rls.operations import POLICY, enable_for, enable_sql
from visits.models import FollowUp, Signal

# Every table of a model with a `group` foreign key, and its group column, read with raw SQL.
RAW_TABLES = [
    "households_household",
    "households_person",
    "households_consent",
    "households_householdcontact",
    "households_accesslogentry",
    "visits_visit",
    "visits_visitvolunteer",
    "visits_followup",
    "visits_signal",
    "activities_activityseries",
    "activities_activity",
    "activities_activityorganiser",
    "activities_activityvolunteer",
    "activities_activitysignal",
    "activities_attendance",
    "activities_boardseat",
]

# Group-owned tables deliberately without row-level security, and why (docs/architecture.md,
# "Row-level security"). Neither holds family data.
EXEMPT = {
    # The door reads the user's membership to learn the group (before any group is set), and
    # the group chooser lists the user's memberships of every group.
    Membership: "read before the group is known",
    # Accepting an invitation looks it up by the hash of its token, outside any group.
    Invitation: "looked up by token, outside any group",
}


@pytest.fixture
def both_groups(world):
    """Rows of every group-owned table in group A and in group B."""
    for household, user in [(world.household_a, world.volunteer_a), (world.household_b, world.volunteer_b)]:
        Consent.objects.create(
            group=household.group,
            household=household,
            status="given",
            date="2026-01-05",
            method="paper",
            recorded_by=user,
        )
        AccessLogEntry.objects.create(group=household.group, household=household, user=user, action="view")
    FollowUp.objects.create(
        group=world.group_b,
        household=world.household_b,
        description="Bellen",
        due_date="2026-02-01",
        assignee=world.volunteer_b,
        created_by=world.volunteer_b,
    )
    Signal.objects.create(
        group=world.group_b,
        household=world.household_b,
        institution="ocmw",
        theme="housing",
        description="Wachtlijst",
        created_by=world.volunteer_b,
    )
    HouseholdContact.objects.create(group=world.group_b, household=world.household_b, user=world.volunteer_b)
    Household.objects.create(group=world.group_a2, display_name="Familie Claes")
    from activities.models import (
        ActivityOrganiser,
        ActivitySeries,
        ActivitySignal,
        ActivityVolunteer,
        BoardSeat,
    )
    from tests.helpers import attend, make_activity

    for group, user, person in [
        (world.group_a, world.volunteer_a, world.person_a),
        (world.group_b, world.volunteer_b, world.household_b.persons.first()),
    ]:
        series = ActivitySeries.objects.create(
            group=group,
            title="Praatcafé",
            frequency="weekly",
            first_date="2026-01-05",
            last_date="2026-02-05",
            created_by=user,
        )
        activity = make_activity(group, user, series=series, kind="action")
        ActivityOrganiser.objects.create(group=group, activity=activity, user=user)
        ActivityVolunteer.objects.create(group=group, activity=activity, user=user)
        ActivitySignal.objects.create(group=group, activity=activity, signal=group.signals.first())
        attend(activity, person)
        BoardSeat.objects.create(
            group=group, person=person, household=person.household, started_on="2026-01-05", created_by=user
        )
    return world


def group_ids_in(table: str) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT group_id FROM {table}")  # noqa: S608 (constant names)
        return {row[0] for row in cursor.fetchall()}


def in_group_request(user, slug: str, read):
    """Run `read()` inside a request to `slug` that went through the group door; return its result."""
    from django.test import RequestFactory

    seen = {}

    @group_view()
    def probe(request):
        seen["result"] = read()
        return HttpResponse("ok")

    request = RequestFactory().get(f"/g/{slug}/")
    request.user = user
    assert probe(request, slug=slug).status_code == 200
    return seen["result"]


def no_scope_at_all():
    """Switch off the tests' own all-groups setting for this transaction: like a request whose
    group was never set (a bug)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config(%s, '', true), set_config(%s, '', true)", [scope.ALL_GROUPS, scope.GROUP_IDS]
        )


def test_the_data_of_these_tests_is_in_several_groups(both_groups):
    for table in RAW_TABLES:
        assert len(group_ids_in(table)) >= 2, table


def test_inside_a_group_request_queries_without_the_app_filter_see_only_that_group(both_groups):
    w = both_groups

    def read():
        return {
            "orm": {h.group_id for h in Household.objects.all()},
            "orm_follow_ups": set(FollowUp.objects.values_list("group_id", flat=True)),
            "orm_signals": set(Signal.objects.values_list("group_id", flat=True)),
            **{table: group_ids_in(table) for table in RAW_TABLES},
        }

    seen = in_group_request(w.volunteer_a, "brugge", read)
    for what, group_ids in seen.items():
        assert group_ids == {w.group_a.pk}, what
    # The member of two groups sees, in each group's request, that group only.
    seen = in_group_request(w.volunteer_a_and_a2, "kortrijk", read)
    assert seen["orm"] == {w.group_a2.pk}
    assert seen["households_household"] == {w.group_a2.pk}


def test_inside_a_group_request_another_groups_rows_cannot_be_written(both_groups):
    w = both_groups

    def write():
        changed = Household.objects.filter(pk=w.household_b.pk).update(display_name="Gewijzigd")
        deleted = FollowUp.objects.filter(group=w.group_b).delete()[0]
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            Household.objects.create(group=w.group_b, display_name="Ingeslopen")
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            # Moving a group-A row into group B is refused too (the policy's WITH CHECK).
            Household.objects.filter(pk=w.household_a.pk).update(group=w.group_b)
        return changed, deleted

    assert in_group_request(w.volunteer_a, "brugge", write) == (0, 0)
    w.household_b.refresh_from_db()
    assert w.household_b.display_name == "Familie Janssens"
    assert FollowUp.objects.filter(group=w.group_b).exists()


def test_without_a_group_set_a_query_sees_no_rows_and_cannot_insert(both_groups):
    with transaction.atomic():
        no_scope_at_all()
        for table in RAW_TABLES:
            assert group_ids_in(table) == set(), table
        assert not Household.objects.exists()
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            Household.objects.create(group=both_groups.group_a, display_name="Zonder groep")


def test_scopes_nest_and_give_back_the_enclosing_setting(both_groups):
    w = both_groups
    with transaction.atomic():
        no_scope_at_all()
        with scope.all_groups("test"):
            assert len(group_ids_in("households_household")) == 3
            with scope.groups([w.group_b.pk], "test"):
                assert group_ids_in("households_household") == {w.group_b.pk}
            assert len(group_ids_in("households_household")) == 3
            with pytest.raises(ZeroDivisionError), scope.groups([w.group_a.pk], "test"):
                1 / 0  # noqa: B018 (an error inside the scope)
            assert scope.current()[scope.ALL_GROUPS] == "on"  # the savepoint's rollback restored it
        assert scope.current() == {scope.GROUP_IDS: "", scope.ALL_GROUPS: "", scope.READER: ""}
        assert group_ids_in("households_household") == set()


def test_staff_of_a_region_count_only_the_rows_of_its_groups(both_groups):
    w = both_groups
    region_groups = list(w.region_a.groups.values_list("pk", flat=True))
    with transaction.atomic(), scope.staff_aggregates(region_groups):
        assert group_ids_in("visits_visit") == {w.group_a.pk}
        assert group_ids_in("households_household") == {w.group_a.pk, w.group_a2.pk}


@pytest.mark.django_db(transaction=True)
def test_the_group_setting_ends_with_the_request_transaction(world):
    """A pooled connection never carries a group into the next request: set_config(…, true)."""
    seen = in_group_request(world.volunteer_a, "brugge", scope.current)
    assert seen[scope.GROUP_IDS] == str(world.group_a.pk)
    assert seen[scope.READER] == "group request"
    after = scope.current()
    assert after[scope.GROUP_IDS] == ""
    assert after[scope.READER] == ""


def test_a_group_view_cannot_stream(world):
    from django.test import RequestFactory

    @group_view()
    def streams(request):
        return StreamingHttpResponse(iter(["rows read after the transaction"]))

    request = RequestFactory().get("/g/brugge/")
    request.user = world.volunteer_a
    with pytest.raises(ImproperlyConfigured):
        streams(request, slug="brugge")


def test_every_model_with_a_group_foreign_key_has_forced_row_level_security_and_the_policy(db):
    """A new group-owned table without `rls.operations.enable_for` in its migration fails here."""
    owned: dict[type[models.Model], list[str]] = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is Group:
                owned.setdefault(model, []).append(field.column)
    assert Household in owned and len(owned) >= len(RAW_TABLES) + len(EXEMPT)
    assert set(EXEMPT) <= set(owned), "an exemption for a model that has no group key any more"
    with connection.cursor() as cursor:
        # The condition as PostgreSQL stores it, from a scratch table given the policy of today.
        cursor.execute("CREATE TEMPORARY TABLE rls_scratch (group_id bigint)")
        cursor.execute(enable_sql("rls_scratch"))
        cursor.execute("SELECT qual FROM pg_policies WHERE tablename = 'rls_scratch'")
        (current,) = cursor.fetchone()
        assert "welzijn.group_ids" in current and "welzijn.all_groups" in current
        for model, columns in owned.items():
            table = model._meta.db_table
            cursor.execute(
                "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = %s::regclass", [table]
            )
            enabled, forced = cursor.fetchone()
            cursor.execute(
                "SELECT cmd, qual, with_check FROM pg_policies WHERE tablename = %s AND policyname = %s",
                [table, POLICY],
            )
            policy = cursor.fetchone()
            if model in EXEMPT:
                assert not enabled and policy is None, f"{table} is exempt ({EXEMPT[model]}) but has RLS"
                continue
            assert enabled and forced, f"{table} has a group key but no forced row-level security"
            assert policy is not None, f"{table} has no {POLICY} policy: add rls.operations.enable_for"
            cmd, qual, with_check = policy
            assert cmd == "ALL"
            assert columns == ["group_id"], f"{table}: the scratch table above has the policy on group_id"
            assert qual == with_check == current, f"{table}'s policy is not rls.operations.policy_condition()"
    assert sorted(model._meta.db_table for model in owned if model not in EXEMPT) == sorted(RAW_TABLES)


def test_enable_for_refuses_a_name_that_is_not_a_plain_identifier():
    assert "FORCE ROW LEVEL SECURITY" in enable_for("activities_activity")[0].sql
    with pytest.raises(ValueError, match="identifier"):
        enable_for("x; DROP TABLE households_household")


@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        ("TRUNCATE households_accesslogentry", "permission denied"),
        ("DELETE FROM households_accesslogentry", "permission denied"),
        ("UPDATE households_accesslogentry SET action = 'view'", "permission denied"),
        (
            "ALTER TABLE households_accesslogentry DISABLE TRIGGER households_accesslog_append_only",
            "must be owner",
        ),
        ("DROP TRIGGER households_accesslog_append_only ON households_accesslogentry", "must be owner"),
        ("ALTER TABLE households_household NO FORCE ROW LEVEL SECURITY", "must be owner"),
        ("ALTER TABLE visits_visit DISABLE ROW LEVEL SECURITY", "must be owner"),
        (f"DROP POLICY {POLICY} ON visits_visit", "must be owner"),
        ("ALTER TABLE households_household ADD COLUMN x int", "must be owner"),
        ("DROP TABLE households_person", "must be owner"),
        ("CREATE TABLE households_copy (id int)", "permission denied"),
        ("INSERT INTO django_migrations (app, name, applied) VALUES ('x', 'y', now())", "permission denied"),
    ],
)
def test_the_app_role_cannot_change_the_schema_or_empty_the_access_log(world, statement, refusal):
    with pytest.raises(DatabaseError, match=refusal), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)


def test_the_app_role_owns_nothing_and_bypasses_nothing(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles "
            "WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (False, False, False, False)
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND pg_has_role(current_user, c.relowner, 'USAGE')"
        )
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db(transaction=True)
def test_a_table_a_later_migration_creates_is_usable_by_the_app_role_at_once():
    """Default privileges: what the migration role creates later, the app may use (not own)."""
    from rls.roles import migration_role

    with migration_role(), connection.cursor() as cursor:
        cursor.execute("CREATE TABLE rls_later_table (id bigint GENERATED BY DEFAULT AS IDENTITY, note text)")
    try:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO rls_later_table (note) VALUES ('ok') RETURNING id")
            assert cursor.fetchone()[0] == 1
            cursor.execute("UPDATE rls_later_table SET note = 'changed'")
            cursor.execute("SELECT note FROM rls_later_table")
            assert cursor.fetchone() == ("changed",)
            with pytest.raises(DatabaseError, match="must be owner"):
                cursor.execute("ALTER TABLE rls_later_table ADD COLUMN x int")
    finally:
        with migration_role(), connection.cursor() as cursor:
            cursor.execute("DROP TABLE rls_later_table")
