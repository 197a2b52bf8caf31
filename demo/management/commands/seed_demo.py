"""Demo data for a developer's machine: 2 regions, 3 groups, their members and a few households.

Idempotent: running it again updates people and groups and leaves existing households alone."""

from datetime import datetime, time, timedelta

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.services import requires_mfa, set_verified_email
from activities import services as activity_services
from activities.models import Activity, ActivityKind, ActivitySeries
from groups.models import Group, Membership, Region
from households.models import Consent, Household, HouseholdContact, Person
from rls import scope
from visits.models import FollowUp, Signal, Visit, VisitVolunteer

DEMO_PASSWORD = "welzijn-demo-2026"  # noqa: S105 - documented demo login, refused without DEBUG
# The authenticator-app key (base32) of every demo account that must have MFA (coordinators,
# the admin), so that demos and browser journeys can log in: add it to an authenticator app,
# or compute the code (oathtool --totp -b KEY). Refused without DEBUG like the password.
DEMO_TOTP_SECRET = "WELZIJNDEMOTOTPKEYWELZIJNDEMO234"  # noqa: S105

REGIONS = [
    ("West-Vlaanderen", "west-vlaanderen", "Griet Vanhoutte", "west-vlaanderen@example.org"),
    ("Oost-Vlaanderen", "oost-vlaanderen", "Koen De Smet", "oost-vlaanderen@example.org"),
]

GROUPS = [
    ("Welzijnsschakel Brugge Sint-Pieters", "brugge-sint-pieters", "Brugge", "west-vlaanderen"),
    ("Welzijnsschakel Kortrijk Overleie", "kortrijk-overleie", "Kortrijk", "west-vlaanderen"),
    ("Welzijnsschakel Gent Rabot", "gent-rabot", "Gent", "oost-vlaanderen"),
]

C, V = Membership.Role.COORDINATOR, Membership.Role.VOLUNTEER
# (e-mail, full name, [(group slug, role), …])
PEOPLE = [
    ("an.coordinator@example.org", "An Vermeulen", [("brugge-sint-pieters", C)]),
    ("bart.vrijwilliger@example.org", "Bart Claeys", [("brugge-sint-pieters", V)]),
    ("chantal.vrijwilliger@example.org", "Chantal Desmet", [("brugge-sint-pieters", V)]),
    ("dirk.coordinator@example.org", "Dirk Vandenberghe", [("kortrijk-overleie", C)]),
    ("els.vrijwilliger@example.org", "Els Deprez", [("kortrijk-overleie", V)]),
    ("fatima.vrijwilliger@example.org", "Fatima El Amrani", [("kortrijk-overleie", V)]),
    ("geert.coordinator@example.org", "Geert Van de Velde", [("gent-rabot", C)]),
    ("hilde.vrijwilliger@example.org", "Hilde Martens", [("gent-rabot", V)]),
    ("ilse.vrijwilliger@example.org", "Ilse Wouters", [("gent-rabot", V)]),
    (
        "jan.twee-groepen@example.org",
        "Jan Maes",
        [("brugge-sint-pieters", V), ("kortrijk-overleie", V)],
    ),
]


# (group slug, household name, street, number, postcode, municipality, needs, languages,
#  contact e-mail, consent?, [(first name, birth year, role)])
HOUSEHOLDS = [
    (
        "brugge-sint-pieters",
        "Familie Peeters",
        "Kerkstraat",
        "12",
        "8000",
        "Brugge",
        ["housing", "income_debt"],
        ["nl"],
        "bart.vrijwilliger@example.org",
        True,
        [("Mieke", 1982, "adult"), ("Jens", 2012, "child"), ("Lotte", 2016, "child")],
    ),
    (
        "brugge-sint-pieters",
        "Familie Çelik",
        "Sint-Pietersdorp",
        "4",
        "8000",
        "Brugge",
        ["paperwork", "education"],
        ["tr", "nl"],
        "chantal.vrijwilliger@example.org",
        True,
        [("Ayşe", 1979, "adult"), ("Mehmet", 1975, "adult"), ("Elif", 2010, "child")],
    ),
    (
        "brugge-sint-pieters",
        "Gezin Vandewalle",
        "Blankenbergse Steenweg",
        "101",
        "8000",
        "Brugge",
        ["energy", "health"],
        ["nl"],
        "jan.twee-groepen@example.org",
        False,
        [("Roger", 1951, "adult")],
    ),
    (
        "kortrijk-overleie",
        "Familie El Amrani",
        "Overleiestraat",
        "33",
        "8500",
        "Kortrijk",
        ["income_debt", "food"],
        ["ar", "fr", "nl"],
        "fatima.vrijwilliger@example.org",
        True,
        [("Nadia", 1988, "adult"), ("Yassin", 2014, "child"), ("Sara", 2019, "child")],
    ),
    (
        "kortrijk-overleie",
        "Familie Desmet",
        "Gentsesteenweg",
        "8",
        "8500",
        "Kortrijk",
        ["housing", "mobility"],
        ["nl"],
        "els.vrijwilliger@example.org",
        True,
        [("Kevin", 1990, "adult")],
    ),
    (
        "gent-rabot",
        "Familie Popescu",
        "Wondelgemstraat",
        "57",
        "9000",
        "Gent",
        ["work", "paperwork"],
        ["ro"],
        "hilde.vrijwilliger@example.org",
        False,
        [("Ioana", 1986, "adult"), ("Andrei", 1984, "adult"), ("Maria", 2018, "child")],
    ),
    (
        "gent-rabot",
        "Familie Van de Velde",
        "Rabotstraat",
        "19",
        "9000",
        "Gent",
        ["social_network", "health"],
        ["nl"],
        "ilse.vrijwilliger@example.org",
        True,
        [("Marleen", 1958, "adult")],
    ),
]


