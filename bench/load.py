"""Throughput of Welzijn's key pages at national scale, as in production, in one run.

    make bench                      # or: .venv/bin/python bench/load.py [--duration 10] ...

What it does, every time:
1. Builds the national-scale database once (`seed_scale`: 200 groups, 30,000 households,
   1,000,000 visits) in `welzijn_scale` (or `--database`); a second run reuses it.
2. Serves Welzijn under gunicorn as in production (`DEBUG=0`, sync workers, collected static
   files) and, beside it, the bare Django page of `bench/bare_site.py` (session and user from
   the same database, a small template).
3. Loads each page with wrk (Debian's `wrk`, installed by `make bench`) over keep-alive
   connections, after a short warm-up, and prints requests per second and the 50th, 90th and
   99th percentile latency in ms, with the ratios the performance goals are stated in:
   the lightest logged-in page against the bare page, every key page against the lightest
   page and against the Django admin's list of the same group's households.
4. Times the staff national view alone (one connection), as its goal is a latency.

Numbers, not assertions: the machine's load changes them. Every page must answer 200; a page
that answers anything else stops the run.
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass
class Result:
    label: str
    rps: float
    p50: float
    p90: float
    p99: float


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_database(env: dict) -> None:
    """The scale database: created, migrated and filled once (seed_scale skips a filled one)."""
    dev = {**env, "DEBUG": "1"}
    subprocess.run([PYTHON, "-m", "welzijn.dbcheck", "--create"], cwd=ROOT, env=dev, check=True)
    subprocess.run([PYTHON, "-m", "rls.roles"], cwd=ROOT, env=dev, check=True)  # the app's role
    manage(dev, "migrate", "--noinput", "-v", "0")
    manage(dev, "createcachetable")
    manage(dev, "seed_scale")
    manage(dev, "collectstatic", "--noinput", "-v", "0")


SESSIONS_SCRIPT = r"""
import json
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from groups.models import Group, Membership
from households.models import Household

from accounts.services import has_mfa, requires_mfa
from allauth.mfa.totp.internal.auth import TOTP
from rls import scope

User = get_user_model()
_bench_scope = scope.command("bench/load.py")
_bench_scope.__enter__()
group = Group.objects.filter(slug__startswith="scale-").order_by("slug").first()
coordinator = Membership.objects.filter(group=group, role="coordinator").select_related("user").first().user
# A household whose timeline is as long as a well-visited family's (about 34 visits).
household = (
    Household.objects.filter(group=group).annotate(n=Count("visits")).filter(n__gte=30).order_by("n").first()
    or Household.objects.filter(group=group).annotate(n=Count("visits")).order_by("-n").first()
)
# An activity with attendance ticked (the weekly evening of the seed), for its page and its sheet.
activity = group.activities.filter(attendances__isnull=False).order_by("-starts_at").first()
staff, _ = User.objects.get_or_create(email="bench-staff@example.org", defaults={"is_staff": True})
admin, _ = User.objects.get_or_create(
    email="bench-admin@example.org", defaults={"is_staff": True, "is_superuser": True}
)
def cookie(user):
    # Who must have MFA gets an authenticator first, as after a real login with a second factor.
    if requires_mfa(user) and not has_mfa(user):
        TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value
