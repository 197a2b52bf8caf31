"""The yardstick for `bench/load.py`: the cheapest logged-in Django page there can be.

One module is the settings, the URL conf and the view: sessions and the user come from the
same PostgreSQL database as Welzijn (same `SECRET_KEY`, so Welzijn's session cookie works here
too), and the page renders a small template. Nothing of Welzijn's own middleware, context or
templates: what Welzijn's lightest page costs beyond this is Welzijn's own cost.

    gunicorn --chdir bench bare_site:application
"""

import os
import sys
from pathlib import Path

import dj_database_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = __name__
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    # Only so that Welzijn's user model loads (its app imports allauth's models); no allauth
    # middleware, URL or template takes part in the bare page.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "accounts",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # allauth refuses to start without it; it does no query on a plain GET.
    "allauth.account.middleware.AccountMiddleware",
]
AUTH_USER_MODEL = "accounts.User"
SESSION_ENGINE = "django.contrib.sessions.backends.db"
DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["OPTIONS"] = {"pool": {"min_size": 1, "max_size": 4}}
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [], "OPTIONS": {}}]
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

os.environ["DJANGO_SETTINGS_MODULE"] = __name__

from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

application = get_wsgi_application()

PAGE = engines["django"].from_string(
    "<!doctype html><html lang='nl'><head><title>Bare</title></head>"
    "<body><h1>Dag {{ user.email }}</h1><p>{{ user.full_name }}</p></body></html>"
)


def page(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    return HttpResponse(PAGE.render({"user": request.user}, request))


urlpatterns = [path("", page)]
