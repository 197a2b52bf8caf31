"""Settings for Welzijn: one file, every deployment-specific value from the environment.

See docs/configuration.md for the list of variables. DEBUG defaults to off, so a missing
variable in production can never switch on development behaviour.
"""

import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from welzijn.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

if DEBUG:
    # Only ever used on a developer's machine: DEBUG is off unless someone turns it on.
    SECRET_KEY = env_str("SECRET_KEY", default="django-insecure-development-only-key-not-for-production")
else:
    SECRET_KEY = env_str("SECRET_KEY")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "rls.apps.ScopedAdminConfig",  # django.contrib.admin, its site under row-level security
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",  # allauth's passkey list uses it
    "rls",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "accounts",
    "groups",
    "households",
    "visits",
    "activities",
    "reports",
    "privacy",
    "django_tasks_db",
    "demo",
    "writes",
]

MIDDLEWARE = [
    "welzijn.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "welzijn.outage.DatabaseOutageMiddleware",
    # With a read replica: after a change, this browser's reports read the primary (rls/replica.py).
    "rls.replica.StickyAfterWriteMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After authentication and allauth: they read request.user and the session.
    "accounts.middleware.SecurityHeadersMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "accounts.middleware.RequireMFAMiddleware",
    # Last, so that CSRF, login and MFA are checked first: a repeated POST is answered, not run twice.
    "writes.resubmission.ResubmissionMiddleware",
]

ROOT_URLCONF = "welzijn.urls"
WSGI_APPLICATION = "welzijn.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "writes.context_processors.drafts",
            ],
        },
    },
]

# Forms render through Django's Jinja2 copies of its own form templates: the same markup in about
# half the time (welzijn/form_renderer.py, docs/architecture.md "Rendering forms").
FORM_RENDERER = "welzijn.form_renderer.FormRenderer"

# --- Database --------------------------------------------------------------------------


def _parse_database(variable: str, url: str) -> dict:
    """`url` (the value of the environment variable `variable`) as Django's database settings.
    Raises ImproperlyConfigured for a URL that is not valid or not PostgreSQL."""
    try:
        database = dj_database_url.parse(url)
    except ValueError as exc:
        raise ImproperlyConfigured(f"Environment variable {variable} is not a valid URL: {exc}") from None
    if not database.get("ENGINE", "").endswith("postgresql"):
        raise ImproperlyConfigured(
            f"Environment variable {variable} must point to PostgreSQL (postgres://…)."
        )
    return dict(database)


def _connect_like_the_app(database: dict) -> dict:
    """The connection settings every connection of the app shares (the primary's and the
    replica's): timeouts, health checks and the pool, added to the options given in the URL."""
    database["CONN_MAX_AGE"] = 0  # the pool below keeps connections; Django requires 0 with it
    # The pool checks a connection before lending it: after an outage, broken ones are replaced.
    database["CONN_HEALTH_CHECKS"] = True
    # Behind PgBouncer in transaction mode a cursor cannot outlive its transaction: Django then
    # needs client-side cursors for `.iterator()` (docs/deploy.md "Past one machine").
    database["DISABLE_SERVER_SIDE_CURSORS"] = not env_bool("DB_SERVER_SIDE_CURSORS", default=True)
    # Per connection, so that one runaway query or lock wait cannot hold a worker (0 switches off).
    url_options = database.get("OPTIONS", {})
    server_options = " ".join(
        [
            url_options.get("options", ""),
            f"-c statement_timeout={env_int('DB_STATEMENT_TIMEOUT', 30)}s",
            f"-c lock_timeout={env_int('DB_LOCK_TIMEOUT', 10)}s",
        ]
    ).strip()
    # Keep options given in the URL (e.g. ?sslmode=require) and add the timeouts and the pool.
    database["OPTIONS"] = {
        **url_options,
        "options": server_options,
        "connect_timeout": env_int("DB_CONNECT_TIMEOUT", 2),
        "pool": {
            "min_size": env_int("DB_POOL_MIN_SIZE", 1),
            "max_size": env_int("DB_POOL_MAX_SIZE", 10),
            # While the database is away, a page waits this long, then gets the 503 page.
            "timeout": env_int("DB_POOL_TIMEOUT", 1),
            # Give up a reconnection cycle after 2 s (psycopg's default: 5 minutes of ever longer
            # pauses); the next request starts a new one, so the app is back within about a second
            # of the database.
            "reconnect_timeout": 2,
        }
        if env_bool("DB_POOL", default=True)
        else False,
    }
    return database


