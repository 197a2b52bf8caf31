"""Activities in the admin: to look up, not to change. Attendance is a family's data and is not
shown here; changes go through the app, which writes the access log."""

from django.contrib import admin

from activities.models import Activity, ActivitySeries
from welzijn.admin import ReadOnlyAdminMixin


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "group"]
    list_filter = ["kind", "group__region"]
    search_fields = ["title", "group__name"]
    list_select_related = ["group"]
    date_hierarchy = "starts_at"
    fields = [
        "group",
        "series",
        "kind",
        "title",
        "starts_at",
        "ends_at",
        "place",
        "themes",
        "unregistered_count",
    ]


@admin.register(ActivitySeries)
class ActivitySeriesAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "frequency", "first_date", "last_date", "group"]
    list_select_related = ["group"]
    search_fields = ["title", "group__name"]
