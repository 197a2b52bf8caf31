"""What tests build their data with: the shared world of groups A and B, users, members,
visits, activities, logged-in clients and MFA codes.

Import these from here (`from tests.helpers import make_visit`), never from `tests/conftest.py`:
conftest holds only fixtures. `tests/conftest.py` builds the world once with `build_world` and
hands each test its own copy (the `world` fixture).
"""

import os
import runpy
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

from django.db.models import Model
from django.test import Client
from django.test.client import MULTIPART_CONTENT
from django.utils import timezone
from django.utils.http import urlencode

from accounts.models import User
from activities.models import Activity, Attendance
from groups.models import Group, Membership, Region
from households.models import Household, HouseholdContact, Person
from reports.suppression import HIDDEN
from visits.models import FollowUp, Signal, Visit, VisitVolunteer

PASSWORD = "een-lang-testwachtwoord"
# A fixed TOTP secret (base32) for test users who must have MFA: tests compute codes from it.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def give_mfa(user: User, secret: str = TOTP_SECRET) -> None:
    """Give `user` an authenticator app with `secret` (if they have none yet)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)


def give_security_key(user: User) -> None:
    """Give `user` a security key (a WebAuthn authenticator, as allauth stores one after
    registration): a made-up key with attestation "none", which allauth reads but never checks."""
    import os

    from allauth.mfa.webauthn.internal.auth import WebAuthn
    from cryptography.hazmat.primitives.asymmetric import ec
    from fido2.cose import ES256
    from fido2.utils import sha256
    from fido2.webauthn import (
        AttestationObject,
        AttestedCredentialData,
        AuthenticatorAttestationResponse,
        AuthenticatorData,
        CollectedClientData,
        RegistrationResponse,
    )

    credential_id = os.urandom(16)
    public_key = ES256.from_cryptography_key(ec.generate_private_key(ec.SECP256R1()).public_key())
    auth_data = AuthenticatorData.create(
        sha256(b"localhost"),
        AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.AT,
        0,
        AttestedCredentialData.create(b"\0" * 16, credential_id, public_key),
    )
    client_data = CollectedClientData.create(
        type="webauthn.create", challenge=b"x" * 16, origin="http://localhost"
    )
    response = RegistrationResponse(
        raw_id=credential_id,
        response=AuthenticatorAttestationResponse(
            client_data=client_data, attestation_object=AttestationObject.create("none", auth_data, {})
        ),
    )
    WebAuthn.add(user, "Sleutel", {**dict(response), "type": "public-key"})


def totp_code(secret: str = TOTP_SECRET, offset: int = 0) -> str:
    """The code an authenticator app shows now (offset: periods later or earlier)."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


# What the group door's row-level security scope adds to a page's queries inside a test's
# transaction: SAVEPOINT, set_config, set_config back, RELEASE (in production: one set_config).
SCOPE_QUERIES = 4


@dataclass
class World:
    region_a: Region
    region_b: Region
    group_a: Group
    group_a2: Group
    group_b: Group
    coordinator_a: User
    volunteer_a: User
    coordinator_b: User
    volunteer_b: User
    volunteer_a_and_a2: User
    outsider: User  # logged-in user without any membership
    household_a: Household
    person_a: Person
    household_b: Household
    visit_a: Visit | None = None
    follow_up_a: FollowUp | None = None
    signal_a: Signal | None = None
    visit_b: Visit | None = None
    activity_a: "Activity | None" = None
    activity_b: "Activity | None" = None


def make_user(email: str, full_name: str = "", **extra) -> User:
    return User.objects.create_user(email=email, password=PASSWORD, full_name=full_name or email, **extra)


def make_member(user: User, group: Group, role: str = Membership.Role.VOLUNTEER, **extra) -> Membership:
    return Membership.objects.create(user=user, group=group, role=role, **extra)


