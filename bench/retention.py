"""Benchmark: anonymising 1,000 closed households at national scale, and the worker's daily job.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/welzijn_scale DEBUG=1 ALLOWED_HOSTS=testserver \\
        .venv/bin/python manage.py seed_scale        # once: 200 groups, 30,000 households, 1,000,000 visits
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/welzijn_scale DEBUG=1 ALLOWED_HOSTS=testserver \\
        .venv/bin/python bench/retention.py

Each household is anonymised the way the worker does it (one transaction and row lock each);
everything is rolled back at the end, so the script can be run again on the same data. Prints
time and queries. Numbers, not assertions.
"""

import time

from common import setup_django

setup_django("welzijn_scale")

import datetime as dt

from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from households.models import Household
from privacy.anonymisation import anonymise_households, due_households
from visits.models import Visit

HOUSEHOLDS = 1000


class Rollback(Exception):
    pass


class StatementCounter:
    """Counts every SQL statement and the time spent per verb and table (no 9,000-query cap)."""

    def __init__(self) -> None:
        self.count = 0
        self.by_verb: dict[str, list[float]] = {}

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            words = sql.split()
            verb = words[0]
            if verb in ("UPDATE", "DELETE", "INSERT") and len(words) > 2:
                verb = f"{verb} {words[1 if verb == 'UPDATE' else 2].strip(chr(34))}"
            entry = self.by_verb.setdefault(verb, [0, 0.0])
            entry[0] += 1
            entry[1] += time.perf_counter() - start
            self.count += 1


def main() -> None:
    today = timezone.localdate() + dt.timedelta(days=365 * 10)  # every closed household is due then
    ids = list(due_households(today).order_by("pk").values_list("pk", flat=True)[:HOUSEHOLDS])
    if len(ids) < HOUSEHOLDS:
        raise SystemExit(
            "Not enough closed households: run `manage.py seed_scale` first (see the docstring)."
        )
    visits = Visit.objects.filter(household_id__in=ids).count()
    print(
        f"Database {settings.DATABASES['default']['NAME']}: {Household.objects.count():,} households, "
        f"{Visit.objects.count():,} visits; anonymising {len(ids)} closed households with {visits:,} visits."
    )
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        due = list(due_households(today).order_by("pk").values_list("pk", flat=True))
    print(
        f"finding the due households ({len(due):,}): {(time.perf_counter() - start) * 1000:.0f} ms, "
        f"{len(queries.captured_queries)} queries"
    )
    try:
        with transaction.atomic():
            counter = StatementCounter()
            start = time.perf_counter()
            with connection.execute_wrapper(counter):
                done = anonymise_households(ids, today=today)
            elapsed = time.perf_counter() - start
            print(
                f"anonymised {done} households in {elapsed:.1f} s ({elapsed / done * 1000:.1f} ms each), "
                f"{counter.count} statements ({counter.count / done:.1f} per household, whatever its size)"
            )
            for verb, (n, seconds) in sorted(counter.by_verb.items(), key=lambda item: -item[1][1]):
                print(f"  {verb:<40} {n:6d} statements {seconds:7.1f} s")
            raise Rollback
    except Rollback:
        print("rolled back: the data is as it was")


if __name__ == "__main__":
    main()