_database = _connect_like_the_app(
    _parse_database(
        "DATABASE_URL", env_str("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/welzijn")
    )
)
# The app connects as a role that owns nothing; the migration role owns the schema and runs the
# release steps (rls/roles.py, docs/deploy.md "Database roles"). With MIGRATE_DATABASE_URL
# set, DATABASE_URL logs in as the app role itself. Without it (a development machine, one
# superuser URL), both use DATABASE_URL's login and the app switches to its role (SET ROLE):
# the app never runs as the owner, nor as a superuser, by accident.
_migrate_url = env_str("MIGRATE_DATABASE_URL", default="")
if _migrate_url:
    _migration = _parse_database("MIGRATE_DATABASE_URL", _migrate_url)
    if (_migration["NAME"], _migration.get("HOST"), _migration.get("PORT")) != (
        _database["NAME"],
        _database.get("HOST"),
        _database.get("PORT"),
    ):
        raise ImproperlyConfigured("MIGRATE_DATABASE_URL must point to the same database as DATABASE_URL.")
else:
    _migration = {**_database}
_migration["OPTIONS"] = {**_migration.get("OPTIONS", {}), "pool": False}
DATABASE_APP_ROLE = env_str(
    "DATABASE_APP_ROLE",
    default=_database["USER"] if _migrate_url else f"{_database['NAME']}_app",
)
if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", DATABASE_APP_ROLE):
    raise ImproperlyConfigured(
        f"The app's database role {DATABASE_APP_ROLE!r} is not a plain lower-case SQL name: "
        "set DATABASE_APP_ROLE (docs/configuration.md)."
    )
DATABASE_APP_ROLE_BY_SET_ROLE = _database.get("USER") != DATABASE_APP_ROLE


def _as_app_role(database: dict) -> None:
    """A login other than the app role switches to it (SET ROLE at connection start, libpq's
    `options`): also for connections the pool opens."""
    if database.get("USER") != DATABASE_APP_ROLE:
        options = database["OPTIONS"].get("options", "")
        database["OPTIONS"]["options"] = f"{options} -c role={DATABASE_APP_ROLE}".strip()


_as_app_role(_database)
MIGRATION_DATABASE = _migration
DATABASES = {"default": _database}
# A read replica of the same database (streaming replication, a managed database's read
# replica): the yearly and signals reports and the staff figures read from it, everything else
# (every write, and the reads of a user who just changed something) stays on `default`
# (rls/replica.py, docs/deploy.md "Past one machine"). Same app role, same pool settings;
# in tests it mirrors `default` (Django's TEST MIRROR). Migrations never run on it.
_replica_url = env_str("DATABASE_REPLICA_URL", default="")
if _replica_url:
    _replica = _connect_like_the_app(_parse_database("DATABASE_REPLICA_URL", _replica_url))
    _as_app_role(_replica)
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
DATABASE_ROUTERS = ["rls.replica.ReplicaRouter"]
# Seconds after a user's last change (a POST, PUT, PATCH or DELETE) during which their report
# pages still read the primary: they see what they just did, whatever the replica's lag.
DATABASE_REPLICA_STICKY_SECONDS = env_int("DATABASE_REPLICA_STICKY_SECONDS", 30)
if DATABASE_REPLICA_STICKY_SECONDS < 0:
    raise ImproperlyConfigured("Environment variable DATABASE_REPLICA_STICKY_SECONDS must be 0 or more.")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions and cache both live in PostgreSQL: one server to run, back up and reason about.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
# Logged out after this many seconds without a request, whatever SESSION_COOKIE_AGE says.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 60 * 60 * 2)
if SESSION_IDLE_TIMEOUT < 60:
    raise ImproperlyConfigured("Environment variable SESSION_IDLE_TIMEOUT must be at least 60 (seconds).")
# Flash messages can name a family ("Familie Peeters is gesloten"): keep them in the session,
# on the server, never in a cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Background work and retention (docs/privacy.md, docs/deploy.md) ---------------------
# Django's tasks framework with django-tasks-db: jobs are rows in PostgreSQL, run by
# `manage.py db_worker`; no other server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Months after closing before a household is anonymised (GDPR art. 5(1)(e)); groups may choose
# shorter, down to RETENTION_MIN_MONTHS.
RETENTION_MONTHS = env_int("RETENTION_MONTHS", 24)
RETENTION_MIN_MONTHS = 3
if not RETENTION_MIN_MONTHS <= RETENTION_MONTHS <= 120:
    raise ImproperlyConfigured("Environment variable RETENTION_MONTHS must be between 3 and 120.")
# Seconds the staff's regional and national figures are kept in the cache before they are
# counted again (reports.staff_figures.staff_area_figures); 0 counts them on every request.
STAFF_FIGURES_MAX_AGE = env_int("STAFF_FIGURES_MAX_AGE", 600)
if not 0 <= STAFF_FIGURES_MAX_AGE <= 60 * 60:
    raise ImproperlyConfigured("Environment variable STAFF_FIGURES_MAX_AGE must be between 0 and 3600.")
# Years the access log is kept; the database refuses to purge anything younger than one year.
ACCESS_LOG_RETENTION_YEARS = env_int("ACCESS_LOG_RETENTION_YEARS", 5)
if not 1 <= ACCESS_LOG_RETENTION_YEARS <= 30:
    raise ImproperlyConfigured("Environment variable ACCESS_LOG_RETENTION_YEARS must be between 1 and 30.")

# --- Accounts --------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "accounts.adapter.InviteOnlyAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_UNIQUE_EMAIL = True
# People are invited by a coordinator who knows their address; there is no sign-up to verify.
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Welzijn] "
# Nobody changes their own login address: allauth's e-mail page is switched off in
# welzijn/urls.py, an admin changes an address (accounts/admin.py).
ACCOUNT_CHANGE_EMAIL = False
# Password resets and login codes go only to the account's own (verified) login address; the
# password forms build their rules' help text once (accounts/forms.py).
ACCOUNT_FORMS = {
    "reset_password": "accounts.forms.VerifiedResetPasswordForm",
    "request_login_code": "accounts.forms.VerifiedRequestLoginCodeForm",
    "change_password": "accounts.forms.WelzijnChangePasswordForm",
    "set_password": "accounts.forms.WelzijnSetPasswordForm",
}
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Behind the reverse proxy every request comes from 127.0.0.1: without these, allauth's rate
# limits would count all clients as one. See docs/deploy.md.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env_str("TRUSTED_CLIENT_IP_HEADER", default="") or None
if ALLAUTH_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("Environment variable TRUSTED_PROXY_COUNT must be 0 or more.")
# allauth's defaults, spelled out so that nobody switches them off by accident.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "request_login_code": "20/m/ip,3/m/key",
    "change_password": "5/m/user",
}

# Multi-factor authentication: required for coordinators, regional staff and Django staff
# (accounts.middleware.RequireMFAMiddleware), optional for volunteers.
MFA_ADAPTER = "accounts.adapter.WelzijnMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "Welzijn"
MFA_TOTP_TOLERANCE = 1  # one period either side: old phones' clocks drift
# Wrong codes count against allauth's "login_failed" limit above (per account and per client).
# Passkeys need https; on a developer's machine (DEBUG) allow http://localhost.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# The code step at login offers a security key only to who has one (templates/mfa/authenticate.html).
MFA_FORMS = {
    "authenticate_webauthn": "accounts.forms.WelzijnAuthenticateWebAuthnForm",
    # The key's name labelled in words (allauth's field has no label: "Name" in English).
    "add_webauthn": "accounts.forms.WelzijnAddWebAuthnForm",
    "edit_webauthn": "accounts.forms.WelzijnEditWebAuthnForm",
}

# --- Internationalisation --------------------------------------------------------------
LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl-be", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "welzijn.storage.StaticStorage"},
}

# --- E-mail ----------------------------------------------------------------------------
# Django 6.1's MAILERS replaces the EMAIL_* settings. Development prints mail to the console.
EMAIL_BACKEND_PATH = env_str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", default="localhost"),
            "port": env_int("EMAIL_PORT", 587),
            "username": env_str("EMAIL_HOST_USER", default=""),
            "password": env_str("EMAIL_HOST_PASSWORD", default=""),
            "use_tls": env_bool("EMAIL_USE_TLS", default=True),
            "timeout": 20,
        }
        if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="Welzijn <noreply@welzijnsschakels.be>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security --------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "report-uri": ["/csp-report/"],
}
# Features no page of Welzijn uses, switched off for every page (and any injected script).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=(), "
    "publickey-credentials-get=(self), publickey-credentials-create=(self)"
)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
# The app runs behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)

ADMINS = env_list("ADMINS", default=[])

# Every line carries the request id; tracebacks and error reports leave out exception
# messages, request values and local variables: they may hold family data (welzijn/logs.py).
DEFAULT_EXCEPTION_REPORTER = "welzijn.logs.PrivateExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "welzijn.logs.PrivateExceptionReporterFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "welzijn.logs.RequestIdFilter"},
        "strip_query_string": {"()": "welzijn.logs.StripQueryString"},
    },
    "formatters": {
        "private": {
            "()": "welzijn.logs.PrivateFormatter",
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "private", "filters": ["request_id"]},
    },
    "loggers": {
        # SQL with its parameters (values typed by users) is never logged, whatever LOG_LEVEL.
        "django.db.backends": {"level": "INFO"},
        "django.server": {"handlers": ["console"], "filters": ["strip_query_string"], "propagate": False},
    },
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"]),
    },
}
