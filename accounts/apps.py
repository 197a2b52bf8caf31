from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    # Not "Accounts": allauth's app (e-mail addresses) has that name in the admin already.
    verbose_name = _("Gebruikers")

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_removed

        from accounts import middleware

        def forget(sender, request=None, **kwargs) -> None:
            if request is not None and hasattr(request, "session"):
                middleware.forget_mfa_ok(request)

        authenticator_removed.connect(forget, dispatch_uid="accounts.forget_mfa_ok")
