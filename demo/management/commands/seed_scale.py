"""Fill a database at national scale: 200 groups, 30,000 households, 100,000 persons and
1,000,000 visits over ten years, with follow-ups and signals, and a weekly activity per group
over ten years with its attendance. For benchmarks only.

The rows are generated inside PostgreSQL (INSERT … SELECT over generate_series) rather than
sent from Python: a million visits take tens of seconds instead of many minutes.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from groups.models import Group, Membership, Region
from households.choices import LifeDomain
from rls import scope
from rls.roles import migration_role

GROUPS = 200
MEMBERS_PER_GROUP = 10
HOUSEHOLDS = 30_000
VISITS = 1_000_000
VISIT_CHUNK = 100_000
ACTIVITY_WEEKS = 522  # ten years of a weekly evening
PREFIX = "scale-"

DOMAINS = "ARRAY[" + ",".join(f"'{value}'" for value in LifeDomain.values) + "]"
SUPPORT = "ARRAY['food','transport','paperwork','referral','listening','other']"
KINDS = "ARRAY['home','home','home','phone','phone','group_place','elsewhere']"
INSTITUTIONS = "ARRAY['ocmw','housing','school','health','utility','other']"
NAMES = (
    "ARRAY['Peeters','Janssens','Maes','Jacobs','Mertens','Willems','Claes','Goossens','Wouters','De Smet',"
    "'Dubois','Lambert','Dupont','Vermeulen','Desmet','Hermans','Michiels','Van de Walle','Çelik','Yılmaz',"
    "'El Amrani','Benali','Nowak','Popescu','Ivanova','Haddad','Diallo','Rahimi','Van Damme','De Backer']"
)


def random_pick(array: str) -> str:
    return f"({array})[1 + floor(random() * array_length({array}, 1))::int]"


class Command(BaseCommand):
    help = "Fill the database with 200 groups, 30,000 households, 100,000 persons, 1,000,000 visits."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--groups", type=int, default=GROUPS, help="how many groups (default 200)")
        parser.add_argument("--households", type=int, default=HOUSEHOLDS, help="how many (default 30,000)")
        parser.add_argument("--visits", type=int, default=VISITS, help="how many visits (default 1,000,000)")
        parser.add_argument(
            "--activity-weeks",
            type=int,
            default=ACTIVITY_WEEKS,
            help="weekly activities per group (default 522)",
        )

    def handle(
        self, *args, groups: int, households: int, visits: int, activity_weeks: int, **options
    ) -> None:
        self.groups, self.households, self.activity_weeks = groups, households, activity_weeks
        if not settings.DEBUG:
            raise CommandError("seed_scale only runs with DEBUG=1: it is for benchmark databases.")
        if Group.objects.filter(slug__startswith=PREFIX).exists():
            self.stdout.write("The scale data is already there; nothing to do.")
            return
        from tqdm import tqdm  # a development dependency, like this command

        steps = [
            ("groups and members", self._groups),
            ("households", self._households),
            ("persons", self._persons),
            *[
                (f"visits {i + 1}/{-(-visits // VISIT_CHUNK)}", self._visits_chunk(i, visits))
                for i in range(-(-visits // VISIT_CHUNK))
            ],
            ("volunteers of visits", self._visit_volunteers),
            ("follow-ups and signals", self._follow_ups_and_signals),
            ("activities and attendance", self._activities),
            ("statistics (ANALYZE)", self._analyze),
        ]
        started = time.monotonic()
        # Filling a million rows may take longer than the app's DB_STATEMENT_TIMEOUT.
        self._sql("SET statement_timeout = 0")
        with tqdm(total=len(steps), unit="step", file=self.stdout) as bar:
            for label, step in steps:
                bar.set_description(label)
                if step == self._analyze:
                    step()
                else:  # writes the rows of every group: says so (rls.scope)
                    with transaction.atomic(), scope.command("seed_scale"):
                        step()
                bar.update()
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.0f} s."))

    def _sql(self, sql: str, params=()) -> None:
        # Always with parameters, so that every literal % in the SQL is written %%.
        with connection.cursor() as cursor:
            cursor.execute(sql, list(params))

    def _groups(self) -> None:
        regions = []
        for name in [
            "West-Vlaanderen",
            "Oost-Vlaanderen",
            "Antwerpen",
            "Limburg",
            "Vlaams-Brabant",
            "Brussel",
        ]:
            region, _ = Region.objects.get_or_create(name=name, defaults={"slug": f"{PREFIX}{name.lower()}"})
            regions.append(region)
        Group.objects.bulk_create(
            Group(
                name=f"Welzijnsschakel {i:03}",
                slug=f"{PREFIX}{i:03}",
                municipality=f"Gemeente {i % 120:03}",
                region=regions[i % len(regions)],
            )
            for i in range(self.groups)
        )
        # Members: unusable passwords (no hashing), ten per group, the first a coordinator.
        self._sql(
            f"""
            INSERT INTO accounts_user (password, email, full_name, is_active, is_staff, is_superuser, date_joined)
            SELECT '!', '{PREFIX}' || g.slug || '-' || n || '@example.org', 'Vrijwilliger ' || n || ' ' || g.slug,
                   true, false, false, now()
            FROM groups_group g, generate_series(1, %s) n WHERE g.slug LIKE '{PREFIX}%%'
        """,
            [MEMBERS_PER_GROUP],
        )
        self._sql(f"""
            INSERT INTO groups_membership (user_id, group_id, role, is_active, created_at, updated_at)
            SELECT u.id, g.id, CASE WHEN u.email LIKE '%%-1@example.org' THEN 'coordinator' ELSE 'volunteer' END,
                   true, now(), now()
            FROM groups_group g JOIN accounts_user u ON u.email LIKE '{PREFIX}' || g.slug || '-%%'
            WHERE g.slug LIKE '{PREFIX}%%'
        """)
        if (
            Membership.objects.filter(group__slug__startswith=PREFIX).count()
            != self.groups * MEMBERS_PER_GROUP
        ):
            raise CommandError("Could not create the members of the scale groups.")

    def _households(self) -> None:
        self._sql(
            f"""
            CREATE TEMP TABLE scale_groups ON COMMIT DROP AS
            SELECT row_number() OVER (ORDER BY id) - 1 AS idx, id FROM groups_group WHERE slug LIKE '{PREFIX}%%';
            INSERT INTO households_household (group_id, display_name, street, house_number, box, postcode,
                municipality, phone, email, languages, needs, referral_source, status, close_reason, close_note,
                created_at, updated_at, version)
            SELECT sg.id, 'Familie ' || {random_pick(NAMES)} || ' ' || h, 'Dorpsstraat', (h %% 200)::text, '',
                   (1000 + h %% 8999)::text, 'Gemeente', '', '', ARRAY['nl'],
                   ARRAY[{random_pick(DOMAINS)}, {random_pick(DOMAINS)}], 'ocmw',
                   CASE WHEN h %% 10 = 0 THEN 'closed' WHEN h %% 17 = 0 THEN 'paused' ELSE 'active' END, '', '',
                   now() - (random() * 3650 || ' days')::interval, now(), 1
            FROM generate_series(0, %s - 1) h JOIN scale_groups sg ON sg.idx = h %% {self.groups};
            UPDATE households_household SET closed_on = (created_at + interval '300 days')::date,
                close_reason = 'moved'
            WHERE status = 'closed' AND group_id IN (SELECT id FROM scale_groups);
        """,
            [self.households],
        )

    def _persons(self) -> None:
        # 3 or 4 persons per household: 100,000 for 30,000 households.
        self._sql(f"""
            INSERT INTO households_person (group_id, household_id, first_name, last_name, birth_year, role, note,
                created_at, updated_at)
            SELECT h.group_id, h.id, 'Persoon ' || n, '', 1940 + floor(random() * 85)::int,
                   CASE WHEN n <= 2 THEN 'adult' WHEN n = 3 THEN 'child' ELSE 'other' END, '', now(), now()
            FROM households_household h
            JOIN groups_group g ON g.id = h.group_id AND g.slug LIKE '{PREFIX}%%'
            CROSS JOIN LATERAL generate_series(1, CASE WHEN h.id %% 3 = 0 THEN 4 ELSE 3 END) n
        """)

    def _visits_chunk(self, index: int, total: int):
        def step() -> None:
            size = min(VISIT_CHUNK, total - index * VISIT_CHUNK)
            self._sql(
                f"""
                CREATE TEMP TABLE IF NOT EXISTS scale_households ON COMMIT DROP AS
                SELECT row_number() OVER (ORDER BY h.id) - 1 AS idx, h.id, h.group_id
                FROM households_household h JOIN groups_group g ON g.id = h.group_id
                WHERE g.slug LIKE '{PREFIX}%%';
                CREATE TEMP TABLE IF NOT EXISTS scale_authors ON COMMIT DROP AS
                SELECT m.group_id, row_number() OVER (PARTITION BY m.group_id ORDER BY m.user_id) - 1 AS idx,
                       m.user_id
                FROM groups_membership m JOIN groups_group g ON g.id = m.group_id WHERE g.slug LIKE '{PREFIX}%%';
                INSERT INTO visits_visit (group_id, household_id, date, kind, duration_minutes, topics, support,
                    support_note, summary, confidential_note, author_id, created_at, updated_at, submission_id)
                SELECT sh.group_id, sh.id, d.day, {random_pick(KINDS)},
                       CASE WHEN v %% 5 = 0 THEN NULL ELSE 15 + (v %% 8) * 15 END,
                       ARRAY[{random_pick(DOMAINS)}, {random_pick(DOMAINS)}],
                       CASE WHEN v %% 3 = 0 THEN ARRAY[{random_pick(SUPPORT)}] ELSE ARRAY[]::varchar[] END,
                       '', 'Bezoek ' || v, '', sa.user_id, d.day + time '18:00', d.day + time '18:00',
                       gen_random_uuid()
                FROM generate_series(%s, %s - 1) v
                JOIN scale_households sh ON sh.idx = v %% {self.households}
                JOIN scale_authors sa ON sa.group_id = sh.group_id AND sa.idx = v %% {MEMBERS_PER_GROUP}
                CROSS JOIN LATERAL (SELECT current_date - floor(random() * 3650)::int AS day) d
            """,
                [index * VISIT_CHUNK, index * VISIT_CHUNK + size],
            )

        return step

    def _visit_volunteers(self) -> None:
        self._sql(f"""
            INSERT INTO visits_visitvolunteer (group_id, visit_id, user_id)
            SELECT v.group_id, v.id, v.author_id FROM visits_visit v
            JOIN groups_group g ON g.id = v.group_id AND g.slug LIKE '{PREFIX}%%';
            -- A duo partner on one visit in three: the group's coordinator, unless they wrote it.
            INSERT INTO visits_visitvolunteer (group_id, visit_id, user_id)
            SELECT v.group_id, v.id, m.user_id FROM visits_visit v
            JOIN groups_group g ON g.id = v.group_id AND g.slug LIKE '{PREFIX}%%'
            JOIN groups_membership m ON m.group_id = v.group_id AND m.role = 'coordinator'
            WHERE v.id %% 3 = 0 AND m.user_id <> v.author_id;
        """)

    def _follow_ups_and_signals(self) -> None:
        self._sql(f"""
            INSERT INTO visits_followup (group_id, household_id, visit_id, description, due_date, assignee_id,
                done_at, done_by_id, created_by_id, created_at)
            SELECT v.group_id, v.household_id, v.id, 'Opvolgen', v.date + 14, v.author_id,
                   CASE WHEN v.date < current_date - 30 THEN v.created_at + interval '10 days' END,
                   CASE WHEN v.date < current_date - 30 THEN v.author_id END, v.author_id, v.created_at
            FROM visits_visit v JOIN groups_group g ON g.id = v.group_id AND g.slug LIKE '{PREFIX}%%'
            WHERE v.id %% 5 = 0;
            INSERT INTO visits_signal (group_id, household_id, visit_id, institution, theme, description, status,
                noticed_on, created_by_id, created_at, updated_at)
            SELECT v.group_id, v.household_id, v.id, {random_pick(INSTITUTIONS)}, v.topics[1], 'Signaal',
                   CASE WHEN v.id %% 3 = 0 THEN 'resolved' WHEN v.id %% 3 = 1 THEN 'raised' ELSE 'open' END,
                   v.date, v.author_id, v.created_at, v.created_at
            FROM visits_visit v JOIN groups_group g ON g.id = v.group_id AND g.slug LIKE '{PREFIX}%%'
            WHERE v.id %% 20 = 0;
        """)

    def _activities(self) -> None:
        """A weekly evening per group over ten years (a training every quarter, a dialogue with
        an institution twice a year), each attended by about a quarter of the group's regulars
        (the persons of one household in ten), one in ten of them helping to organise; and eight
        persons per group who sat on the group's board over the years, for two years or still."""
        self._sql(
            f"""
            INSERT INTO activities_activity (group_id, kind, title, starts_at, ends_at, place, themes, description,
                unregistered_count, created_by_id, created_at, updated_at, version)
            SELECT g.id,
                   CASE WHEN w %% 26 = 0 THEN 'dialogue' WHEN w %% 13 = 0 THEN 'training' ELSE 'meeting' END,
                   'Praatcafé', (current_date - w * 7) + time '19:00', (current_date - w * 7) + time '21:00',
                   'Lokaal', ARRAY['social_network'], '', (w %% 5), m.user_id, now(), now(), 1
            FROM groups_group g
            JOIN groups_membership m ON m.group_id = g.id AND m.role = 'coordinator'
            CROSS JOIN generate_series(0, %s - 1) w
            WHERE g.slug LIKE '{PREFIX}%%';
            INSERT INTO activities_activityorganiser (group_id, activity_id, user_id)
            SELECT a.group_id, a.id, a.created_by_id FROM activities_activity a
            JOIN groups_group g ON g.id = a.group_id AND g.slug LIKE '{PREFIX}%%';
            INSERT INTO activities_activityvolunteer (group_id, activity_id, user_id)
            SELECT a.group_id, a.id, a.created_by_id FROM activities_activity a
            JOIN groups_group g ON g.id = a.group_id AND g.slug LIKE '{PREFIX}%%';
            INSERT INTO activities_attendance (group_id, activity_id, person_id, household_id, helped_organise,
                date, created_at)
            SELECT a.group_id, a.id, p.id, p.household_id, (p.id + a.id) %% 10 = 0,
                   (a.starts_at AT TIME ZONE 'Europe/Brussels')::date, a.starts_at
            FROM activities_activity a
            JOIN groups_group g ON g.id = a.group_id AND g.slug LIKE '{PREFIX}%%'
            JOIN households_person p ON p.group_id = a.group_id AND p.household_id %% 10 = 0
            WHERE (p.id * 31 + a.id) %% 4 = 0;
            INSERT INTO activities_boardseat (group_id, person_id, household_id, started_on, ended_on,
                created_by_id, created_at)
            SELECT p.group_id, p.id, p.household_id, current_date - p.n * 365,
                   CASE WHEN p.n %% 3 = 0 THEN NULL ELSE current_date - p.n * 365 + 730 END,
                   m.user_id, now()
            FROM (SELECT p.*, (row_number() OVER (PARTITION BY p.group_id ORDER BY p.id))::int AS n
                  FROM households_person p) p
            JOIN groups_group g ON g.id = p.group_id AND g.slug LIKE '{PREFIX}%%'
            JOIN groups_membership m ON m.group_id = g.id AND m.role = 'coordinator'
            WHERE p.n <= 8;
        """,
            [self.activity_weeks],
        )

    def _analyze(self) -> None:
        if connection.in_atomic_block:
            return  # a test's transaction: no statistics needed, and no second connection allowed
        # Only a table's owner may ANALYZE it: the migration role, not the app's.
        with migration_role():
            self._sql("ANALYZE")
