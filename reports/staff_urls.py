from django.urls import path

from reports import (
    converters,  # noqa: F401 - registers the "fmt" path converter
    views,
)

app_name = "staff"

# Regional and national figures for Django staff: aggregates only, small cells suppressed.
urlpatterns = [
    path("", views.national_overview, name="national"),
    path("regions/<slug:region>/", views.region_overview, name="region"),
    path("signals/", views.national_signals, name="signals"),
    path("signals/export.<fmt:fmt>", views.national_signals, name="signals_export"),
]
