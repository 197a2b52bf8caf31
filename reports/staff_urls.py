from django.urls import path

from reports import (
    converters,  # noqa: F401 - registers the "fmt" path converter
    staff_views,
)

app_name = "staff"

# Regional and national figures for Django staff: aggregates only, small cells suppressed.
urlpatterns = [
    path("", staff_views.national_overview, name="national"),
    path("regions/<slug:region>/", staff_views.region_overview, name="region"),
    path("signals/", staff_views.national_signals, name="signals"),
    path("signals/export.<fmt:fmt>", staff_views.national_signals, name="signals_export"),
]
