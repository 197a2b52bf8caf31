from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from groups import views as group_views
from welzijn import views

admin.site.site_header = _("Welzijn – beheer")
admin.site.site_title = _("Welzijn – beheer")
admin.site.index_title = _("Beheer")

urlpatterns = [
    path("", group_views.choose_group, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("invitations/<str:token>/", group_views.invitation_accept, name="invitation_accept"),
    path("g/<slug:slug>/", include("reports.urls")),
    path("g/<slug:slug>/", include("groups.urls")),
    path("g/<slug:slug>/", include("households.urls")),
    path("g/<slug:slug>/", include("visits.urls")),
    path("g/<slug:slug>/", include("activities.urls")),
    path("staff/", include("reports.staff_urls")),
    path("admin/", admin.site.urls),
]
