"""Profile: where one request of a key page spends its time, in one process, as in production.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/welzijn_scale \\
        .venv/bin/python bench/page_profile.py [--pages household,visit_list] [--runs 30] [--profile 25]

Runs Django with `DEBUG=0` (as under gunicorn) in this one process, logs in as the coordinator
of the first scale group (the same group and household as `bench/load.py`) and, for each page,
after two warm-up requests, prints:

- the median and best wall-clock time of `--runs` requests in ms;
- the time spent waiting for SQL (median, from a `connection.execute_wrapper`);
- the CPU time of this process (median and best; `time.process_time`): middleware, the view,
  the templates, the database driver. On a shared machine it is far steadier than the wall
  clock, which the other processes' load inflates;
- the number of queries, and the number of Python function calls of one request (cProfile):
  a count, so it does not depend on the machine's load, and follows the Python work closely;
- with `--profile N`, the N functions with the most cumulative time (cProfile over the runs),
  and the slowest statements of one request.

The lightest logged-in page (password change) and the Django admin's list of the group's
households run alongside, so the ratios of the performance goals can be read in one process.
Numbers, not assertions: compare them between changes on the same machine.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import time

os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-page-profile")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Collected, hashed static files as in production (the same place as bench/load.py's).
BENCH = os.path.dirname(os.path.abspath(__file__))
os.environ.setdefault("STATIC_ROOT", os.path.join(BENCH, "..", ".bench", "static"))

from common import SqlTimer, setup_django

setup_django("welzijn_scale")

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.urls import reverse


def setup() -> tuple[dict[str, tuple[Client, str]], str]:
    from allauth.mfa.totp.internal.auth import TOTP

    from accounts.models import User
    from accounts.services import has_mfa
    from groups.models import Group, Membership
    from households.models import Household
    from rls import scope

    with scope.command("bench/page_profile.py"):
        group = Group.objects.filter(slug__startswith="scale-").order_by("slug").first()
        if group is None:  # the demo data: the first group
            group = Group.objects.order_by("slug").first()
        coordinator = (
            Membership.objects.filter(group=group, role="coordinator").select_related("user").first().user
        )
        households = Household.objects.filter(group=group).annotate(n=Count("visits"))
        household = households.filter(n__gte=30).order_by("n").first() or households.order_by("-n").first()
        admin, _ = User.objects.get_or_create(
            email="bench-admin@example.org", defaults={"is_staff": True, "is_superuser": True}
        )
        for user in (coordinator, admin):
            if not has_mfa(user):
                TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
        described = f"group {group.slug}, household {household.pk} with {household.n} visits"
    member, superuser = Client(), Client()
    member.force_login(coordinator)
    superuser.force_login(admin)
    slug = group.slug
    # allauth sends a user without a usable password (seed_scale's members) from the password
    # change to the password set page: time the page itself, not a redirect.
    lightest = "account_change_password" if coordinator.has_usable_password() else "account_set_password"
    pages = {
        "lightest": (member, reverse(lightest)),
        "household_list": (member, reverse("households:list", kwargs={"slug": slug})),
        "household_search": (member, reverse("households:list", kwargs={"slug": slug}) + "?q=peeters"),
        "household": (member, reverse("households:detail", kwargs={"slug": slug, "pk": household.pk})),
        "visit_form": (member, reverse("visits:create", kwargs={"slug": slug, "pk": household.pk})),
        "visit_list": (member, reverse("visits:list", kwargs={"slug": slug})),
        "admin_list": (
            superuser,
            reverse("admin:households_household_changelist") + f"?group__id__exact={group.pk}",
        ),
    }
    return pages, described


def measure(client: Client, url: str, runs: int, profile: int) -> None:
    for _ in range(2):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    times, cpu_times, sql_times, queries = [], [], [], 0
    profiler = cProfile.Profile() if profile else None
    slowest: list[tuple[float, str]] = []
    for _ in range(runs):
        clock = SqlTimer()
        with connection.execute_wrapper(clock):
            if profiler:
                profiler.enable()
            start, cpu = time.perf_counter(), time.process_time()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            cpu_times.append((time.process_time() - cpu) * 1000)
            if profiler:
                profiler.disable()
        sql_times.append(clock.total)
        queries = len(clock.statements)
        slowest = sorted(clock.statements, reverse=True)[:5]
    counter = cProfile.Profile()
    counter.runcall(client.get, url)
    calls = pstats.Stats(counter).total_calls  # type: ignore[attr-defined]
    median = statistics.median(times)
    print(
        f"{median:8.1f} {min(times):8.1f} {statistics.median(sql_times):8.1f} "
        f"{statistics.median(cpu_times):8.1f} {min(cpu_times):8.1f} {queries:8d} {calls:8d}"
    )
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(profile)
        print("\n".join("    " + line for line in out.getvalue().splitlines()[6:] if line.strip()))
        print("    slowest statements of the last request (ms):")
        for elapsed, sql in slowest:
            print(f"    {elapsed:7.2f}  {sql[:160]}")
        print()


def collect_static() -> None:
    from django.conf import settings
    from django.core.management import call_command

    if not (settings.STATIC_ROOT / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", default="", help="comma-separated page names (default: all)")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--profile", type=int, default=0, help="print the N most expensive functions")
    args = parser.parse_args()
    collect_static()
    pages, described = setup()
    chosen = [p for p in args.pages.split(",") if p] or list(pages)
    print(f"DEBUG=0, one process, {described}; {args.runs} requests a page")
    columns = ("median", "best", "sql", "cpu", "best cpu", "queries", "calls")
    print(f"{'page':<18} " + " ".join(f"{c:>8}" for c in columns) + "  (ms; calls: a count)")
    for name in chosen:
        client, url = pages[name]
        print(f"{name:<18}", end=" ", flush=True)
        measure(client, url, args.runs, args.profile)


if __name__ == "__main__":
    main()