slug = group.slug
result = {
    "coordinator": cookie(coordinator),
    "staff": cookie(staff),
    "admin": cookie(admin),
    "group_id": group.pk,
    "visits_of_household": household.n,
    "urls": {
        "home": reverse("reports:home", kwargs={"slug": slug}),
        "household_list": reverse("households:list", kwargs={"slug": slug}),
        "household": reverse("households:detail", kwargs={"slug": slug, "pk": household.pk}),
        "visit_form": reverse("visits:create", kwargs={"slug": slug, "pk": household.pk}),
        "visit_list": reverse("visits:list", kwargs={"slug": slug}),
        "follow_up_mine": reverse("visits:follow_up_mine", kwargs={"slug": slug}),
        "report": reverse("reports:report", kwargs={"slug": slug}),
        "activity_list": reverse("activities:list", kwargs={"slug": slug}),
        "activity": reverse("activities:detail", kwargs={"slug": slug, "pk": activity.pk}),
        "attendance": reverse("activities:attendance", kwargs={"slug": slug, "pk": activity.pk}),
        "password_change": reverse("account_change_password"),
        "staff": reverse("staff:national"),
        "admin_households": reverse("admin:households_household_changelist"),
    },
}
_bench_scope.__exit__(None, None, None)  # commits the sessions and authenticators made above
print(json.dumps(result))
"""


def sessions(env: dict) -> dict:
    import json

    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", SESSIONS_SCRIPT],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def serve(argv: list[str], env: dict, port: int, cwd: Path = ROOT) -> subprocess.Popen:
    process = subprocess.Popen(argv, cwd=cwd, env=env, start_new_session=True)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except urllib.error.HTTPError:
            return process  # it answers (a 404 or 403 is an answer)
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{' '.join(argv)} did not start on port {port}")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)


def check_ok(url: str, cookie: str) -> None:
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})  # noqa: S310
    try:
        status = urllib.request.urlopen(request, timeout=30).status  # noqa: S310
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise SystemExit(f"{url} answered {status}, not 200: the benchmark would measure an error page.")


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(label: str, url: str, cookie: str, *, duration: int, connections: int, threads: int = 2) -> Result:
    check_ok(url, cookie)
    # A long timeout: a slow page is measured as slow, not left out as a socket timeout (wrk's
    # default of 2 s drops those requests from the percentiles, and a page where every request
    # timed out would show 0 ms).
    base = ["wrk", f"-t{min(threads, connections)}", f"-c{connections}", "--latency", "--timeout", "60s"]
    header = ["-H", f"Cookie: sessionid={cookie}"]
    subprocess.run([*base, "-d1s", *header, url], check=True, capture_output=True)  # warm-up
    out = subprocess.run([*base, f"-d{duration}s", *header, url], check=True, capture_output=True, text=True)
    text = out.stdout
    if "Non-2xx or 3xx responses" in text:
        raise SystemExit(f"{label}: some answers were errors under load:\n{text}")
    if re.search(r"Socket errors:.*timeout [1-9]", text):
        raise SystemExit(f"{label}: requests timed out after 60 s:\n{text}")
    if re.search(r"^\s+0 requests in", text, re.MULTILINE):
        # Slower than the whole run: no percentile to give; shown as "> duration".
        slow = float("inf")
        return Result(label, 0.0, slow, slow, slow)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    pct = {
        p: _ms(v, u) for p, v, u in re.findall(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", text, re.MULTILINE)
    }
    return Result(label, rps, pct["50"], pct["90"], pct["99"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="welzijn_scale")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections (default 8)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (default 4)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: run `make bench`, which installs Debian's wrk.")

    # The server of DATABASE_URL (the one `make` chose), but always the benchmark's own database.
    base = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/welzijn"
    database_url = base.rsplit("/", 1)[0] + "/" + args.database
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        # Collected files of its own: a developer's staticfiles/ would shadow static/ in tests.
        "STATIC_ROOT": str(ROOT / ".bench" / "static"),
    }
    prepare_database(env)
    info = sessions(env)
    name, visits = database_url.rsplit("/", 1)[-1], info["visits_of_household"]
    print(f"Database {name}; the household page shows a family with {visits} visits.")

    app_port, bare_port = free_port(), free_port()
    gunicorn = str(Path(PYTHON).with_name("gunicorn"))
    app = serve(
        [
            gunicorn,
            "welzijn.wsgi",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{app_port}",
            "--log-level",
            "warning",
        ],
        env,
        app_port,
    )
    bare = serve(
        [
            gunicorn,
            "bare_site:application",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{bare_port}",
            "--log-level",
            "warning",
        ],
        env,
        bare_port,
        cwd=ROOT / "bench",
    )
    try:
        urls, base = info["urls"], f"http://127.0.0.1:{app_port}"
        load = {"duration": args.duration, "connections": args.connections}
        coordinator, admin = info["coordinator"], info["admin"]
        pages = [
            ("bare Django page", f"http://127.0.0.1:{bare_port}/", coordinator),
            ("lightest page (password change)", base + urls["password_change"], coordinator),
            ("household list", base + urls["household_list"], coordinator),
            ("household search", base + urls["household_list"] + "?q=peeters", coordinator),
            ("household page + timeline", base + urls["household"], coordinator),
            ("visit form", base + urls["visit_form"], coordinator),
            ("coordinator dashboard", base + urls["home"], coordinator),
            ("group's visit list", base + urls["visit_list"], coordinator),
            ("my follow-ups", base + urls["follow_up_mine"], coordinator),
            ("yearly report", base + urls["report"], coordinator),
            ("activity list", base + urls["activity_list"], coordinator),
            ("past activities", base + urls["activity_list"] + "?when=past", coordinator),
            ("activity page", base + urls["activity"], coordinator),
            ("attendance sheet", base + urls["attendance"], coordinator),
            (
                "admin list of the group's households",
                base + urls["admin_households"] + f"?group__id__exact={info['group_id']}",
                admin,
            ),
        ]
        results = [wrk(label, url, cookie, **load) for label, url, cookie in pages]
        national = wrk(
            "staff national view (1 connection)",
            base + urls["staff"],
            info["staff"],
            duration=args.duration,
            connections=1,
            threads=1,
        )
    finally:
        stop(app)
        stop(bare)
    report(results, national, args)


def report(results: list[Result], national: Result, args: argparse.Namespace) -> None:
    by = {r.label: r for r in results}
    bare, light = by["bare Django page"], by["lightest page (password change)"]
    admin = by["admin list of the group's households"]
    print(
        f"\ngunicorn {args.workers} sync workers, wrk {args.connections} connections, "
        f"{args.duration} s a page, {os.cpu_count()} cores\n"
    )
    print("| page | req/s | p50 ms | p90 ms | p99 ms | vs lightest | vs admin list | goal |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    failures = 0
    for r in results:
        vs_light = r.rps / light.rps if light.rps else float("inf")
        vs_admin = r.rps / admin.rps if admin.rps else float("inf")
        if r is bare:
            goal = "yardstick"
        elif r is light:
            ok = r.rps >= 0.7 * bare.rps
            goal = f"{'met' if ok else 'MISSED'}: {r.rps / (bare.rps or 1):.0%} of bare (≥ 70 %)"
            failures += not ok
        elif r is admin:
            goal = "yardstick"
        else:
            ok = vs_light >= 0.5 and vs_admin >= 5
            goal = "met" if ok else "MISSED (≥ 50 % of lightest and ≥ 5× admin)"
            failures += not ok
        print(
            f"| {r.label} | {r.rps:.0f} | {r.p50:.0f} | {r.p90:.0f} | {r.p99:.0f} | "
            f"{vs_light:.0%} | {vs_admin:.1f}× | {goal} |"
        )
    ok = national.p50 <= 100
    failures += not ok
    print(
        f"\nstaff national view, one connection: p50 {national.p50:.0f} ms, p90 {national.p90:.0f} ms "
        f"({'met' if ok else 'MISSED'}: ≤ 100 ms)"
    )
    print(f"\n{failures} goal(s) missed.")


if __name__ == "__main__":
    main()