def build_world() -> World:
    """Two groups in region A (Brugge, Kortrijk) and one in region B (Genk); a coordinator and a
    volunteer in Brugge and in Genk, a volunteer in both Brugge and Kortrijk, a user without any
    membership; one household with a person, a visit, a follow-up, a signal and an activity in
    Brugge, one household with a visit and an activity in Genk. Needs database access and, under
    row-level security, a scope that sees every group (tests/conftest.py sets one)."""
    region_a = Region.objects.create(name="West-Vlaanderen", slug="west-vlaanderen")
    region_b = Region.objects.create(name="Limburg", slug="limburg")
    group_a = Group.objects.create(
        name="Schakel Brugge", slug="brugge", municipality="Brugge", region=region_a
    )
    group_a2 = Group.objects.create(
        name="Schakel Kortrijk", slug="kortrijk", municipality="Kortrijk", region=region_a
    )
    group_b = Group.objects.create(name="Schakel Genk", slug="genk", municipality="Genk", region=region_b)
    w = World(
        region_a=region_a,
        region_b=region_b,
        group_a=group_a,
        group_a2=group_a2,
        group_b=group_b,
        coordinator_a=make_user("coord-a@example.org", "Anna Coördinator"),
        volunteer_a=make_user("vol-a@example.org", "Arne Vrijwilliger"),
        coordinator_b=make_user("coord-b@example.org", "Bea Coördinator"),
        volunteer_b=make_user("vol-b@example.org", "Bram Vrijwilliger"),
        volunteer_a_and_a2=make_user("vol-twee@example.org", "Tine Tweegroepen"),
        outsider=make_user("nobody@example.org", "Niemand"),
        household_a=Household.objects.create(
            group=group_a,
            display_name="Familie Peeters",
            street="Kerkstraat",
            house_number="12",
            postcode="8000",
            municipality="Brugge",
            needs=["housing", "income_debt"],
        ),
        person_a=cast(Person, None),  # created just below, in household_a
        household_b=Household.objects.create(group=group_b, display_name="Familie Janssens", postcode="3600"),
    )
    w.person_a = Person.objects.create(
        group=group_a, household=w.household_a, first_name="Mieke", birth_year=1980
    )
    Person.objects.create(group=group_b, household=w.household_b, first_name="Jos", birth_year=1975)
    make_member(w.coordinator_a, group_a, Membership.Role.COORDINATOR)
    make_member(w.volunteer_a, group_a)
    make_member(w.coordinator_b, group_b, Membership.Role.COORDINATOR)
    make_member(w.volunteer_b, group_b)
    make_member(w.volunteer_a_and_a2, group_a)
    make_member(w.volunteer_a_and_a2, group_a2)
    HouseholdContact.objects.create(group=group_a, household=w.household_a, user=w.volunteer_a)
    w.visit_a = make_visit(
        w.household_a, w.volunteer_a, summary="Gesprek over de huur.", confidential_note="Geheim A"
    )
    w.follow_up_a = FollowUp.objects.create(
        group=group_a,
        household=w.household_a,
        visit=w.visit_a,
        description="Brief OCMW nalezen",
        due_date="2026-01-10",
        assignee=w.volunteer_a,
        created_by=w.volunteer_a,
    )
    w.signal_a = Signal.objects.create(
        group=group_a,
        household=w.household_a,
        visit=w.visit_a,
        institution="ocmw",
        theme="income_debt",
        description="Leefloon te laat uitbetaald.",
        created_by=w.volunteer_a,
    )
    w.visit_b = make_visit(
        w.household_b, w.volunteer_b, summary="Gesprek in Genk.", confidential_note="Geheim B"
    )
    w.activity_a = make_activity(group_a, w.coordinator_a, title="Praatcafé Brugge")
    attend(w.activity_a, w.person_a)
    w.activity_b = make_activity(group_b, w.coordinator_b, title="Kookavond Genk")
    return w


def attend(
    activity: Activity, person: Person, *, helped_organise: bool = False, spoke: bool = False
) -> Attendance:
    """`person` attended `activity`, stored as the service stores it (group, household, date)."""
    return Attendance.objects.create(
        group_id=activity.group_id,
        activity=activity,
        person=person,
        household_id=person.household_id,
        helped_organise=helped_organise,
        spoke=spoke,
        date=timezone.localtime(activity.starts_at).date(),
    )


