import json
import logging

from allauth.core.internal import ratelimit
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.webauthn.views import RemoveWebAuthnView
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.access import AuthenticatedRequest
from accounts.selectors import account_standing

logger = logging.getLogger("welzijn.csp")

CSP_REPORT_MAX_BYTES = 8 * 1024
# Only these fields of a report are logged; query strings are cut off (they may hold a search).
CSP_FIELDS = ("violated-directive", "effective-directive", "blocked-uri", "document-uri", "source-file")


def no_email_management(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """allauth's own e-mail page, switched off: nobody changes their login address themselves
    (an admin does, see accounts/admin.py). 404 for every method and action."""
    raise Http404("E-mail addresses are managed by an admin.")


def admin_login(request: HttpRequest, extra_context=None) -> HttpResponse:
    """The admin's login page is allauth's, with its rate limits and MFA: no side door."""
    return redirect_to_login(request.GET.get("next") or "/admin/")


@login_required
@require_http_methods(["GET"])
def security(request: AuthenticatedRequest) -> HttpResponse:
    """The user's own security page: MFA status and "log out on all devices", a way back to the
    user's group, and whom to ask about their login address (which depends on their role)."""
    status = services.mfa_status(request.user)
    return render(
        request,
        "accounts/security.html",
        {"has_mfa": status.has, "requires_mfa": status.required, "standing": account_standing(request.user)},
    )


@login_required
@require_POST
def logout_everywhere(request: AuthenticatedRequest) -> HttpResponse:
    services.log_out_everywhere(user=request.user, actor=request.user, context="self")
    logout(request)
    messages.success(request, _("Je bent afgemeld op al je toestellen."))
    return redirect("account_login")


def _strip_query(value: object) -> str:
    text = str(value)[:300]
    return text.split("?", 1)[0].split("#", 1)[0]


@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Browsers post Content-Security-Policy violations here. Logged (directive and addresses
    without their query string, never page content), at most 20 per minute per client."""
    if not ratelimit.consume(request, app="welzijn", action="csp_report", config={"csp_report": "20/m/ip"}):
        return HttpResponse(status=429)
    body = request.body[:CSP_REPORT_MAX_BYTES] if len(request.body) <= CSP_REPORT_MAX_BYTES else b""
    try:
        report = json.loads(body or b"{}").get("csp-report", {})
    except (ValueError, AttributeError):
        report = {}
    if isinstance(report, dict) and report:
        logger.warning(
            "CSP violation: %s",
            " ".join(f"{field}={_strip_query(report.get(field, ''))}" for field in CSP_FIELDS),
        )
    return HttpResponse(status=204)


class RemoveSecurityKeyView(RemoveWebAuthnView):
    """allauth's page to remove a security key, with the rule its other removals keep: who must
    have a second factor keeps their last one (`WelzijnMFAAdapter.can_delete_authenticator`).
    allauth's own view never asks, so a coordinator who had turned off the app could remove
    their only key and be back to a password alone. Refused: nothing is deleted, the key list
    says why."""

    def form_valid(self, form) -> HttpResponse:
        if not get_mfa_adapter().can_delete_authenticator(self.get_object()):
            messages.error(
                self.request,
                _("Dit is je laatste manier om in te loggen met een code: voor jouw rol moet die blijven."),
            )
            return redirect("mfa_list_webauthn")
        return super().form_valid(form)


remove_security_key = RemoveSecurityKeyView.as_view()