class Command(BaseCommand):
    help = "Fill the database with demo regions, groups, members and households (only with DEBUG on)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo only runs with DEBUG=1: demo accounts have a known password "
                "and must never exist in production."
            )
        # Writes the households of every demo group: says so (rls.scope).
        with transaction.atomic(), scope.command("seed_demo"):
            self._seed()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in at http://127.0.0.1:8000/ with:"))
        for email, name, groups in PEOPLE:
            roles = ", ".join(f"{Membership.Role(role).label} in {slug}" for slug, role in groups)
            self.stdout.write(f"  {email:<36} {name:<20} {roles}")
        self.stdout.write("  admin@example.org                    (beheer: /admin/)")
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")
        self.stdout.write(
            "Coordinators and the admin must use two-factor authentication. Their authenticator-app key "
            "(add it to an app such as Google Authenticator, or: oathtool --totp -b KEY): "
            f"{DEMO_TOTP_SECRET}"
        )

    def _seed(self) -> None:
        regions = {}
        for name, slug, contact, contact_email in REGIONS:
            regions[slug], _ = Region.objects.update_or_create(
                slug=slug, defaults={"name": name, "contact_name": contact, "contact_email": contact_email}
            )
        groups = {}
        for name, slug, municipality, region in GROUPS:
            groups[slug], _ = Group.objects.update_or_create(
                slug=slug,
                defaults={"name": name, "municipality": municipality, "region": regions[region]},
            )
        for email, full_name, memberships in PEOPLE:
            user = self._user(email, full_name)
            for slug, role in memberships:
                Membership.objects.update_or_create(
                    user=user, group=groups[slug], defaults={"role": role, "is_active": True}
                )
        self._households(groups)
        for group in groups.values():
            self._activities(group)
        admin = self._user("admin@example.org", "Beheerder Welzijn")
        if not admin.is_superuser:
            admin.is_staff = admin.is_superuser = True
            admin.save(update_fields=["is_staff", "is_superuser"])
        for user in get_user_model().objects.filter(email__in=[e for e, _, _ in PEOPLE] + [admin.email]):
            set_verified_email(user, user.email)
            if (
                requires_mfa(user)
                and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
            ):
                TOTP.activate(user, DEMO_TOTP_SECRET)

    def _households(self, groups: dict[str, Group]) -> None:
        users = get_user_model().objects
        for (
            slug,
            name,
            street,
            number,
            postcode,
            town,
            needs,
            languages,
            contact,
            consent,
            persons,
        ) in HOUSEHOLDS:
            group = groups[slug]
            household, created = Household.objects.get_or_create(
                group=group,
                display_name=name,
                defaults={
                    "street": street,
                    "house_number": number,
                    "postcode": postcode,
                    "municipality": town,
                    "needs": needs,
                    "languages": languages,
                    "referral_source": "ocmw",
                },
            )
            user = users.get(email=contact)
            self._visits(household, user)
            if not created:
                continue
            HouseholdContact.objects.create(group=group, household=household, user=user)
            for first_name, year, role in persons:
                Person.objects.create(
                    group=group, household=household, first_name=first_name, birth_year=year, role=role
                )
            if consent:
                Consent.objects.create(group=group, household=household, recorded_by=user, method="oral")

    def _visits(self, household: Household, user) -> None:
        """Two contacts, a follow-up and (for some) a signal, so the timeline has something to show."""
        if household.visits.exists():
            return
        today = timezone.localdate()
        group = household.group
        topics = household.needs[:2]
        first = Visit.objects.create(
            group=group,
            household=household,
            author=user,
            date=today - timedelta(days=30),
            kind="home",
            duration_minutes=60,
            topics=topics,
            support=["paperwork"],
            summary="Kennismaking thuis. We hebben samen de brieven van de voorbije maand bekeken.",
        )
        second = Visit.objects.create(
            group=group,
            household=household,
            author=user,
            date=today - timedelta(days=6),
            kind="phone",
            duration_minutes=15,
            topics=topics[:1],
            summary="Even gebeld om te horen hoe het gaat.",
        )
        for visit in (first, second):
            VisitVolunteer.objects.create(group=group, visit=visit, user=user)
        FollowUp.objects.create(
            group=group,
            household=household,
            visit=second,
            description="Afspraak bij het OCMW mee voorbereiden",
            due_date=today + timedelta(days=5),
            assignee=user,
            created_by=user,
        )
        if "income_debt" in household.needs or "housing" in household.needs:
            Signal.objects.create(
                group=group,
                household=household,
                visit=first,
                institution="ocmw",
                theme=household.needs[0],
                description="Aanvraag loopt al twee maanden zonder antwoord.",
                created_by=user,
                noticed_on=first.date,
            )

    def _activities(self, group: Group) -> None:
        """A weekly praatcafé over the last eight weeks and the next four, with attendance on the
        past evenings, one dialogue with the OCMW that takes up the group's first signal, and the
        group's first person on its board (kerngroep) since a year ago."""
        if group.activities.exists():
            return
        coordinator = group.memberships.filter(role=Membership.Role.COORDINATOR).first()
        if coordinator is None:
            return
        first = timezone.localdate() - timedelta(weeks=8)
        activity = Activity(
            kind=ActivityKind.MEETING,
            title="Praatcafé",
            starts_at=timezone.make_aware(datetime.combine(first, time(19))),
            ends_at=timezone.make_aware(datetime.combine(first, time(21))),
            place="Lokaal van de Welzijnsschakel",
            themes=["social_network"],
        )
        series = ActivitySeries(
            frequency=ActivitySeries.Frequency.WEEKLY, first_date=first, last_date=first + timedelta(weeks=12)
        )
        activity_services.create_activity(
            group=group,
            author=coordinator.user,
            activity=activity,
            submission_id=None,
            organisers=[coordinator.user],
            series=series,
        )
        persons = list(Person.objects.filter(group=group).order_by("pk"))
        past = group.activities.filter(starts_at__lt=timezone.now()).order_by("starts_at")
        for number, evening in enumerate(past):
            # Most come most weeks; someone helps make the coffee every other week.
            present = [p.pk for i, p in enumerate(persons) if (i + number) % 3 != 0]
            activity_services.save_attendance(
                activity=evening,
                author=coordinator.user,
                present_add=present,
                helped_add=present[:1] if number % 2 == 0 else [],
                volunteers_add=[coordinator.user_id],
                unregistered_count=number % 4,
            )
        signal = group.signals.order_by("pk").first()
        day = timezone.localdate() - timedelta(days=10)
        dialogue = Activity(
            kind=ActivityKind.DIALOGUE,
            title="Overleg met het OCMW",
            starts_at=timezone.make_aware(datetime.combine(day, time(14))),
            ends_at=timezone.make_aware(datetime.combine(day, time(15, 30))),
            place="OCMW",
        )
        activity_services.create_activity(
            group=group,
            author=coordinator.user,
            activity=dialogue,
            submission_id=None,
            organisers=[coordinator.user],
            signals=[signal] if signal else [],
        )
        # The first adult of the group has sat on the group's board (kerngroep) for a year.
        member = persons[0] if persons else None
        if member is not None:
            activity_services.add_board_seat(
                group=group,
                author=coordinator.user,
                person=member,
                started_on=timezone.localdate() - timedelta(days=365),
                ended_on=None,
                submission_id=None,
            )

    def _user(self, email: str, full_name: str):
        users = get_user_model().objects
        user = users.filter(email=email).first()
        if user is None:
            return users.create_user(email=email, password=DEMO_PASSWORD, full_name=full_name)
        if user.full_name != full_name:
            user.full_name = full_name
            user.save(update_fields=["full_name"])
        return user