def make_activity(group: Group, author: User, **fields) -> Activity:
    """An activity of `group` that started yesterday at 19:00 and lasted two hours."""
    starts_at = fields.pop("starts_at", None) or timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=1), time(19))
    )
    fields.setdefault("kind", "meeting")
    fields.setdefault("title", "Praatcafé")
    return Activity.objects.create(
        group=group, created_by=author, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), **fields
    )


def make_visit(household: Household, author: User, *others: User, **fields) -> Visit:
    visit = Visit.objects.create(group=household.group, household=household, author=author, **fields)
    for user in (author, *others):
        VisitVolunteer.objects.create(group=household.group, visit=visit, user=user)
    return visit


class BrowserClient(Client):
    """Django's test client, sending a form as a browser sends one without a file input: its
    fields URL-encoded (`application/x-www-form-urlencoded`), where Django's client sends every
    POST as `multipart/form-data`. The view gets the same `request.POST` (lists for repeated
    names, as `urlencode(..., doseq=True)` writes them), without Django's multipart parser
    (about a millisecond of CPU per POST, on some 700 POSTs a run). A POST with a file, or with a
    content type of its own, goes as Django's client sends it."""

    def post(self, path, data=None, content_type=MULTIPART_CONTENT, *args, **kwargs):
        files = isinstance(data, dict) and any(hasattr(value, "read") for value in data.values())
        if content_type == MULTIPART_CONTENT and isinstance(data, dict) and not files:
            data, content_type = urlencode(data, doseq=True), "application/x-www-form-urlencoded"
        return super().post(path, data, content_type, *args, **kwargs)


def client_for(user: User | None) -> Client:
    """A client logged in as `user`, who has finished setting up their account: someone who
    must have MFA has it (accounts.services.requires_mfa). Tests of the MFA set-up itself use
    a plain Client."""
    from accounts.services import requires_mfa

    client = BrowserClient()
    if user is not None:
        must_have_mfa = requires_mfa(user)
        if must_have_mfa:
            give_mfa(user)
        log_in(client, user, mfa_checked=must_have_mfa)
    return client


