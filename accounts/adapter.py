from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.http import HttpRequest


class InviteOnlyAccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people get an account when a coordinator invites them."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


class WelzijnMFAAdapter(DefaultMFAAdapter):
    """Someone who must have MFA cannot remove their last second factor themselves; an admin
    or their coordinator resets it instead (accounts.services.reset_mfa), which is logged."""

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        from accounts import services

        if authenticator.type == Authenticator.Type.RECOVERY_CODES:
            return True
        if not services.requires_mfa(authenticator.user):
            return True
        others = Authenticator.objects.filter(
            user_id=authenticator.user_id,
            type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN],
        ).exclude(pk=authenticator.pk)
        return others.exists()
