"""Profile of the report and activity pages in one process, as in production (`DEBUG=0`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/welzijn_scale .venv/bin/python bench/profile_pages.py
    .venv/bin/python bench/profile_pages.py --profile dashboard     # and the cProfile of one page
    .venv/bin/python bench/profile_pages.py --sql dashboard         # and each of its statements
    .venv/bin/python bench/profile_pages.py --explain report        # and the plan of each SELECT

For each page (the coordinator's dashboard, the yearly report and its XLSX export, my
follow-ups, the activity list, an activity, its attendance sheet, the staff national view and a
region's view), prints the median and best time in ms of `--runs` requests after one warm-up, the
best CPU time of this process (steadier than the wall clock on a shared machine), the number of
queries and the milliseconds spent in the database (measured around each statement with
`connection.execute_wrapper`). With `--sql PAGE`, each statement of that page with its time;
with `--explain PAGE`, EXPLAIN (ANALYZE, BUFFERS) of its SELECTs in the scope the request
ran in; with `--profile PAGE`, cProfile's 30 most expensive functions (cumulative time; set
SORT=tottime and TOP=50 in the environment for another order or length).

The test client skips the server and the network but runs every middleware, so these are the
costs a gunicorn worker pays for the page itself. Numbers, not assertions: compare them between
changes on the same machine (bench/load.py measures throughput under load).
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welzijn.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/welzijn_scale")
os.environ.setdefault("SECRET_KEY", "bench-profile-pages")
os.environ["DEBUG"] = "0"
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from common import SqlTimer
from django.db import connection
from django.test import Client

from accounts.models import User
from accounts.services import has_mfa, requires_mfa
from groups.models import Group, Membership
from rls import scope


def login(user) -> Client:
    if requires_mfa(user) and not has_mfa(user):
        from allauth.mfa.totp.internal.auth import TOTP

        TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client = Client()
    client.force_login(user)
    return client


def pages() -> list[tuple[str, Client, str]]:
    with scope.command("bench/profile_pages.py"):
        group = Group.objects.filter(slug__startswith="scale-").order_by("slug").first()
        if group is None:
            raise SystemExit("No scale data: run `manage.py seed_scale` first (see bench/load.py).")
        coordinator = (
            Membership.objects.filter(group=group, role="coordinator").select_related("user").first().user
        )
        staff, _ = User.objects.get_or_create(email="bench-staff@example.org", defaults={"is_staff": True})
        activity = group.activities.filter(attendances__isnull=False).order_by("-starts_at").first()
        region = group.region
        coordinator_client, staff_client = login(coordinator), login(staff)
    base = f"/g/{group.slug}/"
    return [
        ("dashboard", coordinator_client, base),
        ("report", coordinator_client, f"{base}report/"),
        ("report_xlsx", coordinator_client, f"{base}report/export.xlsx"),
        ("follow_up_mine", coordinator_client, f"{base}follow-ups/mine/"),
        ("activity_list", coordinator_client, f"{base}activities/"),
        ("activity_past", coordinator_client, f"{base}activities/?when=past"),
        ("activity", coordinator_client, f"{base}activities/{activity.pk}/"),
        ("attendance", coordinator_client, f"{base}activities/{activity.pk}/attendance/"),
        ("staff_national", staff_client, "/staff/"),
        ("staff_region", staff_client, f"/staff/regions/{region.slug}/"),
    ]


def measure(client: Client, url: str, runs: int) -> tuple[list[float], list[float], SqlTimer]:
    """Wall-clock and CPU ms (this process: `time.process_time`) of each of `runs` GETs after one
    warm-up, and the statements of the last."""
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    samples, cpu, timer = [], [], SqlTimer()
    for _ in range(runs):
        timer = SqlTimer()
        with connection.execute_wrapper(timer):
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
    return samples, cpu, timer


def explain(client: Client, url: str) -> None:
    """Each SELECT of one GET of `url`, run again under EXPLAIN with the scope it ran in (the
    `set_config` statement the request sent first), so row-level security applies as it did."""
    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    captured = [q["sql"] for q in queries.captured_queries]
    scope_sql = next((sql for sql in captured if sql.startswith("SELECT set_config")), None)
    with transaction.atomic(), connection.cursor() as cursor:
        if scope_sql:
            cursor.execute(scope_sql)
        for sql in captured:
            if not sql.startswith("SELECT") or sql.startswith("SELECT set_config"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)
            lines = [line for (line,) in cursor.fetchall()]
            print(f"\n{sql[:200]}")
            for line in lines:
                print(f"    {line}")
        transaction.set_rollback(True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--only", nargs="*", help="page names to measure (default: all)")
    parser.add_argument("--sql", help="print each statement of this page with its time")
    parser.add_argument("--profile", help="print the cProfile of this page")
    parser.add_argument(
        "--explain", help="print EXPLAIN (ANALYZE, BUFFERS) of this page's SELECTs, run in its group's scope"
    )
    args = parser.parse_args()
    print(f"Database {connection.settings_dict['NAME']}, DEBUG=0, {args.runs} runs a page")
    print(f"\n{'page':<16} {'median ms':>10} {'best ms':>8} {'best CPU':>8} {'queries':>8} {'SQL ms':>8}")
    for name, client, url in pages():
        if args.only and name not in args.only:
            continue
        samples, cpu, timer = measure(client, url, args.runs)
        print(
            f"{name:<16} {statistics.median(samples):10.1f} {min(samples):8.1f} {min(cpu):8.1f} "
            f"{len(timer.statements):8d} {timer.total:8.1f}"
        )
        if name == args.sql:
            for ms, sql in timer.statements:
                print(f"    {ms:7.2f}  {sql[:300]}")
        if name == args.explain:
            explain(client, url)
        if name == args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(5):
                client.get(url)
            profiler.disable()
            pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(
                int(os.environ.get("TOP", "30"))
            )


if __name__ == "__main__":
    main()
