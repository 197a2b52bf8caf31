"""Per-request account safety: headers that keep family data out of caches, the idle
timeout, and MFA for everyone who must have it.

Order in settings.MIDDLEWARE: after AuthenticationMiddleware and allauth's AccountMiddleware.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_out
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts import services

LAST_SEEN_KEY = "welzijn_last_seen"
MFA_OK_KEY = "welzijn_mfa_ok"
# How often (seconds) the idle clock is written to the session: not on every request.
LAST_SEEN_RESOLUTION = 60

# Pages a user who must set up MFA may still open: allauth's own pages (login, logout, the
# MFA set-up itself, password change), static files, the language switch and the probes.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz", "/csp-report/", "/invitations/")


@receiver(user_logged_out)
def _mark_deliberate_logout(sender, request: HttpRequest | None, **kwargs) -> None:
    if request is not None and not getattr(request, "welzijn_idle_logout", False):
        request.welzijn_logged_out = True  # type: ignore[attr-defined]


class SecurityHeadersMiddleware:
    """Every response: Permissions-Policy and Cross-Origin-Resource-Policy.

    A response to a logged-in user: `Cache-Control: no-store, private`, so that Back after
    logging out (the back/forward cache), a shared proxy or the disk cache never shows a
    family's page again. A deliberate logout, by any way out (the header button, allauth's
    logout page, the admin's logout, "log out everywhere"): `Clear-Site-Data` for the cache
    and the storage, which removes the drafts kept in localStorage.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        was_authenticated = request.user.is_authenticated
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if was_authenticated or request.user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
            response.headers.pop("Expires", None)
        if getattr(request, "welzijn_logged_out", False):
            response["Clear-Site-Data"] = '"cache", "storage"'
        return response


class IdleTimeoutMiddleware:
    """Log out a session that has been idle longer than settings.SESSION_IDLE_TIMEOUT.

    The absolute lifetime (SESSION_COOKIE_AGE) still applies. Drafts are not cleared here:
    someone whose session ran out gets their draft back after logging in again.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - int(last_seen) > settings.SESSION_IDLE_TIMEOUT:
                request.welzijn_idle_logout = True  # type: ignore[attr-defined]
                logout(request)
                messages.info(request, _("Je was een tijd niet actief en bent afgemeld. Log opnieuw in."))
                return redirect_to_login(request.get_full_path())
            if last_seen is None or now - int(last_seen) >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class RequireMFAMiddleware:
    """Coordinators, regional staff, Django staff and superusers without a second factor are
    sent to set one up before any other page opens (group, staff or admin pages alike).

    Once the user has MFA the session remembers it, so the check costs no query afterwards;
    resetting someone's MFA logs them out everywhere, so no session keeps a stale "yes".
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.session.get(MFA_OK_KEY)
            and not request.path_info.startswith(MFA_EXEMPT_PREFIXES)
        ):
            status = services.mfa_status(user)  # one query
            if status.has:
                request.session[MFA_OK_KEY] = True
            elif status.required:
                if request.method == "GET":
                    messages.info(
                        request,
                        _("Voor jouw rol is tweestapsverificatie verplicht. Stel ze nu eerst in."),
                    )
                return redirect("mfa_activate_totp")
        return self.get_response(request)


def forget_mfa_ok(request: HttpRequest) -> None:
    """Called when an authenticator is removed: check again on the next request."""
    request.session.pop(MFA_OK_KEY, None)
