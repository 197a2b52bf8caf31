"""Benchmark: dashboard, yearly report and national view at national scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/welzijn_scale DEBUG=1 ALLOWED_HOSTS=testserver \\
        .venv/bin/python manage.py seed_scale        # once: 200 groups, 30,000 households, 1,000,000 visits
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/welzijn_scale DEBUG=1 ALLOWED_HOSTS=testserver \\
        .venv/bin/python bench/reports.py

Prints the median time and the number of queries of each page. Numbers, not assertions.
"""

from common import setup_django, timed

setup_django("welzijn_scale")

from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.models import User
from activities.models import Attendance
from groups.models import Group, Membership
from rls import scope
from visits.models import Visit


def main() -> None:
    group = Group.objects.filter(slug__startswith="scale-").order_by("slug").first()
    if group is None:
        raise SystemExit("No scale data: run `manage.py seed_scale` first (see the docstring).")
    with scope.command("bench/reports.py"):  # the script's own counts are of every group
        print(
            f"Database {settings.DATABASES['default']['NAME']}: {Group.objects.count()} groups, "
            f"{Visit.objects.count():,} visits; group {group.slug} has {group.households.count()} households "
            f"and {group.visits.count():,} visits."
        )
    coordinator = (
        Membership.objects.filter(group=group, role="coordinator").select_related("user").first().user
    )
    staff, _ = User.objects.get_or_create(email="bench-staff@example.org", defaults={"is_staff": True})
    coordinator_client, staff_client = Client(), Client()
    coordinator_client.force_login(coordinator)
    staff_client.force_login(staff)
    year = timezone.localdate().year
    activity = group.activities.order_by("-starts_at").first()
    household = group.households.filter(attendances__isnull=False).first() or group.households.first()
    if activity is None:
        raise SystemExit(
            "No activities in the scale data: run a newer `manage.py seed_scale` on an empty database."
        )
    print(
        f"Group {group.slug} has {group.activities.count():,} activities; "
        f"{Attendance.objects.count():,} attendances in all."
    )
    pages = [
        ("dashboard (coordinator)", coordinator_client, f"/g/{group.slug}/", None),
        ("yearly report, this year", coordinator_client, f"/g/{group.slug}/report/", None),
        (
            "yearly report, ten years",
            coordinator_client,
            f"/g/{group.slug}/report/",
            {"start": f"{year - 10}-01-01", "end": f"{year}-12-31"},
        ),
        ("yearly report as XLSX", coordinator_client, f"/g/{group.slug}/report/export.xlsx", None),
        ("signals report", coordinator_client, f"/g/{group.slug}/signals/report/", None),
        ("national view, this year", staff_client, "/staff/", None),
        ("national signals report", staff_client, "/staff/signals/", None),
        # Activities (a weekly evening per group over ten years, with attendance).
        ("activities, past", coordinator_client, f"/g/{group.slug}/activities/", {"when": "past"}),
        ("activity detail", coordinator_client, f"/g/{group.slug}/activities/{activity.pk}/", None),
        (
            "attendance sheet",
            coordinator_client,
            f"/g/{group.slug}/activities/{activity.pk}/attendance/",
            None,
        ),
        ("household page", coordinator_client, f"/g/{group.slug}/households/{household.pk}/", None),
    ]
    print(f"\n{'page':<28} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for label, client, url, params in pages:
        median, worst, queries = timed(client, url, params)
        print(f"{label:<28} {median:10.0f} {worst:8.0f} {queries:8d}")


if __name__ == "__main__":
    main()
