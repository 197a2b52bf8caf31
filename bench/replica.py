"""Benchmark: what reading the reports from a read replica costs the page (rls/replica.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/welzijn_scale DEBUG=1 ALLOWED_HOSTS=testserver \\
        .venv/bin/python manage.py seed_scale        # once (bench/reports.py says more)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/welzijn_scale DEBUG=1 ALLOWED_HOSTS=testserver \\
        .venv/bin/python bench/replica.py

`DATABASE_REPLICA_URL` defaults to `DATABASE_URL`: the "replica" is the same server, so the
difference is only what the routing adds (a second connection from its pool, its transaction
and the group setting on it), not a second machine's capacity. Each page is loaded in turns
from the primary (the cookie of a user who just changed something) and from the replica, in
one process. Prints the median time of each and the queries on each connection, then the cost
of the replica's scope alone (500 in a loop, median of 5 runs). Numbers, not assertions.
"""

import os
import statistics
import time

from common import setup_django

os.environ.setdefault("DATABASE_REPLICA_URL", os.environ.get("DATABASE_URL", ""))
setup_django("welzijn_scale")

from allauth.mfa.totp.internal.auth import TOTP
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.services import has_mfa, requires_mfa
from groups.models import Group, Membership
from rls import replica, scope

RUNS = 15


def load(client: Client, url: str, primary: bool) -> tuple[float, int, int]:
    """One GET: ms, queries on the primary, queries on the replica."""
    if primary:
        client.cookies[replica.STICKY_COOKIE] = str(time.time())
    else:
        client.cookies.pop(replica.STICKY_COOKIE, None)
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
        CaptureQueriesContext(connections[replica.REPLICA]) as on_replica,
    ):
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed, len(on_primary.captured_queries), len(on_replica.captured_queries)


def logged_in(user: User) -> Client:
    # Who must have MFA gets an authenticator first, as after a real login with a second factor.
    if requires_mfa(user) and not has_mfa(user):
        TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client = Client()
    client.force_login(user)
    return client


def main() -> None:
    if not replica.configured():
        raise SystemExit("Set DATABASE_REPLICA_URL (or DATABASE_URL) first.")
    group = Group.objects.filter(slug__startswith="scale-").order_by("slug").first()
    if group is None:
        raise SystemExit("No scale data: run `manage.py seed_scale` first (see the docstring).")
    coordinator = (
        Membership.objects.filter(group=group, role="coordinator").select_related("user").first().user
    )
    staff, _ = User.objects.get_or_create(email="bench-staff@example.org", defaults={"is_staff": True})
    coordinator_client, staff_client = logged_in(coordinator), logged_in(staff)
    pages = [
        ("yearly report", coordinator_client, f"/g/{group.slug}/report/"),
        ("yearly report as CSV", coordinator_client, f"/g/{group.slug}/report/export.csv"),
        ("signals report", coordinator_client, f"/g/{group.slug}/signals/report/"),
        ("national view", staff_client, "/staff/"),
        ("national signals report", staff_client, "/staff/signals/"),
    ]
    print(f"{RUNS} loads of each page from each side, in turns, after one warm-up of each.")
    print(f"\n{'page':<26} {'primary ms':>10} {'replica ms':>10} {'diff ms':>8} {'queries p / p+r':>16}")
    for label, client, url in pages:
        samples: dict[bool, list[float]] = {True: [], False: []}
        counts: dict[bool, tuple[int, int]] = {}
        load(client, url, primary=True)
        load(client, url, primary=False)
        for _ in range(RUNS):
            for primary in (True, False):
                elapsed, on_primary, on_replica = load(client, url, primary)
                samples[primary].append(elapsed)
                counts[primary] = (on_primary, on_replica)
        p, r = statistics.median(samples[True]), statistics.median(samples[False])
        queries = f"{counts[True][0]} / {counts[False][0]}+{counts[False][1]}"
        print(f"{label:<26} {p:10.1f} {r:10.1f} {r - p:8.1f} {queries:>16}")
    # What the replica adds to every page, alone: its transaction and the group setting on it.
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(500):
            with scope.staff_aggregates(None, using=replica.REPLICA):
                pass
        runs.append((time.perf_counter() - start) / 500 * 1000)
    print(f"\nThe replica's scope alone (BEGIN, set_config, COMMIT): {statistics.median(runs):.2f} ms a page")


if __name__ == "__main__":
    main()
