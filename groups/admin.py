from django.contrib import admin
from django.contrib.auth.models import Group as PermissionGroup

from accounts.admin import UserAdmin
from accounts.models import User
from groups.models import Group, Invitation, Membership, Region


class GroupInline(admin.TabularInline):
    model = Group
    fields = ["name", "slug", "municipality", "is_active"]
    extra = 0
    show_change_link = True


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role", "is_active"]
    autocomplete_fields = ["user"]
    extra = 1


class UserMembershipInline(MembershipInline):
    fields = ["group", "role", "is_active"]
    autocomplete_fields = ["group"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "contact_name", "contact_email"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["staff"]
    inlines = [GroupInline]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "region", "is_active"]
    list_filter = ["is_active", "region"]
    search_fields = ["name", "municipality", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["region"]
    list_select_related = ["region"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "role", "is_active", "created_at"]
    list_filter = ["role", "is_active", "group__region", "group"]
    search_fields = ["user__email", "user__full_name", "group__name"]
    autocomplete_fields = ["user", "group"]
    list_select_related = ["user", "group"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["membership", "group", "invited_by", "created_at", "expires_at", "accepted_at"]
    list_filter = ["group"]
    search_fields = ["membership__user__email", "group__name"]
    list_select_related = ["membership__user", "membership__group", "group", "invited_by"]
    # Tokens are only ever shown once, in the e-mail; nothing here can be edited.
    readonly_fields = [
        "membership",
        "group",
        "invited_by",
        "token_hash",
        "created_at",
        "expires_at",
        "accepted_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False


# Memberships are edited on the user's page too; the inline lives here so that accounts
# does not depend on groups.
admin.site.unregister(User)
# Django's own permission groups ("Groepen") are not used by Welzijn and were easily taken for
# Welzijnsschakels: they are left out of the admin, and out of the user's page.
admin.site.unregister(PermissionGroup)


@admin.register(User)
class UserWithMembershipsAdmin(UserAdmin):
    inlines = [UserMembershipInline]
    fieldsets = [
        (name, {**options, "fields": [f for f in options["fields"] if f != "groups"]})
        for name, options in UserAdmin.fieldsets
    ]
