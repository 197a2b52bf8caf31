from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.admin_privacy import FamilyDataHiddenOnDeleteMixin
from accounts.models import AccountEvent, User
from welzijn.admin import ReadOnlyAdminMixin


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class AdminUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(FamilyDataHiddenOnDeleteMixin, BaseUserAdmin):
    form = AdminUserChangeForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Persoon"), {"fields": ["full_name"]}),
        (_("Rechten"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Datums"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "usable_password", "password1", "password2"],
            },
        ),
    ]

    actions = ["log_out_everywhere", "reset_mfa"]

    def save_model(self, request, obj: User, form, change: bool) -> None:
        old_email = form.initial.get("email", "")
        super().save_model(request, obj, form, change)
        if not change:
            services.set_verified_email(obj, obj.email)
        elif "email" in form.changed_data and old_email.lower() != obj.email.lower():
            # The only way an address changes: verified at once, the old address told, every
            # session of the account ended.
            services.change_email(user=obj, new_email=obj.email, actor=request.user, old_email=old_email)
            messages.info(request, gettext("Het oude adres kreeg een e-mail over deze wijziging."))

    @admin.action(description=_("Afmelden op alle toestellen"))
    def log_out_everywhere(self, request, queryset) -> None:
        users = list(queryset)
        for user in users:
            services.log_out_everywhere(user=user, actor=request.user, context="admin")
        messages.success(
            request,
            ngettext(
                "%(count)d gebruiker is afgemeld op alle toestellen.",
                "%(count)d gebruikers zijn afgemeld op alle toestellen.",
                len(users),
            )
            % {"count": len(users)},
        )

    @admin.action(description=_("Tweestapsverificatie wissen (gsm kwijt)"))
    def reset_mfa(self, request, queryset) -> None:
        users = list(queryset)
        for user in users:
            services.reset_mfa(user=user, actor=request.user, context="admin")
        messages.success(
            request,
            ngettext(
                "De tweestapsverificatie van %(count)d gebruiker is gewist.",
                "De tweestapsverificatie van %(count)d gebruikers is gewist.",
                len(users),
            )
            % {"count": len(users)},
        )


@admin.register(AccountEvent)
class AccountEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: who reset whose MFA, logged someone out or changed an address, and when."""

    list_display = ["created_at", "kind", "user", "actor", "context"]
    list_filter = ["kind"]
    search_fields = ["user__email", "actor__email", "context"]
    list_select_related = ["user", "actor"]
    readonly_fields = ["created_at", "kind", "user", "actor", "context"]
