"""Superusers see households and persons in the admin; each read is logged like any other.

A superuser is not a back door: opening a household, or a list that shows households, writes
to the same access log that coordinators read. The admin only shows: changes go through the
app, where they are checked (group, roles, lost updates) and logged.
"""

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from households import log_fields, services
from households.models import AccessLogEntry, Consent, Household, Person
from welzijn.admin import ReadOnlyAdminMixin

Action = AccessLogEntry.Action


class PersonInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Person
    fields = ["first_name", "last_name", "birth_year", "role"]
    extra = 0


class ConsentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Consent
    fields = ["status", "date", "method", "purpose", "recorded_by"]
    extra = 0


if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin[Any]  # what the mixin is mixed into
else:
    _ModelAdmin = object


class LoggedReadsMixin(ReadOnlyAdminMixin, _ModelAdmin):
    """Log a view for each household shown in the change list, and for each detail page.

    The admin's other doors to family data are shut: no autocomplete search, no history page,
    no "view on site" redirect (it would tell which group holds a household)."""

    view_on_site = False

    def household_of(self, obj) -> Household:
        raise NotImplementedError

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            households = {self.household_of(obj).pk: self.household_of(obj) for obj in changelist.result_list}
            services.log_bulk_view(
                user=request.user, households=households.values(), action=Action.ADMIN_VIEW
            )
        return response

    def get_search_results(self, request, queryset, search_term):
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)

    def history_view(self, request, object_id, extra_context=None):
        raise PermissionDenied

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = getattr(response, "context_data", {}).get("original")
        if obj is not None:
            services.log_access(user=request.user, household=self.household_of(obj), action=Action.ADMIN_VIEW)
        return response


@admin.register(Household)
class HouseholdAdmin(LoggedReadsMixin, admin.ModelAdmin):
    list_display = ["display_name", "group", "municipality", "status", "updated_at"]
    list_filter = ["status", "group__region", "group"]
    search_fields = ["display_name", "street", "municipality"]
    list_select_related = ["group"]
    exclude = ["contact_volunteers"]
    inlines = [PersonInline, ConsentInline]

    def household_of(self, obj: Household) -> Household:
        return obj


@admin.register(Person)
class PersonAdmin(LoggedReadsMixin, admin.ModelAdmin):
    list_display = ["first_name", "last_name", "birth_year", "role", "household", "group"]
    list_filter = ["role", "group"]
    search_fields = ["first_name", "last_name", "household__display_name"]
    list_select_related = ["household", "group"]

    def household_of(self, obj: Person) -> Household:
        return obj.household


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # Household ids, not names: reading the log is no way around logging reads of families.
    list_display = ["at", "user", "group", "household_id", "action", "fields_in_words"]
    list_filter = ["action", "group"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user", "group"]
    date_hierarchy = "at"
    exclude = ["household"]
    readonly_fields = [
        "at",
        "user",
        "group",
        "household_id",
        "action",
        "fields_in_words",
        "person_id",
        "visit_id",
    ]

    @admin.display(description=_("velden"))
    def fields_in_words(self, obj: AccessLogEntry) -> str:
        """The fields in words, as on the group's access-log page (households.log_fields)."""
        if not hasattr(obj, "field_words"):
            log_fields.describe([obj])
        return ", ".join(obj.field_labels())

    def get_changelist(self, request, **kwargs):
        class DescribedChangeList(super().get_changelist(request, **kwargs)):  # type: ignore[misc]
            # The records the rows refer to are named for the whole page at once.
            def get_results(self, request) -> None:
                super().get_results(request)
                self.result_list = log_fields.describe(self.result_list)  # type: ignore[has-type]

        return DescribedChangeList

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser
