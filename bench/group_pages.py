"""Benchmark: the pages of one group at national scale, and the plans of the row-level security policies.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/welzijn_scale DEBUG=1 ALLOWED_HOSTS=testserver \\
        .venv/bin/python manage.py seed_scale        # once: 200 groups, 30,000 households, 1,000,000 visits
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/welzijn_scale DEBUG=1 ALLOWED_HOSTS=testserver \\
        .venv/bin/python bench/group_pages.py

Prints the median and worst time and the number of queries of the household list, a household
page, the visit form, the dashboard and the yearly report of the busiest group, as its
coordinator; then, inside that group's transaction, the EXPLAIN of queries on group-owned tables,
filtered as the pages filter them (the policy must leave the planner free to use the indexes of
those filters) and without any filter (the policy alone keeps them to the group).
Then the cost of the policies alone, which the page timings (Python, templates, a busy
machine) drown: each page's SQL, as captured, run again and again in the database, once as the
app role inside the group's scope (policies applied) and once as the migration login (a
superuser on a development machine, to whom the policies do not apply); the best of 15 rounds.

Numbers, not assertions: compare them between changes on the same machine.
"""

from contextlib import nullcontext

from common import setup_django, timed

setup_django("welzijn_scale")

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client

from groups.models import Group, Membership

try:  # the benchmark also runs on the code from before row-level security, for the comparison
    from rls import scope
except ImportError:  # pragma: no cover
    scope = None

# {group}: the group's id. The first three filter as the pages do: the policy must not keep
# the planner from the (group, date) index. The last two name no group: the policy alone keeps
# them to the group (a slow plan there is fine: no page leaves out its group).
EXPLAINED = [
    "SELECT id, date FROM visits_visit WHERE group_id = {group} ORDER BY date DESC, id DESC LIMIT 25",
    "SELECT count(*) FROM visits_visit WHERE group_id = {group} AND date >= now()::date - 365",
    "SELECT count(*) FROM visits_followup WHERE group_id = {group} AND done_at IS NULL",
    "SELECT count(*) FROM households_household",
    "SELECT count(*) FROM visits_visit",
]


def main() -> None:
    from households.models import Household

    with scope.all_groups("benchmark setup") if scope else nullcontext():
        group = (
            Group.objects.filter(slug__startswith="scale-")
            .annotate(n=Count("households"))
            .order_by("-n", "slug")
            .first()
        )
        if group is None:
            raise SystemExit("No scale data: run `manage.py seed_scale` first (see the docstring).")
        household = (
            Household.objects.filter(group=group).annotate(n=Count("visits")).order_by("-n", "pk").first()
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            role = cursor.fetchone()[0]
        print(
            f"Database {settings.DATABASES['default']['NAME']} as {role}: group {group.slug} has"
            f" {group.n} households; household {household.pk} has {household.n} visits."
        )
    coordinator = (
        Membership.objects.filter(group=group, role="coordinator").select_related("user").first().user
    )
    client = Client()
    client.force_login(coordinator)
    base = f"/g/{group.slug}/"
    pages = [
        ("household list", f"{base}households/", None),
        ("household list, search", f"{base}households/", {"q": "peeters"}),
        ("household page", f"{base}households/{household.pk}/", None),
        ("visit form", f"{base}households/{household.pk}/visits/new/", None),
        ("dashboard (coordinator)", base, None),
        ("yearly report, this year", f"{base}report/", None),
        ("visit list", f"{base}visits/", None),
        ("follow-ups of the group", f"{base}follow-ups/", None),
    ]
    print(f"\n{'page':<28} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for label, url, params in pages:
        median, worst, queries = timed(client, url, params, runs=9)
        print(f"{label:<28} {median:10.1f} {worst:8.1f} {queries:8d}")

    if scope is None:
        return
    from accounts.models import User

    staff, _ = User.objects.get_or_create(email="bench-staff@example.org", defaults={"is_staff": True})
    staff_client = Client()
    staff_client.force_login(staff)
    group_scope = f"SELECT set_config('welzijn.group_ids', '{group.pk}', true)"
    all_groups = "SELECT set_config('welzijn.all_groups', 'on', true)"
    policy_cost(
        [(label, client, url, params, group_scope) for label, url, params in pages]
        + [
            ("national view (staff)", staff_client, "/staff/", None, all_groups),
        ]
    )
    print(f"\nEXPLAIN ANALYZE inside group {group.slug}'s scope:")
    with transaction.atomic(), scope.groups([group.pk], "benchmark"), connection.cursor() as cursor:
        for sql in (query.format(group=group.pk) for query in EXPLAINED):
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql)
            print(f"\n{sql}")
            for (line,) in cursor.fetchall():
                print(f"  {line}")


SKIPPED = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SELECT set_config", "CLOSE")


def page_sql(client, url: str, params) -> list[str]:
    """The reads one GET of `url` sends, as executed (parameters inlined). Writes (the access
    log, a cache entry) are left out: run again they would collide with the rows the GET wrote."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url, params)
    statements = []
    for query in queries.captured_queries:
        sql = query["sql"]
        if sql.startswith("DECLARE"):  # a server-side cursor of .iterator(): time its SELECT
            sql = sql[sql.index(" FOR ") + len(" FOR ") :]
        if sql.startswith(("SELECT", "WITH")) and not sql.startswith(SKIPPED):
            statements.append(sql)
    return statements


def _connect(config: dict, options: str = ""):
    import psycopg

    return psycopg.connect(
        dbname=config["NAME"],
        user=config["USER"],
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        options=options or None,
    )


def policy_cost(pages, rounds: int = 15) -> None:
    import time

    app = _connect(settings.DATABASES["default"], settings.DATABASES["default"]["OPTIONS"].get("options", ""))
    unrestricted = _connect(settings.MIGRATION_DATABASE)
    bypasses = unrestricted.execute(
        "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user"
    ).fetchone()[0]
    if not bypasses:
        print("\n(The migration login is held to the policies: no comparison without them.)")
        return
    print(f"\nDatabase time of each page's SQL, best of {rounds} rounds (ms): with the policies, and without")
    print(f"{'page':<28} {'statements':>10} {'with RLS':>9} {'without':>9} {'cost':>7}")

    def run(conn, statements, scope_sql: str | None) -> float:
        with conn.transaction(force_rollback=True):
            if scope_sql:
                conn.execute(scope_sql)
            start = time.perf_counter()
            for sql in statements:
                cursor = conn.execute(sql)
                if cursor.description:
                    cursor.fetchall()
            return (time.perf_counter() - start) * 1000

    for label, client, url, params, scope_sql in pages:
        statements = page_sql(client, url, params)
        with_rls = without = float("inf")
        for _ in range(rounds):
            with_rls = min(with_rls, run(app, statements, scope_sql))
            without = min(without, run(unrestricted, statements, None))
        print(f"{label:<28} {len(statements):10d} {with_rls:9.2f} {without:9.2f} {with_rls - without:+7.2f}")


if __name__ == "__main__":
    main()
