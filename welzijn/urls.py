from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts import views as account_views
from groups import views as group_views
from welzijn import views

handler500 = "welzijn.outage.server_error"

admin.site.site_header = _("Welzijn – beheer")
admin.site.site_title = _("Welzijn – beheer")
admin.site.index_title = _("Beheer")
# The admin logs in through allauth: the same rate limits and MFA as the app.
admin.site.login = account_views.admin_login  # type: ignore[method-assign]

urlpatterns = [
    path("", group_views.choose_group, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Before allauth's URLs: its e-mail management page is switched off (every action).
    path("accounts/email/", account_views.no_email_management, name="account_email"),
    # allauth's removal of a security key, with the last-second-factor rule its other removals keep.
    path(
        "accounts/2fa/webauthn/keys/<int:pk>/remove/",
        account_views.remove_security_key,
        name="mfa_remove_webauthn",
    ),
    path("accounts/", include("allauth.urls")),
    path("security/", include("accounts.urls")),
    path("csp-report/", account_views.csp_report, name="csp_report"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("invitations/<str:token>/", group_views.invitation_accept, name="invitation_accept"),
    path("g/<slug:slug>/", include("reports.urls")),
    path("g/<slug:slug>/", include("groups.urls")),
    path("g/<slug:slug>/", include("households.urls")),
    path("g/<slug:slug>/", include("visits.urls")),
    path("g/<slug:slug>/", include("privacy.urls")),
    path("g/<slug:slug>/", include("activities.urls")),
    path("staff/", include("reports.staff_urls")),
    path("admin/", admin.site.urls),
]
