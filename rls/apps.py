from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class RlsConfig(AppConfig):
    default = True
    name = "rls"
    verbose_name = "Row-level security"

    def ready(self) -> None:
        from rls import roles

        post_migrate.connect(roles.grant_after_migrate, sender=self, dispatch_uid="rls.grant_after_migrate")


class ScopedAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with `rls.admin.ScopedAdminSite` as the default site."""

    default = False

    default_site = "rls.admin.ScopedAdminSite"
