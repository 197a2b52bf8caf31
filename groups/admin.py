from typing import cast

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import Group as PermissionGroup
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin import UserAdmin
from accounts.admin_privacy import FamilyDataHiddenOnDeleteMixin
from accounts.models import User
from groups.models import Group, Invitation, Membership, Region
from groups.services import coordinators_remain

LAST_COORDINATOR = _(
    "Zo heeft %(group)s geen actieve coördinator meer. Maak eerst iemand anders coördinator."
)


def _is_active_coordinator(role, is_active) -> bool:
    return role == Membership.Role.COORDINATOR and bool(is_active)


def _groups_left_without_coordinator(changes: list[tuple[Membership | None, dict | None]]) -> list[int]:
    """`changes`: pairs of (the membership as stored, or None for a new one; its new values
    {"group": id, "role", "is_active"}, or None when it is deleted). The ids of the groups
    these changes leave without an active coordinator, checked under the same lock as the
    app's update_membership (groups.services.coordinators_remain)."""
    leaving: dict[int, set[int]] = {}
    joining: dict[int, int] = {}
    for before, after in changes:
        was = before is not None and _is_active_coordinator(before.role, before.is_active)
        group_after = after["group"] if after is not None else None
        becomes = after is not None and _is_active_coordinator(after["role"], after["is_active"])
        stays = before is not None and was and becomes and group_after == before.group_id
        if before is not None and was and not stays:
            leaving.setdefault(before.group_id, set()).add(before.pk)
        if after is not None and becomes and not stays:
            joining[after["group"]] = joining.get(after["group"], 0) + 1
    return [
        group_id
        for group_id, pks in sorted(leaving.items())
        if not coordinators_remain(group_id=group_id, leaving=pks, joining=joining.get(group_id, 0))
    ]


def _group_names(group_ids: list[int]) -> str:
    return ", ".join(Group.objects.filter(pk__in=group_ids).order_by("name").values_list("name", flat=True))


def _pk(value) -> int | None:
    return getattr(value, "pk", value)


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "group", "role", "is_active"]

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data
        if self.instance.pk and not self.errors:
            before = Membership.objects.get(pk=self.instance.pk)
            after = {
                "group": _pk(cleaned.get("group")) or before.group_id,
                "role": cleaned.get("role"),
                "is_active": cleaned.get("is_active"),
            }
            failing = _groups_left_without_coordinator([(before, after)])
            if failing:
                raise forms.ValidationError(LAST_COORDINATOR, params={"group": _group_names(failing)})
        return cleaned


class CoordinatorRuleFormSet(BaseInlineFormSet):
    """Memberships edited inline (on a group's page or a user's page) keep every group a coordinator."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        changes: list[tuple[Membership | None, dict | None]] = []
        for form in self.forms:
            if not getattr(form, "cleaned_data", None):
                continue
            before = Membership.objects.get(pk=form.instance.pk) if form.instance.pk else None
            if self.can_delete and self._should_delete_form(form):  # type: ignore[attr-defined]  # Django has it; the stubs omit it
                changes.append((before, None))
                continue
            group = (
                self.instance.pk if isinstance(self.instance, Group) else _pk(form.cleaned_data.get("group"))
            )
            changes.append(
                (
                    before,
                    {
                        "group": group,
                        "role": form.cleaned_data.get("role"),
                        "is_active": form.cleaned_data.get("is_active"),
                    },
                )
            )
        failing = _groups_left_without_coordinator(changes)
        if failing:
            raise forms.ValidationError(LAST_COORDINATOR, params={"group": _group_names(failing)})


class GroupInline(admin.TabularInline):
    model = Group
    fields = ["name", "slug", "municipality", "is_active"]
    extra = 0
    show_change_link = True


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = CoordinatorRuleFormSet
    fields = ["user", "role", "is_active"]
    autocomplete_fields = ["user"]
    extra = 1


class UserMembershipInline(MembershipInline):
    fields = ["group", "role", "is_active"]
    autocomplete_fields = ["group"]


@admin.register(Region)
class RegionAdmin(FamilyDataHiddenOnDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "contact_name", "contact_email"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["staff"]
    inlines = [GroupInline]


@admin.register(Group)
class GroupAdmin(FamilyDataHiddenOnDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "municipality", "region", "is_active"]
    list_filter = ["is_active", "region"]
    search_fields = ["name", "municipality", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["region"]
    list_select_related = ["region"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(FamilyDataHiddenOnDeleteMixin, admin.ModelAdmin):
    form = MembershipAdminForm
    list_display = ["user", "group", "role", "is_active", "created_at"]
    list_filter = ["role", "is_active", "group__region", "group"]
    search_fields = ["user__email", "user__full_name", "group__name"]
    autocomplete_fields = ["user", "group"]
    list_select_related = ["user", "group"]

    def delete_model(self, request, obj: Membership) -> None:
        self.delete_queryset(request, Membership.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset) -> None:
        failing = _groups_left_without_coordinator([(m, None) for m in queryset])
        if failing:
            messages.error(request, gettext(cast(str, LAST_COORDINATOR)) % {"group": _group_names(failing)})
            return
        queryset.delete()


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "full_name",
        "group",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
    ]
    list_filter = ["group"]
    search_fields = ["email", "full_name", "group__name"]
    list_select_related = ["group", "invited_by"]
    # Tokens are only ever shown once, in the e-mail; nothing here can be edited.
    readonly_fields = [
        "email",
        "full_name",
        "role",
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
