"""Benchmark: household search and pages at national scale (30,000 households, 200 groups).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/welzijn_bench ALLOWED_HOSTS=testserver \\
        .venv/bin/python bench/households_search.py

Fills the database once (idempotent: it tops up to the target), then prints the EXPLAIN of
the search query and the median time of the list, search and detail pages. Numbers, not
assertions: compare them between changes on the same machine.
"""

import random

from common import setup_django, timed

setup_django("welzijn_bench")

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client

from accounts.models import User
from groups.models import Group, Membership, Region
from households.choices import LifeDomain
from households.models import Household, Person
from households.selectors import search_households
from rls import scope
from rls.roles import migration_role

GROUPS = 200
HOUSEHOLDS = 30_000
# Real surnames, and made-up ones built like Flemish names so that, as in real life, most
# names are rare: a search then matches a handful of rows, not 2% of the table.
SURNAMES = (
    "Peeters|Janssens|Maes|Jacobs|Mertens|Willems|Claes|Goossens|Wouters|De Smet|Dubois|Lambert|Dupont|"
    "Van de Walle|Vandewalle|Çelik|Yılmaz|El Amrani|Benali|Nowak|Popescu|Ivanova|Haddad|Diallo|Rahimi"
).split("|")
PREFIXES = ["", "", "", "Van ", "De ", "Van den ", "Vander", "Ver"]
ROOTS = (
    "bos berg broek dael haege hove kerck linde meer molen poel rijck straete veld vliet wal weyer".split()
)
SUFFIXES = ["", "s", "e", "ens", "aert", "ckx", "man", "meersch", "ghem", "ier"]


def surname(rng: random.Random) -> str:
    if rng.random() < 0.03:
        return rng.choice(SURNAMES)
    name = f"{rng.choice(PREFIXES)}{rng.choice(ROOTS)}{rng.choice(SUFFIXES)}"
    return name[0].upper() + name[1:]


def fill() -> None:
    region, _ = Region.objects.get_or_create(slug="bench", defaults={"name": "Benchmark"})
    existing = Group.objects.filter(slug__startswith="bench-").count()
    Group.objects.bulk_create(
        Group(name=f"Schakel {i}", slug=f"bench-{i}", municipality="Gemeente", region=region)
        for i in range(existing, GROUPS)
    )
    groups = list(Group.objects.filter(slug__startswith="bench-").order_by("pk"))
    missing = HOUSEHOLDS - Household.objects.filter(group__in=groups).count()
    rng = random.Random(42)
    domains = LifeDomain.values
    batch = 5_000
    while missing > 0:
        size = min(batch, missing)
        with transaction.atomic():
            households = Household.objects.bulk_create(
                Household(
                    group=groups[rng.randrange(GROUPS)],
                    display_name=f"Familie {surname(rng)}",
                    street="Dorpsstraat",
                    house_number=str(rng.randrange(1, 300)),
                    postcode=str(rng.randrange(1000, 9999)),
                    needs=rng.sample(domains, 2),
                )
                for _ in range(size)
            )
            Person.objects.bulk_create(
                Person(
                    group_id=h.group_id, household=h, first_name="Naam", birth_year=rng.randrange(1940, 2024)
                )
                for h in households
                for _ in range(rng.randrange(1, 6))
            )
        missing -= size
        print(f"  … {HOUSEHOLDS - missing} households", flush=True)


def explain(queryset) -> str:
    return queryset.explain(analyze=True, buffers=False)


def main() -> None:
    print(f"Database: {settings.DATABASES['default']['NAME']}")
    # The script fills and counts every group's rows (rls.scope); the pages below go through the
    # group door like any request.
    call_command("migrate", verbosity=0)
    with scope.command("bench/households_search.py"):
        fill()
    with migration_role(), connection.cursor() as cursor:  # only the tables' owner may ANALYZE them
        cursor.execute("ANALYZE households_household; ANALYZE households_person;")
    with scope.command("bench/households_search.py"):
        explain_queries()
    pages()


def explain_queries() -> None:
    group = Group.objects.filter(slug__startswith="bench-").order_by("pk").first()
    total = Household.objects.count()
    in_group = group.households.count()
    print(f"{total} households, {Person.objects.count()} persons; group {group.slug} has {in_group}.")

    print("\nEXPLAIN ANALYZE — search 'peters' within one group (what the list page runs):")
    print(explain(search_households(group.households.all(), "peters")))
    print("\nEXPLAIN ANALYZE — search a phone number within one group:")
    print(explain(search_households(group.households.all(), "0470 12 34 56")))
    everyone = search_households(Household.objects.all(), "celik")
    print("\nEXPLAIN ANALYZE — search 'celik' across all 30,000, no group filter (the planner's choice):")
    print(explain(everyone))
    print("\n… and the same with sequential scans discouraged, to show the trigram indexes serve it:")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        print(explain(everyone))


def pages() -> None:
    group = Group.objects.filter(slug__startswith="bench-").order_by("pk").first()
    user, _ = User.objects.get_or_create(email="bench@example.org", defaults={"full_name": "Bench"})
    Membership.objects.get_or_create(user=user, group=group, defaults={"role": "coordinator"})
    client = Client()
    client.force_login(user)
    with scope.command("bench/households_search.py"):
        household = group.households.first()
    base = f"/g/{group.slug}/households/"
    print("\nPage                         median ms   queries")
    for label, url, params in [
        ("list", base, None),
        ("list, search 'celik'", base, {"q": "celik"}),
        ("list, search first name", base, {"q": "naam"}),
        ("list, search street", base, {"q": "dorpsstr"}),
        ("list, search postcode", base, {"q": "8000"}),
        ("list, search phone", base, {"q": "0470 12 34 56"}),
        ("list, need=housing", base, {"need": "housing"}),
        ("detail", f"{base}{household.pk}/", None),
    ]:
        ms, _worst, queries = timed(client, url, params, runs=15)
        print(f"{label:<28} {ms:9.1f} {queries:9d}")


if __name__ == "__main__":
    main()