def log_in(client: Client, user: User, *, mfa_checked: bool = False) -> None:
    """What `client.force_login(user)` and a first page leave behind: a session of `user` in the
    database, with the keys Django's `login()` writes, the moment it was last used (the idle
    timeout's, accounts.middleware) and, with `mfa_checked`, that the user's second factor was
    seen; and its cookie on `client`. In one query (an INSERT of the session under a new random
    key) instead of sixteen (Django's way first saves an empty session, then cycles its key,
    deletes the old one and updates `last_login`) and the first page's write of those two keys,
    on each of the thousand-odd logins of a test run. Tests of logging in itself go through the
    login page."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.base import VALID_KEY_CHARS
    from django.utils.crypto import get_random_string

    from accounts.middleware import LAST_SEEN_KEY, MFA_OK_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    data = {
        SESSION_KEY: user._meta.pk.value_to_string(user),
        BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],  # ModelBackend, as force_login
        HASH_SESSION_KEY: user.get_session_auth_hash(),
        LAST_SEEN_KEY: int(timezone.now().timestamp()),
        **({MFA_OK_KEY: True} if mfa_checked else {}),
    }
    session.update(data)  # no query: a session without a key starts empty
    if hasattr(session, "create_model_instance"):  # sessions in the database (settings.py)
        # A new key as Django's would be, without its query for a key in use (32 random
        # characters do not collide).
        session._session_key = get_random_string(32, VALID_KEY_CHARS)
        session.create_model_instance(data).save(force_insert=True)
    else:
        session.save()
    key = session.session_key
    assert key is not None  # saved just above
    # The session cookie: the test client sends every cookie it holds, whatever its attributes.
    client.cookies[settings.SESSION_COOKIE_NAME] = key


# --- Running manage.py as an operator would, with settings from the environment -------------

ROOT = Path(__file__).resolve().parent.parent

# Where no server answers (port 1): a case that needs none must not try.
NO_DATABASE = "postgres://nobody@127.0.0.1:1/no_database_needed"

PRODUCTION_ENV = {
    "DEBUG": "0",
    # Made fresh for each run, as an operator would: long and random.
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "welzijn.example.be",
    "DATABASE_URL": NO_DATABASE,
    "EMAIL_HOST": "smtp.example.be",
}


def url_of_the_test_database() -> str:
    """The URL of the test database this run created (pytest-django's), for a program the test
    starts; needs `django_db_setup` to have run."""
    from django.db import connection

    db = connection.settings_dict
    login = quote(db["USER"], safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    host = quote(db["HOST"] or "localhost", safe="")  # a socket directory travels percent-encoded
    return f"postgres://{login}@{host}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run `manage.py *args` in a new process with `env` over this process's environment, less
    the variables the tests set (DEBUG, SECRET_KEY, …) and any database settings: the caller
    gives its own (`PRODUCTION_ENV`, or the `production_env` fixture when the command connects).
    Returns the finished process with its output as text; never raises on a failing command.
    A new Python with Django's apps started costs about a second of CPU: use it when the
    program itself is the point, `read_settings` when what the settings make of `env` is."""
    return _run([sys.executable, "manage.py", *args], env)


def read_settings(env: dict[str, str]) -> dict[str, Any]:
    """What welzijn/settings.py makes of `env` (over this process's environment as `manage`
    gives it to a program): the file executed anew in this process, its upper-case names and
    values. Django's own settings and this process's environment are left as they were.
    Raises what settings.py raises: ImproperlyConfigured for a bad value."""
    with _environment(env):
        namespace = runpy.run_path(str(ROOT / "welzijn" / "settings.py"), run_name="welzijn.settings_read")
    return {name: value for name, value in namespace.items() if name.isupper()}


# Set by the tests (pyproject.toml) or for the test database: never passed on to a program.
_INHERITED = {"DEBUG", "SECRET_KEY", "SECURE_SSL_REDIRECT", "DATABASE_URL", "MIGRATE_DATABASE_URL"}


def _program_environment(env: dict[str, str]) -> dict[str, str]:
    """This process's environment less the tests' own variables and any database settings,
    with `env` over it."""
    clean = {k: v for k, v in os.environ.items() if k not in _INHERITED and not k.startswith("DATABASE_")}
    return {**clean, **env}


@contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    """Inside: os.environ as `_program_environment(env)`; afterwards as before. Only the
    variables that differ are set or removed (the PG* variables a connection may read at any
    moment stay as they are)."""
    saved = dict(os.environ)
    wanted = _program_environment(env)
    try:
        for name in saved.keys() - wanted.keys():
            del os.environ[name]
        os.environ.update({k: v for k, v in wanted.items() if saved.get(k) != v})
        yield
    finally:
        for name in os.environ.keys() - saved.keys():
            del os.environ[name]
        os.environ.update({k: v for k, v in saved.items() if os.environ.get(k) != v})


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own code with fixed arguments
        command,
        cwd=ROOT,
        env=_program_environment(env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def assert_safe(total: object, parts: list[object], what: str) -> None:
    """Small-cell protection holds for a total and the parts it adds up from: a hidden part is
    not given away by the total and the other parts (the total is hidden too, or two or more
    parts are). `what` names the figure in the failure message."""
    if HIDDEN in parts:
        assert total == HIDDEN or parts.count(HIDDEN) >= 2, (
            f"{what}: {total} = {parts} gives a hidden cell away"
        )


# --- Every row of many tables, compared before and after --------------------------------


def rows_of(selections: list[tuple[type[Model], str, list]]) -> dict[str, list[str]]:
    """For each `(model, condition, params)`: the rows of the model's table that meet the SQL
    `condition` (the table is `t`; `%s` from `params`; "" for every row), each as PostgreSQL's
    text of the whole row, every column, in primary key order. One query for all of them;
    returns `{model label: [row text, …]}`. What a test compares before and after a request
    to prove that nothing of it changed."""
    from django.db import connection

    quote = connection.ops.quote_name
    selects, args = [], []
    for model, condition, params in selections:
        pk = model._meta.pk.column
        assert pk is not None  # every model of ours has a primary key column
        table = quote(model._meta.db_table)
        where = f"WHERE {condition}" if condition else ""
        selects.append(f"SELECT %s, ARRAY(SELECT t::text FROM {table} t {where} ORDER BY t.{quote(pk)})")  # noqa: S608
        args += [model._meta.label_lower, *params]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), args)
        return dict(cursor.fetchall())
