"""Outage benchmark: gunicorn under steady requests while the database disappears for 10 seconds.

gunicorn (2 sync workers, the settings' pool) reaches PostgreSQL through a TCP proxy that this
script cuts: forwarded connections are closed and new ones refused, as when PostgreSQL stops.
The database server itself is not touched. Four client threads request a household page, the
household list and /healthz as a logged-in volunteer, without pause. The script prints, per
phase (before, outage, after), the number of responses by status and the median and worst
response time, and how long after the database came back the first 200 arrived.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/welzijn_outage
    .venv/bin/python -m welzijn.dbcheck --create
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/outage.py            # --cut 10 --before 3 --after 8
"""

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from common import setup_django

ROOT = Path(__file__).resolve().parent.parent


def prepare() -> tuple[str, list[str]]:
    """A group, a volunteer and a household of its own; returns a session cookie and the URLs."""
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from groups.models import Group, Membership, Region
    from households.models import Household

    region, _ = Region.objects.get_or_create(slug="bench-outage", defaults={"name": "Bench outage"})
    group, _ = Group.objects.get_or_create(
        slug="bench-outage", defaults={"name": "Bench outage", "municipality": "Brugge", "region": region}
    )
    user = User.objects.filter(email="bench-outage@example.org").first() or User.objects.create_user(
        email="bench-outage@example.org", password=secrets.token_urlsafe(16), full_name="Bench"
    )
    Membership.objects.get_or_create(user=user, group=group, defaults={"role": Membership.Role.VOLUNTEER})
    household, _ = Household.objects.get_or_create(group=group, display_name="Familie Bench")
    client = Client()
    client.force_login(user)
    urls = [
        reverse("households:detail", kwargs={"slug": group.slug, "pk": household.pk}),
        reverse("households:list", kwargs={"slug": group.slug}),
        "/healthz",
    ]
    return client.cookies["sessionid"].value, urls


def start_gunicorn(database_url: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "ERROR"),
    }
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    process = subprocess.Popen(
        [gunicorn, "welzijn.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--log-level", "error"],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return process
        except OSError:  # URLError, refused, timed out: not up yet
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=float, default=3, help="seconds of normal traffic first")
    parser.add_argument("--cut", type=float, default=10, help="seconds without database")
    parser.add_argument("--after", type=float, default=8, help="seconds of traffic after it is back")
    args = parser.parse_args()

    # gunicorn must read the session cookie made here: the same key for both.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    setup_django("welzijn_outage")
    import dj_database_url
    from django.conf import settings

    from tests.tcp_proxy import TcpProxy

    cookie, urls = prepare()
    db = settings.DATABASES["default"]
    proxy = TcpProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))
    url = dj_database_url.parse(os.environ["DATABASE_URL"])
    proxied = f"postgres://{url['USER']}@127.0.0.1:{proxy.port}/{url['NAME']}"
    from welzijn.embedded_db import _free_port

    port = _free_port()
    server = start_gunicorn(proxied, port)  # stops it itself if it cannot start
    for path in urls * 4:  # warm up: each worker has its pool open and its first connection
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}", headers={"Cookie": f"sessionid={cookie}"}
        )
        with urllib.request.urlopen(request, timeout=30):  # noqa: S310
            pass
    results: list[tuple[float, str, int, float]] = []  # (started, path, status, seconds)
    stop = threading.Event()

    def client(offset: int) -> None:
        i = offset
        while not stop.is_set():
            path = urls[i % len(urls)]
            i += 1
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}", headers={"Cookie": f"sessionid={cookie}"}
            )
            started = time.monotonic()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                    status = response.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError:
                status = 0
            results.append((started, path, status, time.monotonic() - started))

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(4)]
    try:
        t0 = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(args.before)
        cut_at = time.monotonic()
        proxy.cut()
        time.sleep(args.cut)
        back_at = time.monotonic()
        proxy.restore()
        time.sleep(args.after)
        stop.set()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait()
        proxy.close()

    # A request still on its way when the database went counts for the outage.
    phases = {
        "before": [r for r in results if r[0] + r[3] < cut_at],
        f"outage ({args.cut:g} s)": [r for r in results if r[0] + r[3] >= cut_at and r[0] < back_at],
        "after": [r for r in results if r[0] >= back_at],
    }
    print(f"gunicorn 2 workers, 4 clients, {len(results)} requests in {time.monotonic() - t0:.1f} s")
    for name, rows in phases.items():
        statuses: dict[int, int] = {}
        for row in rows:
            statuses[row[2]] = statuses.get(row[2], 0) + 1
        times = sorted(row[3] * 1000 for row in rows) or [0.0]
        p95 = times[int(0.95 * (len(times) - 1))]
        slow = sum(1 for t in times if t >= 2000)
        print(
            f"{name:>16}: {len(rows):5} responses {dict(sorted(statuses.items()))}; median "
            f"{statistics.median(times):5.0f} ms, p95 {p95:5.0f} ms, worst {max(times):5.0f} ms, "
            f"{slow} took 2 s or more"
        )
    first_ok = min((r[0] + r[3] for r in phases["after"] if r[2] == 200), default=None)
    last_bad = max((r[0] + r[3] for r in phases["after"] if r[2] != 200), default=None)
    if first_ok is None:
        print("no 200 after the database came back")
    else:
        print(f"first 200 after the database came back: {first_ok - back_at:.2f} s")
        if last_bad is not None:
            print(f"last non-200 after the database came back: {last_bad - back_at:.2f} s")


if __name__ == "__main__":
    main()
