from django.urls import path

from reports import (
    converters,  # noqa: F401 - registers the "fmt" path converter
    views,
)

app_name = "reports"

# Included under g/<slug:slug>/: every view goes through groups.access.group_view.
urlpatterns = [
    path("", views.group_home, name="home"),
    path("report/", views.yearly_report, name="report"),
    path("report/export.<fmt:fmt>", views.yearly_report_export, name="report_export"),
    path("signals/report/", views.signals_report, name="signals_report"),
    path("signals/report/export.<fmt:fmt>", views.signals_report_export, name="signals_report_export"),
]
