"""Activities in the admin: to look up, not to change. Attendance is a family's data and is not
shown here; changes go through the app, which writes the access log."""

from django.contrib import admin

from activities.models import Activity, ActivitySeries


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
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
class ActivitySeriesAdmin(ReadOnlyAdmin):
    list_display = ["title", "frequency", "first_date", "last_date", "group"]
    list_select_related = ["group"]
    search_fields = ["title", "group__name"]
